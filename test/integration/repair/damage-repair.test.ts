// Repair after damage on disk, on a real three-zone cluster: chunk files deleted and bytes
// flipped in shards of an RS object (an older version of it), a replicated small object, a
// completed multipart object and a part of an upload still in progress. The redundancy scan
// reports exactly those shards; a scrub finds them and the repair worker of each shard's zone
// rebuilds them in place (the repair interval is long here, so the scrub finding is what
// triggers it); the scan (and `zonestore redundancy`) then finds full redundancy and every
// object reads back exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand,
  PutBucketVersioningCommand, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { scanRedundancy, type DegradedShardReport } from '../../../services/gateway/repair/index.ts';
import { FAST_ZONE_ARGS, bodyBytes, s3Client, seededBytes, startS3Cluster, type S3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { chunkPath, deleteFile, flipByte, manifestOf, repairZoneArgs, waitForFullRedundancy } from './repair-fixture.ts';

const SUITE_TIMEOUT_MS = 120_000;
/** Long: only the scrub's findings trigger repair in this test, so the damage stays until the scan has seen it. */
const REPAIR_INTERVAL_MS = 600_000;
const REPAIR_LIMIT_MS = 30_000;
const BUCKET = 'repair-damage';
const PART_BYTES = 5 * 1024 * 1024;

let c: S3Cluster;
let s3: S3Client;
let meta: MetaClient;

before(async () => {
  c = await startS3Cluster({ zoneArgs: repairZoneArgs(FAST_ZONE_ARGS, REPAIR_INTERVAL_MS) });
  s3 = s3Client(c.endpoints[0]!, c.credentials, { maxAttempts: 3 });
  meta = new MetaClient({ addresses: c.cluster.metaApiAddresses });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  s3?.destroy();
  meta?.close();
  await c?.stop();
});

test('damaged shards are reported exactly, found by scrub, rebuilt in place, and every object reads back', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const rsOld = seededBytes(1024 * 1024 + 123, 1);
  const rsNew = seededBytes(300_000, 2);
  const small = seededBytes(10_000, 3);
  const mp = [seededBytes(PART_BYTES, 4), seededBytes(77_777, 5)];
  const open = seededBytes(PART_BYTES, 6);
  const old = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'rs', Body: rsOld }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'rs', Body: rsNew }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'small', Body: small }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone', Body: small }));
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone' })); // a delete marker: no data to check
  const done = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp' }));
  const etags = [];
  for (const [i, body] of mp.entries()) {
    etags.push((await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId: done.UploadId, PartNumber: i + 1, Body: body }))).ETag);
  }
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'mp', UploadId: done.UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  const pending = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'open' }));
  const openEtag = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'open', UploadId: pending.UploadId, PartNumber: 1, Body: open }))).ETag;

  const clean = await scanRedundancy({ meta });
  assert.deepEqual(clean.degraded, [], 'a fresh cluster is fully redundant');
  // rs ×2 versions, small, gone's version under its delete marker, mp, the open upload.
  assert.equal(clean.objectsChecked, 6);
  t.diagnostic(`clean scan: ${clean.objectsChecked} objects, ${clean.stripesChecked} stripes, ${clean.shardsChecked} shards`);

  const rs = await manifestOf(meta, BUCKET, 'rs', old.VersionId);
  assert.equal(rs.manifest.scheme?.kind.case, 'erasure', 'a 1 MiB object is erasure-coded');
  const sm = await manifestOf(meta, BUCKET, 'small');
  assert.equal(sm.manifest.scheme?.kind.case, 'replica', 'a 10 kB object is replicated');
  const mpm = await manifestOf(meta, BUCKET, 'mp');
  const parts = await meta.call('listParts', { bucket: BUCKET, key: 'open', uploadId: pending.UploadId!, includeStripes: true });
  const openStripe = parts.parts[0]!.data!.stripes[0]!;

  const shardOf = (m: typeof rs.manifest, part: number, index: number) => m.parts[part]!.stripes[0]!.shards.find((s) => s.index === index)!;
  const damage: Array<{ shard: ReturnType<typeof shardOf>; how: 'missing' | 'corrupt'; where: Omit<DegradedShardReport, 'shard' | 'node' | 'zone' | 'chunkId' | 'state'> }> = [
    { shard: shardOf(rs.manifest, 0, 2), how: 'missing', where: { bucket: BUCKET, key: 'rs', versionId: rs.versionId, uploadId: '', part: 1, stripe: 0 } },
    { shard: shardOf(rs.manifest, 0, 7), how: 'corrupt', where: { bucket: BUCKET, key: 'rs', versionId: rs.versionId, uploadId: '', part: 1, stripe: 0 } },
    { shard: shardOf(sm.manifest, 0, 1), how: 'corrupt', where: { bucket: BUCKET, key: 'small', versionId: sm.versionId, uploadId: '', part: 1, stripe: 0 } },
    { shard: shardOf(mpm.manifest, 0, 0), how: 'missing', where: { bucket: BUCKET, key: 'mp', versionId: mpm.versionId, uploadId: '', part: 1, stripe: 0 } },
    {
      shard: openStripe.shards.find((s) => s.index === 4)!, how: 'missing',
      where: { bucket: BUCKET, key: 'open', versionId: '', uploadId: pending.UploadId!, part: 1, stripe: 0 },
    },
  ];
  for (const d of damage) {
    if (d.how === 'missing') deleteFile(chunkPath(c.cluster, d.shard));
    else flipByte(chunkPath(c.cluster, d.shard));
  }

  const damaged = await scanRedundancy({ meta });
  const expected: DegradedShardReport[] = damage.map((d) => ({
    ...d.where, shard: d.shard.index, node: d.shard.node, zone: d.shard.zone, chunkId: d.shard.chunkId, state: d.how,
  }));
  const order = (r: DegradedShardReport) => `${r.key}/${r.versionId}/${r.uploadId}/${r.part}/${r.stripe}/${r.shard}`;
  assert.deepEqual([...damaged.degraded].sort((a, b) => order(a).localeCompare(order(b))), [...expected].sort((a, b) => order(a).localeCompare(order(b))));
  assert.deepEqual(damaged.unrebuildable, []);
  const cli = (): { status: number | null; stdout: string } => spawnSync(process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../../../services/cli/main.ts', import.meta.url)), 'redundancy', '--endpoint', c.cluster.metaApiAddresses.join(',')],
    { encoding: 'utf8', timeout: 30_000 });
  const before = cli();
  assert.equal(before.status, 1, 'zonestore redundancy fails while shards are degraded');
  assert.match(before.stdout, /5 shards degraded/);

  // Scrub every damaged node now; its findings wake that zone's repair worker.
  const nodes = new Map(c.ready.flatMap((z) => z.dataNodes.map((n) => [n.id, n.address] as const)));
  for (const node of new Set(damage.map((d) => d.shard.node))) {
    const client = new DataNodeClient(nodes.get(node)!, { timeoutMs: 30_000 });
    try {
      const scrub = await client.runScrub();
      assert.ok(scrub.findingsTotal >= 1n, `scrub of ${node} finds its damage`);
    } finally {
      client.close();
    }
  }
  const started = Date.now();
  const full = await waitForFullRedundancy(meta, REPAIR_LIMIT_MS);
  t.diagnostic(`repaired within ${Date.now() - started} ms (${full.shardsChecked} shards valid)`);
  assert.equal(full.shardsChecked, clean.shardsChecked, 'rebuilt in place: no shard added or lost');
  const afterRepair = cli();
  assert.equal(afterRepair.status, 0, afterRepair.stdout);
  assert.ok(afterRepair.stdout.includes(`${clean.shardsChecked} shards checked: full redundancy`), afterRepair.stdout);

  const logs = c.cluster.specs.map((s) => readFileSync(c.cluster.logFile(s.zone), 'utf8')).join('\n');
  assert.equal(logs.match(/repair: shard rewritten/g)?.length, damage.length, 'each damaged shard rewritten exactly once');

  const read = async (key: string, versionId?: string) =>
    bodyBytes((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versionId }))).Body);
  assert.ok((await read('rs', old.VersionId)).equals(rsOld));
  assert.ok((await read('rs')).equals(rsNew));
  assert.ok((await read('small')).equals(small));
  assert.ok((await read('mp')).equals(Buffer.concat(mp)));
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'open', UploadId: pending.UploadId, MultipartUpload: { Parts: [{ ETag: openEtag, PartNumber: 1 }] },
  }));
  assert.ok((await read('open')).equals(open));
});
