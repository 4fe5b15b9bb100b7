// The data path through zone failures on a real three-zone cluster, as zone-1's gateway:
// - zone-3 is SIGKILLed: objects written before still read (RS stripes rebuilt from the other
//   zones' shards); small writes succeed at once (two copies meet the rule); large writes are
//   refused until the dead nodes are suspected or DOWN, then stored as one replica per up zone,
//   meeting the acknowledgement rule over all three zones;
// - zone-3 comes back: erasure-coded writes resume;
// - zone-2 and zone-3 are down: an RS object fails cleanly, replicated ones read from zone-1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateWriteAck } from '../../../services/erasure/index.ts';
import { DataNodeState } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError } from '../../../services/gateway/errors/store-error.ts';
import type { WriteResult } from '../../../services/gateway/objects/index.ts';
import { waitFor } from '../cluster/cluster-fixture.ts';
import { bodyOf, type Cleanup, DataPathCluster, drain, manifestOf, randomObject } from './data-path-cluster.ts';

const SUITE_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 120_000;
/** The leader's zone marks silent nodes DOWN after 1.5 s (ZONE_ARGS); an election may come first. */
const MARKED_DOWN_LIMIT_MS = 20_000;
/** Suspicion of zone-3's nodes (10 s) has to lapse before RS writes pick them again. */
const RS_RESUMES_LIMIT_MS = 40_000;
/** Writes refused while the dead zone is neither suspected nor DOWN; the first refusal suspects it. */
const WRITE_ATTEMPTS = 3;
const KiB = 1024;
const MiB = 1024 * KiB;
const ZONES = ['zone-1', 'zone-2', 'zone-3'];

const cleanups: Cleanup[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

let cluster: DataPathCluster;
before(async () => {
  cluster = await DataPathCluster.start(cleanups);
}, { timeout: SUITE_TIMEOUT_MS });

function ackHolds(w: WriteResult): boolean {
  const kind = w.scheme.kind!;
  const scheme = kind.case === 'erasure'
    ? { kind: 'erasure' as const, dataShards: kind.value.dataShards!, parityShards: kind.value.parityShards! }
    : { kind: 'replica' as const, copies: (kind as { value: { copies?: number } }).value.copies! };
  return evaluateWriteAck({
    scheme, zones: ZONES, stripeCount: w.stripes.length,
    stored: w.stripes.flatMap((s, i) => s.shards!.map((x) => ({ stripe: i, shard: x.index!, zone: x.zone! }))),
  }).acknowledged;
}

const zonesOf = (w: WriteResult): string[] => [...new Set(w.stripes.flatMap((s) => s.shards!.map((x) => x.zone!)))].sort();

async function readsBack(w: WriteResult, body: Buffer): Promise<void> {
  const got = await drain(cluster.dataPath.read(manifestOf(w)));
  assert.equal(got.error, undefined, String(got.error));
  assert.ok(got.bytes.equals(body), 'same bytes');
}

interface Written { w: WriteResult; body: Buffer }
const before_: { rs?: Written; replica?: Written } = {};
const during: Written[] = [];

test('zone-3 killed: old objects read, small writes at once, large ones as replicas meeting the rule', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const rsBody = randomObject(13 * MiB);
  before_.rs = { w: await cluster.dataPath.write(bodyOf(rsBody), { size: rsBody.length }), body: rsBody };
  const replicaBody = randomObject(50 * KiB);
  before_.replica = { w: await cluster.dataPath.write(bodyOf(replicaBody), { size: replicaBody.length }), body: replicaBody };
  assert.equal(before_.rs.w.scheme.kind?.case, 'erasure');

  await cluster.zones.kill('zone-3', 'SIGKILL');
  const killedAt = Date.now();
  await readsBack(before_.rs.w, rsBody);
  const range = { start: 6 * MiB - 7, end: 6 * MiB + 300_000 };
  const part = await drain(cluster.dataPath.read(manifestOf(before_.rs.w), range));
  assert.ok(part.bytes.equals(rsBody.subarray(range.start, range.end + 1)), 'a range across stripes');
  await readsBack(before_.replica.w, replicaBody);

  const smallBody = randomObject(10 * KiB);
  const small = await cluster.dataPath.write(bodyOf(smallBody), { size: smallBody.length });
  assert.deepEqual(zonesOf(small), ['zone-1', 'zone-2']);
  assert.ok(ackHolds(small));
  during.push({ w: small, body: smallBody });

  const bigBody = randomObject(20 * MiB + 5);
  let big: WriteResult | undefined;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS && !big; attempt++) {
    try {
      big = await cluster.dataPath.write(bodyOf(bigBody), { size: bigBody.length });
      t.diagnostic(`large write succeeded on attempt ${attempt}, ${Date.now() - killedAt} ms after the kill`);
    } catch (err) {
      assert.ok(isStoreError(err, 'ServiceUnavailable'), String(err));
      t.diagnostic(`attempt ${attempt} refused: ${(err as Error).message}`);
    }
  }
  assert.ok(big, `no success in ${WRITE_ATTEMPTS} attempts`);
  assert.equal(big.scheme.kind?.case, 'replica');
  assert.deepEqual(zonesOf(big), ['zone-1', 'zone-2']);
  assert.ok(ackHolds(big), 'every stripe survives losing any one zone');
  await readsBack(big, bigBody);
  during.push({ w: big, body: bigBody });

  await waitFor('zone-3\'s nodes DOWN in the placement map', async () => {
    const nodes = (await cluster.nodes()).filter((n) => n.zone === 'zone-3');
    return nodes.length === 3 && nodes.every((n) => n.state === DataNodeState.DOWN);
  }, MARKED_DOWN_LIMIT_MS);
  t.diagnostic(`zone-3 DOWN in meta ${Date.now() - killedAt} ms after the kill`);
  const body = randomObject(7 * MiB);
  const w = await cluster.dataPath.write(bodyOf(body), { size: body.length });
  assert.equal(w.scheme.kind?.case, 'replica');
  assert.ok(ackHolds(w));
  during.push({ w, body });
  assert.equal(cluster.dataPath.uploadScheme().scheme.kind?.case, 'replica', 'new multipart uploads too');
});

