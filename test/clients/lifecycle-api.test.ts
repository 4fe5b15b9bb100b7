// Put/Get/DeleteBucketLifecycle through @aws-sdk/client-s3 and ali-oss against a real cluster:
// the rules read back in either dialect, and bad configurations get the protocol's error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketLifecycleCommand, GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { errorCode, s3Client, type S3Cluster, startS3Cluster } from './s3-cluster-fixture.ts';
import { type OssClient, ossClient, ossErrorCode } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'lifecycle-api';
let c: S3Cluster;
let s3: S3Client;
let oss: OssClient;

before(async () => {
  c = await startS3Cluster();
  s3 = s3Client(c.endpoints[0]!, c.credentials);
  oss = ossClient(c.endpoints[1]!, c.credentials, { bucket: BUCKET });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  s3?.destroy();
  await c?.stop();
});

test('S3: put, get (both dialects), delete', { timeout: SUITE_TIMEOUT_MS }, async () => {
  assert.equal(await errorCode(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))), 'NoSuchLifecycleConfiguration');
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [
    { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 },
      Transitions: [{ Days: 7, StorageClass: 'STANDARD_IA' }, { Days: 14, StorageClass: 'GLACIER' }],
      NoncurrentVersionExpiration: { NoncurrentDays: 3, NewerNoncurrentVersions: 2 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
    { ID: 'tagged', Status: 'Disabled', Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'k', Value: 'v' }], ObjectSizeGreaterThan: 100 } }, Expiration: { Days: 1 } },
    { ID: 'markers', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { ExpiredObjectDeleteMarker: true } },
  ] } }));
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }));
  assert.equal(got.Rules?.length, 3);
  const logs = got.Rules![0]!;
  assert.equal(logs.ID, 'logs');
  assert.equal(logs.Filter?.Prefix, 'logs/');
  assert.equal(logs.Expiration?.Days, 30);
  assert.deepEqual(logs.Transitions?.map((t) => [t.Days, t.StorageClass]), [[7, 'STANDARD_IA'], [14, 'GLACIER']]);
  assert.equal(logs.NoncurrentVersionExpiration?.NewerNoncurrentVersions, 2);
  assert.equal(logs.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 2);
  assert.deepEqual(got.Rules![1]!.Filter?.And?.Tags, [{ Key: 'k', Value: 'v' }]);
  assert.equal(got.Rules![1]!.Status, 'Disabled');
  assert.equal(got.Rules![2]!.Expiration?.ExpiredObjectDeleteMarker, true);

  // The same rules in OSS's words.
  const viaOss = await oss.getBucketLifecycle(BUCKET);
  const first = viaOss.rules[0] as unknown as Record<string, unknown>;
  assert.equal(first['id'], 'logs');
  assert.equal(first['prefix'], 'logs/');
  assert.deepEqual(first['expiration'], { days: '30' });

  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: BUCKET }));
  assert.equal(await errorCode(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))), 'NoSuchLifecycleConfiguration');
});

test('S3: bad configurations are refused with the right code', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const put = (Rules: object[]): Promise<unknown> => s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: Rules as never } }));
  assert.equal(await errorCode(put([{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' } }])), 'MalformedXML');
  assert.equal(await errorCode(put([{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 0 } }])), 'InvalidArgument');
  assert.equal(await errorCode(put([{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 1, StorageClass: 'NOPE' }] }])), 'InvalidStorageClass');
  assert.equal(await errorCode(put([
    { ID: 'x', Status: 'Enabled', Filter: { Prefix: 'a' }, Expiration: { Days: 1 } },
    { ID: 'x', Status: 'Enabled', Filter: { Prefix: 'b' }, Expiration: { Days: 1 } },
  ])), 'InvalidArgument');
  assert.equal(await errorCode(put([{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 2 }, Transitions: [{ Days: 3, StorageClass: 'GLACIER' }] }])), 'InvalidArgument');
});

test('OSS: put, get, delete, NoSuchLifecycle, bad input', { timeout: SUITE_TIMEOUT_MS }, async () => {
  assert.equal(await ossErrorCode(oss.getBucketLifecycle(BUCKET)), 'NoSuchLifecycle');
  await oss.putBucketLifecycle(BUCKET, [
    { id: 'tmp', prefix: 'tmp/', status: 'Enabled', expiration: { days: 3 }, transition: { days: 1, storageClass: 'IA' } },
    { id: 'old', prefix: 'old/', status: 'Enabled', tag: [{ key: 'a', value: 'b' }], expiration: { createdBeforeDate: '2020-01-01T00:00:00.000Z' } },
    { id: 'up', prefix: '', status: 'Enabled', abortMultipartUpload: { days: 1 } },
  ] as never);
  const got = await oss.getBucketLifecycle(BUCKET);
  const rules = got.rules as unknown as Array<Record<string, unknown>>;
  assert.deepEqual(rules.map((r) => r['id']), ['tmp', 'old', 'up']);
  assert.deepEqual(rules[0]!['transition'], { days: '1', storageClass: 'IA' });
  assert.deepEqual(rules[2]!['abortMultipartUpload'], { days: '1' });
  // Read back with the AWS SDK: OSS's IA is S3's STANDARD_IA.
  const viaS3 = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }));
  assert.equal(viaS3.Rules![0]!.Transitions![0]!.StorageClass, 'STANDARD_IA');
  assert.equal(viaS3.Rules![1]!.Expiration?.Date?.toISOString(), undefined); // CreatedBeforeDate has no S3 form
  await oss.deleteBucketLifecycle(BUCKET);
  assert.equal(await ossErrorCode(oss.getBucketLifecycle(BUCKET)), 'NoSuchLifecycle');
  // ali-oss checks class names itself; an order it does not check reaches the server.
  assert.equal(await ossErrorCode(oss.putBucketLifecycle(BUCKET, [{ id: 'x', prefix: '', status: 'Enabled', expiration: { days: 1 }, transition: { days: 2, storageClass: 'IA' } }] as never)), 'InvalidArgument');
});
