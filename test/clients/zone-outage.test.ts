// Losing a whole zone: SIGKILL the zone process that holds the meta leader (its meta replica,
// data nodes and gateway all go at once). PUT/GET/LIST keep working through the other zones'
// gateways (clients retry 503s as the SDK does by default); objects written before and during
// the outage are readable after the zone returns, through its own gateway too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { collectClusterReport } from '../../services/cli/status/cluster-report.ts';
import { bodyBytes, s3Client, type S3Cluster, seededBytes, startS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const BUCKET = 'survivor';
/** The SDK's standard retry policy, as users have it (503 SlowDown/ServiceUnavailable are retried). */
const USER_ATTEMPTS = 6;
let c: S3Cluster;

before(async () => {
  c = await startS3Cluster();
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

const SIZES = [10, 100_000, 9 * 1024 * 1024 + 1];

async function putAll(client: S3Client, prefix: string, seed: number): Promise<Map<string, Buffer>> {
  const written = new Map<string, Buffer>();
  for (const [i, size] of SIZES.entries()) {
    const key = `${prefix}/${size}`;
    const body = seededBytes(size, seed + i);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    written.set(key, body);
  }
  return written;
}

async function checkAll(client: S3Client, objects: Map<string, Buffer>, where: string): Promise<void> {
  for (const [key, body] of objects) {
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    assert.ok((await bodyBytes(got.Body)).equals(body), `${key} via ${where}`);
  }
}

test('killing the leader\'s zone: the other two zones serve PUT/GET/LIST; the zone returns with everything', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  const clients = c.endpoints.map((e) => s3Client(e, c.credentials, { maxAttempts: USER_ATTEMPTS }));
  try {
    await clients[0]!.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const before = await putAll(clients[0]!, 'before', 1);

    const report = await collectClusterReport(c.cluster.metaApiAddresses, {});
    const victim = report.leader?.zone ?? 'zone-1';
    const victimIndex = c.cluster.specs.findIndex((s) => s.zone === victim);
    t.diagnostic(`killing ${victim} (meta leader ${report.leader?.id})`);
    await c.cluster.kill(victim, 'SIGKILL');
    const survivors = clients.filter((_, i) => i !== victimIndex);

    const started = Date.now();
    const during = await putAll(survivors[0]!, 'during', 100);
    t.diagnostic(`first writes after the kill took ${Date.now() - started} ms`);
    for (const [i, s] of survivors.entries()) {
      await checkAll(s, before, `survivor ${i} (written before)`);
      await checkAll(s, during, `survivor ${i} (written during)`);
      const listed = await s.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), [...before.keys(), ...during.keys()].sort());
    }
    const more = await putAll(survivors[1]!, 'during-2', 200);

    const back = await c.cluster.start(victim);
    const returned = s3Client(back.gateway.url, c.credentials, { maxAttempts: USER_ATTEMPTS });
    try {
      await checkAll(returned, before, 'the returned zone');
      await checkAll(returned, during, 'the returned zone');
      await checkAll(returned, more, 'the returned zone');
      const listed = await returned.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      assert.equal(listed.KeyCount, before.size + during.size + more.size);
    } finally {
      returned.destroy();
    }
  } finally {
    for (const cl of clients) cl.destroy();
  }
});