test('zone-3 back: erasure coding resumes, and everything written reads', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await cluster.zones.start('zone-3');
  const startedAt = Date.now();
  const body = randomObject(7 * MiB);
  const w = await waitFor('an erasure-coded write', async () => {
    const r = await cluster.dataPath.write(bodyOf(body), { size: body.length });
    if (r.scheme.kind?.case === 'erasure') return r;
    await cluster.dataPath.discard(r.stripes); // as a gateway does with a write it does not commit
    return undefined;
  }, RS_RESUMES_LIMIT_MS, 500);
  t.diagnostic(`RS writes resumed ${Date.now() - startedAt} ms after zone-3 was ready`);
  assert.ok(ackHolds(w));
  assert.deepEqual(zonesOf(w), ZONES);
  await readsBack(w, body);
  for (const x of [before_.rs!, before_.replica!, ...during]) await readsBack(x.w, x.body);
});

test('zone-2 and zone-3 down: an RS object fails cleanly; replicated objects read from zone-1', { timeout: TEST_TIMEOUT_MS }, async () => {
  await Promise.all([cluster.zones.kill('zone-2', 'SIGKILL'), cluster.zones.kill('zone-3', 'SIGKILL')]);
  const got = await drain(cluster.dataPath.read(manifestOf(before_.rs!.w)));
  assert.ok(isStoreError(got.error, 'InternalError'), String(got.error));
  assert.match((got.error as Error).message, /stripe 0\b.*only 3 of the 6 shards/);
  assert.equal(got.bytes.length, 0);
  await readsBack(before_.replica!.w, before_.replica!.body);
  for (const x of during) await readsBack(x.w, x.body);
});
