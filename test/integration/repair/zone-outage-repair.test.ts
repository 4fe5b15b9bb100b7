// Redundancy after a zone outage, on a real three-zone cluster with repair every second: while
// zone-2 is killed, objects written through zone-1 are stored as two replicas of three (small
// and large objects alike, and a multipart upload created during the outage); the scan says
// exactly that — zone-2's shards of older objects are on DOWN nodes, and every object written
// meanwhile lacks its zone-2 copy. One of zone-2's data nodes also loses its disk while the zone
// is down (its directory is wiped). Once zone-2 is back its repair worker rewrites the wiped
// node's shards and adds the missing copies (recorded through meta), and the scan finds full
// redundancy within a bounded time; every object reads back exactly through the returned zone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand,
  UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataNodeState } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { scanRedundancy } from '../../../services/gateway/repair/index.ts';
import { FAST_ZONE_ARGS, bodyBytes, s3Client, seededBytes, startS3Cluster, type S3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { waitFor } from '../cluster/cluster-fixture.ts';
import { manifestOf, repairZoneArgs, waitForFullRedundancy } from './repair-fixture.ts';

const SUITE_TIMEOUT_MS = 120_000;
const REPAIR_INTERVAL_MS = 1_000;
const DOWN_LIMIT_MS = 15_000;
const REPAIR_LIMIT_MS = 45_000;
const BUCKET = 'repair-outage';
const VICTIM = 'zone-2';

let c: S3Cluster;
let meta: MetaClient;
const clients: S3Client[] = [];

before(async () => {
  c = await startS3Cluster({ zoneArgs: repairZoneArgs(FAST_ZONE_ARGS, REPAIR_INTERVAL_MS) });
  meta = new MetaClient({ addresses: c.cluster.metaApiAddresses });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  for (const s of clients) s.destroy();
  meta?.close();
  await c?.stop();
});

test('objects written while a zone is down regain full redundancy once it returns', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  const s3 = s3Client(c.endpoints[0]!, c.credentials, { maxAttempts: 6 });
  clients.push(s3);
  const objects = new Map<string, Buffer>();
  const put = async (key: string, body: Buffer) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    objects.set(key, body);
  };
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await put('before/small', seededBytes(5_000, 1));
  await put('before/rs', seededBytes(700_000, 2));

  await c.cluster.kill(VICTIM, 'SIGKILL');
  const wiped = `${VICTIM}-data-1`;
  rmSync(join(c.cluster.spec(VICTIM).dataDir, 'data-1'), { recursive: true, force: true });
  await waitFor(`${VICTIM}'s data nodes marked DOWN`, async () => {
    const nodes = (await meta.call('getPlacementMap', {})).nodes.filter((n) => n.zone === VICTIM);
    return nodes.length > 0 && nodes.every((n) => n.state === DataNodeState.DOWN);
  }, DOWN_LIMIT_MS);

  await put('during/small', seededBytes(9_000, 3));
  await put('during/large', seededBytes(2 * 1024 * 1024 + 5, 4));
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'during/mp' }));
  const parts = [seededBytes(5 * 1024 * 1024, 5), seededBytes(1234, 6)];
  const etags = [];
  for (const [i, body] of parts.entries()) {
    etags.push((await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'during/mp', UploadId: upload.UploadId, PartNumber: i + 1, Body: body }))).ETag);
  }
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'during/mp', UploadId: upload.UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  objects.set('during/mp', Buffer.concat(parts));

  for (const key of ['during/small', 'during/large', 'during/mp']) {
    const { manifest } = await manifestOf(meta, BUCKET, key);
    assert.equal(manifest.scheme?.kind.case, 'replica', `${key} falls back to replicas during the outage`);
    for (const stripe of manifest.parts.flatMap((p) => p.stripes)) {
      assert.equal(stripe.shards.length, 2, `${key}: two copies of three`);
      assert.ok(stripe.shards.every((s) => s.zone !== VICTIM));
    }
  }

  const during = await scanRedundancy({ meta });
  const states = new Set(during.degraded.map((d) => `${d.key.split('/')[0]}:${d.state}:${d.zone}`));
  assert.deepEqual([...states].sort(), [`before:node-down:${VICTIM}`, `during:absent:${VICTIM}`]);
  // One absent copy per stripe written during the outage.
  assert.equal(during.degraded.filter((d) => d.state === 'absent').length,
    during.degraded.filter((d) => d.key.startsWith('during/')).length);
  assert.deepEqual(during.unrebuildable, []);
  t.diagnostic(`during the outage: ${during.degraded.length} degraded shards`);

  const back = await c.cluster.start(VICTIM);
  const started = Date.now();
  const full = await waitForFullRedundancy(meta, REPAIR_LIMIT_MS);
  t.diagnostic(`full redundancy ${Date.now() - started} ms after ${VICTIM} returned (${full.shardsChecked} shards valid)`);
  const wipedShards = during.degraded.filter((d) => d.node === wiped).length;
  assert.ok(wipedShards > 0, `${wiped} held shards of the objects written before`);
  const rewritten = readFileSync(c.cluster.logFile(VICTIM), 'utf8').split('\n')
    .filter((l) => l.includes('repair: shard rewritten') && l.includes(`"node":"${wiped}"`)).length;
  assert.equal(rewritten, wipedShards, `every shard of the wiped ${wiped} rewritten`);
  for (const key of ['during/small', 'during/large', 'during/mp']) {
    const { manifest } = await manifestOf(meta, BUCKET, key);
    for (const stripe of manifest.parts.flatMap((p) => p.stripes)) {
      assert.deepEqual(stripe.shards.map((s) => s.index), [0, 1, 2], `${key}: all three copies recorded`);
      assert.equal(stripe.shards.filter((s) => s.zone === VICTIM).length, 1);
    }
  }

  const returned = s3Client(back.gateway.url, c.credentials, { maxAttempts: 6 });
  clients.push(returned);
  for (const [key, body] of objects) {
    const got = await bodyBytes((await returned.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body);
    assert.ok(got.equals(body), `${key} through ${VICTIM}`);
  }
});
