// The lifecycle worker on a shortened day (--lifecycle-day-length-ms 10000, a test knob): objects
// under several rules and prefixes, versioned and not, tagged, multipart uploads left
// incomplete, transitions to IA and Archive. After the right number of "days" exactly the right versions, uploads and delete
// markers are gone and no others (listed with @aws-sdk/client-s3 and ali-oss), including after
// the leader's zone process is stopped mid-run and another replica's worker takes over.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { MetaClient } from '../../services/meta/client/meta-client.ts';
import { waitFor } from '../integration/cluster/cluster-fixture.ts';
import { FAST_ZONE_ARGS, s3Client, type S3Cluster, startS3Cluster } from './s3-cluster-fixture.ts';
import { type OssClient, ossClient } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const DAY_MS = 10_000;
const PLAIN = 'lc-plain';
const VERSIONED = 'lc-versioned';
let c: S3Cluster;
let s3: S3Client;
let oss: OssClient;
let leaderZone: string;

async function metaLeaderZone(): Promise<string> {
  return waitFor('a meta leader', async () => {
    for (const address of c.cluster.metaApiAddresses) {
      const client = new MetaClient({ addresses: [address], callTimeoutMs: 1_000, retryForMs: 0 });
      try {
        const s = await client.call('status', {});
        if (s.role === 'leader') return s.zone;
      } catch { /* down or electing */ } finally {
        client.close();
      }
    }
    return undefined;
  }, 20_000);
}

before(async () => {
  c = await startS3Cluster({ zoneArgs: [...FAST_ZONE_ARGS, '--lifecycle-day-length-ms', String(DAY_MS), '--lifecycle-interval-ms', '250'] });
  leaderZone = await metaLeaderZone();
  // Talk to a zone that is not the leader's: it must keep answering after the leader is stopped.
  const other = c.cluster.specs.findIndex((s) => s.zone !== leaderZone);
  s3 = s3Client(c.endpoints[other]!, c.credentials);
  oss = ossClient(c.endpoints[other]!, c.credentials, { bucket: PLAIN });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  if (process.env.LIFECYCLE_TEST_LOGS) {
    const { readFileSync, existsSync } = await import('node:fs');
    for (const spec of c.cluster.specs) {
      const f = c.cluster.logFile(spec.zone);
      if (existsSync(f)) console.log(readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('lifecycle')).slice(-15).join('\n'));
    }
  }
  s3?.destroy();
  await c?.stop();
});

// The gateway's ListObjectVersions is the versioning helper's (#13) and not served yet, so the
// versions are read from the metadata service's own ListObjectVersions (the real replicas).
async function versionsOf(bucket: string): Promise<string[]> {
  const meta = new MetaClient({ addresses: c.cluster.metaApiAddresses, callTimeoutMs: 2_000, retryForMs: 5_000 });
  try {
    const r = await meta.call('listObjectVersions', { bucket, maxKeys: 1000 });
    return r.versions.map((v) => `${v.key}:${v.deleteMarker ? 'm' : 'v'}:${v.versionId}`).sort();
  } finally {
    meta.close();
  }
}

/** Current objects, as S3 lists them. */
async function keysOf(bucket: string): Promise<string[]> {
  const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (r.Contents ?? []).map((o) => o.Key!).sort();
}

