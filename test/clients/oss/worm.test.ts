// OSS WORM retention policy through the real ali-oss SDK on a real three-zone cluster:
// initiate → InProgress, complete → Locked, get, extend only lengthens, abort only while
// InProgress; and every way to remove a protected object — delete, overwrite, multi-delete,
// delete bucket, remove or shorten the policy — refused for the root account, the object's
// bytes intact afterwards, while reads and new uploads stay allowed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type S3Cluster, seededBytes, startS3Cluster } from '../s3-cluster-fixture.ts';
import { type OssClient, ossClient, ossErrorCode } from './oss-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
type WormClient = OssClient & {
  initiateBucketWorm(name: string, days: string | number): Promise<{ wormId: string; status: number }>;
  completeBucketWorm(name: string, wormId: string): Promise<{ status: number }>;
  abortBucketWorm(name: string): Promise<{ status: number }>;
  extendBucketWorm(name: string, wormId: string, days: string | number): Promise<{ status: number }>;
  getBucketWorm(name: string): Promise<{ wormId: string; state: string; days: string; creationDate: string }>;
};
let c: S3Cluster;
let step = 0;
// The code a call failed with, or 'ok:<step>' so an unexpected success says which call it was.
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  step++;
  try {
    return await ossErrorCode(p.then((r) => {
      // ali-oss's complete/abort/extend WORM calls resolve on any status: read the error document then.
      const res = (r as { res?: { status?: number; data?: Buffer } } | undefined)?.res;
      if (res?.status !== undefined && res.status >= 300) {
        throw Object.assign(new Error('refused'), { code: /<Code>([^<]+)<\/Code>/.exec(res.data?.toString() ?? '')?.[1] ?? String(res.status) });
      }
      return r;
    }));
  } catch {
    return `ok:${step}`;
  }
};
let oss: WormClient;

before(async () => {
  c = await startS3Cluster();
  oss = ossClient(c.endpoints[0]!, c.credentials) as WormClient;
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

test('WORM policy life: initiate, get, abort while InProgress, lock, extend only lengthens, never removed', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const b = 'worm-life';
  await oss.putBucket(b);
  assert.equal(await codeOf(oss.getBucketWorm(b)), 'NoSuchWORMConfiguration');
  assert.equal(await codeOf(oss.initiateBucketWorm(b, 0)), 'InvalidArgument');
  assert.equal(await codeOf(oss.initiateBucketWorm(b, 25_551)), 'InvalidArgument');
  const first = await oss.initiateBucketWorm(b, 5);
  assert.ok(first.wormId, 'x-oss-worm-id answered');
  const got = await oss.getBucketWorm(b);
  assert.equal(got.wormId, first.wormId);
  assert.equal(got.state, 'InProgress');
  assert.equal(String(got.days), '5');
  assert.equal((await oss.abortBucketWorm(b)).status, 204);
  assert.equal(await codeOf(oss.getBucketWorm(b)), 'NoSuchWORMConfiguration');

  const second = await oss.initiateBucketWorm(b, 2);
  assert.equal(await codeOf(oss.completeBucketWorm(b, 'NOTTHEID')), 'NoSuchWORMConfiguration');
  await oss.completeBucketWorm(b, second.wormId);
  assert.equal((await oss.getBucketWorm(b)).state, 'Locked');
  assert.equal(await codeOf(oss.abortBucketWorm(b)), 'WORMConfigurationLocked');
  assert.equal(await codeOf(oss.extendBucketWorm(b, second.wormId, 1)), 'InvalidArgument', 'never shortened');
  assert.equal(await codeOf(oss.initiateBucketWorm(b, 1)), 'WORMConfigurationLocked', 'never replaced');
  await oss.extendBucketWorm(b, second.wormId, 3);
  assert.equal(String((await oss.getBucketWorm(b)).days), '3');
});

test('a locked policy: delete, overwrite, multi-delete, delete bucket refused for root; object intact; reads and new uploads allowed', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const b = 'worm-guard';
  await oss.putBucket(b);
  oss.useBucket(b);
  const body = seededBytes(70_000, 13);
  await oss.put('kept.bin', body);
  const { wormId } = await oss.initiateBucketWorm(b, 1);
  // Protected already while InProgress (OSS protects the data during the 24-hour window).
  assert.equal(await codeOf(oss.delete('kept.bin')), 'FileImmutable');
  await oss.completeBucketWorm(b, wormId);

  assert.equal(await codeOf(oss.delete('kept.bin')), 'FileImmutable');
  assert.equal(await codeOf(oss.put('kept.bin', Buffer.from('replacement'))), 'FileImmutable');
  assert.equal(await codeOf(oss.copy('kept.bin', 'kept.bin', { headers: { 'x-oss-metadata-directive': 'REPLACE' } } as never)), 'FileImmutable');
  const multi = await oss.deleteMulti(['kept.bin'], { quiet: false }) as unknown as { deleted?: unknown[]; res: { data?: Buffer } };
  const text = multi.res.data?.toString() ?? '';
  assert.ok(!/<Deleted>\s*<Key>kept.bin<\/Key>/.test(text) || /<Error>/.test(text), `multi-delete must not report kept.bin deleted: ${text}`);
  assert.equal(await codeOf(oss.deleteBucket(b)), 'BucketNotEmpty');
  assert.equal(await codeOf(oss.abortBucketWorm(b)), 'WORMConfigurationLocked');

  const back = await oss.get('kept.bin');
  assert.deepEqual(Buffer.from(back.content as Buffer), Buffer.from(body), 'bytes intact');
  const listed = await oss.list({ 'max-keys': 100 }, {}) as unknown as { objects?: Array<{ name: string }> };
  assert.deepEqual(listed.objects?.map((o) => o.name), ['kept.bin']);
  await oss.put('new.txt', Buffer.from('uploads stay allowed'));
  assert.equal((await oss.get('new.txt')).content.toString(), 'uploads stay allowed');
});