async function uploadsOf(bucket: string): Promise<string[]> {
  const r = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (r.Uploads ?? []).map((u) => u.Key!).sort();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('rules fire after the right number of shortened days, and only on what they select; a leader change does not stop them', { timeout: SUITE_TIMEOUT_MS }, async () => {
  // Unversioned bucket: prefix rule (1 day), tag rule (2 days), upload abort under up/ (1 day).
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: PLAIN, LifecycleConfiguration: { Rules: [
    { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
    { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'expire', Value: 'yes' } }, Expiration: { Days: 2 } },
    { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: 'up/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
    { ID: 'cold', Status: 'Enabled', Filter: { Prefix: 'cold/' }, Transitions: [{ Days: 1, StorageClass: 'STANDARD_IA' }, { Days: 2, StorageClass: 'GLACIER' }] },
  ] } }));
  // Versioned bucket: noncurrent versions go 1 day after they were replaced, current versions
  // under cur/ get a delete marker after 1 day, and lone delete markers are cleaned up.
  await s3.send(new CreateBucketCommand({ Bucket: VERSIONED }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: VERSIONED, LifecycleConfiguration: { Rules: [
    { ID: 'noncurrent', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'm' }, Expiration: { ExpiredObjectDeleteMarker: true } },
    { ID: 'cur', Status: 'Enabled', Filter: { Prefix: 'cur/' }, Expiration: { Days: 1 } },
    { ID: 'cur-markers', Status: 'Enabled', Filter: { Prefix: 'cur/' }, Expiration: { ExpiredObjectDeleteMarker: true } },
  ] } }));

  const t0 = Date.now();
  for (const k of ['tmp/a', 'tmp/b', 'keep/c', 'cold/a']) await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: k, Body: k }));
  // Tagged with ali-oss (the S3 dialect has no object tagging yet).
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'keep/d', Body: 'd' }));
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'keep/e', Body: 'e' }));
  await oss.putObjectTagging('keep/d', { expire: 'yes' });
  await oss.putObjectTagging('keep/e', { expire: 'no' });
  await s3.send(new CreateMultipartUploadCommand({ Bucket: PLAIN, Key: 'up/x' }));
  await s3.send(new CreateMultipartUploadCommand({ Bucket: PLAIN, Key: 'other/y' }));

  const v: string[] = [];
  for (let i = 0; i < 3; i++) v.push((await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'doc', Body: `doc-${i}` }))).VersionId!);
  const z = (await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'mz', Body: 'z' }))).VersionId!;
  const zMarker = (await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'mz' }))).VersionId!;
  await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'mz', VersionId: z }));
  const kept = (await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'mkeep', Body: 'k' }))).VersionId!;
  const q = (await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'cur/q', Body: 'q' }))).VersionId!;
  assert.ok(Date.now() - t0 < DAY_MS * 0.8, 'setup took too long for the timeline (a busy machine: lengthen DAY_MS)');

  // A lone delete marker needs no day to pass.
  await waitFor('the lone delete marker removed', async () => !(await versionsOf(VERSIONED)).includes(`mz:m:${zMarker}`), 10_000);

  // Before a day is up (setup took under 0.8 of one), nothing that needs a day has gone.
  await sleep(Math.max(0, t0 + DAY_MS * 0.9 - Date.now()));
  assert.deepEqual(await keysOf(PLAIN), ['cold/a', 'keep/c', 'keep/d', 'keep/e', 'tmp/a', 'tmp/b']);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'cold/a' }))).StorageClass, undefined);
  assert.deepEqual(await uploadsOf(PLAIN), ['other/y', 'up/x']);
  assert.equal((await versionsOf(VERSIONED)).filter((e) => e.startsWith('doc:')).length, 3);

  // Day 1: tmp/ expired, up/ upload aborted; the tagged object's 2 days are not up.
  await waitFor('tmp/ expired and up/x aborted', async () => (await keysOf(PLAIN)).join() === 'cold/a,keep/c,keep/d,keep/e' && (await uploadsOf(PLAIN)).join() === 'other/y', 30_000);
  assert.ok(Date.now() - t0 >= DAY_MS, 'expired before a day had passed');
  const listedWithOss = await oss.list({ 'max-keys': 100 }, {});
  assert.deepEqual(listedWithOss.objects.map((o) => o.name).sort(), ['cold/a', 'keep/c', 'keep/d', 'keep/e']);
  // Transitions change the class only (the data stays where it is): IA after a day, Archive after two.
  await waitFor('cold/a in STANDARD_IA', async () => (await s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'cold/a' }))).StorageClass === 'STANDARD_IA', 30_000);
  await waitFor('noncurrent doc versions removed, cur/q behind a delete marker', async () => {
    const all = await versionsOf(VERSIONED);
    return all.filter((e) => e.startsWith('doc:')).join() === `doc:v:${v[2]}` && all.some((e) => e.startsWith('cur/q:m:'));
  }, 30_000);

  // The leader's zone stops mid-run: another replica leads, and its worker carries on.
  assert.equal(Date.now() - t0 < 2 * DAY_MS, true, 'the leader change should come before day 2');
  await c.cluster.kill(leaderZone, 'SIGKILL');
  const newLeader = await metaLeaderZone();
  assert.notEqual(newLeader, leaderZone);

  // Day 2: the tagged object; day 2-3: cur/q's data version (noncurrent for a day), then its lone marker.
  await waitFor('keep/d expired by its tag rule', async () => (await keysOf(PLAIN)).join() === 'cold/a,keep/c,keep/e', 30_000);
  assert.ok(Date.now() - t0 >= 2 * DAY_MS, 'the tag rule fired before two days had passed');
  await waitFor('cold/a in GLACIER', async () => (await s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'cold/a' }))).StorageClass === 'GLACIER', 30_000);
  assert.ok(Date.now() - t0 >= 2 * DAY_MS, 'Archive came before two days had passed');
  const ossHead = await oss.head('cold/a');
  assert.equal((ossHead.res.headers as Record<string, string>)['x-oss-storage-class'], 'Archive');
  await waitFor('cur/q gone entirely', async () => !(await versionsOf(VERSIONED)).some((e) => e.startsWith('cur/q:')), 30_000);
  assert.ok(Date.now() - t0 >= 2 * DAY_MS);

  // And nothing else went.
  await sleep(DAY_MS);
  assert.deepEqual(await keysOf(PLAIN), ['cold/a', 'keep/c', 'keep/e']);
  assert.deepEqual(await uploadsOf(PLAIN), ['other/y']);
  assert.deepEqual(await versionsOf(VERSIONED), [`doc:v:${v[2]}`, `mkeep:v:${kept}`].sort());
  void q;
});
