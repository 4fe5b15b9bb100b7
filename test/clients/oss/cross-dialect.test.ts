// One store, two dialects: an object written with ali-oss reads back through @aws-sdk/client-s3
// byte for byte with its metadata (x-oss-meta-* ⇄ x-amz-meta-*), and the other way round.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bodyBytes, s3Client, type S3Cluster, seededBytes, startS3Cluster } from '../s3-cluster-fixture.ts';
import { type OssClient, ossClient } from './oss-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'both-dialects';
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

test('written with ali-oss, read with the AWS SDK', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(7 * 1024 * 1024 + 5, 1);
  await oss.put('from-oss.bin', body, { meta: { origin: 'oss', n: '1' } as never, mime: 'application/x-from-oss' });
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'from-oss.bin' }));
  assert.deepEqual(head.Metadata, { origin: 'oss', n: '1' });
  assert.equal(head.ContentType, 'application/x-from-oss');
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'from-oss.bin' }));
  assert.ok((await bodyBytes(got.Body)).equals(body));
});

test('written with the AWS SDK, read with ali-oss', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(500_000, 2);
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'from-s3.bin', Body: body, Metadata: { origin: 's3' }, ContentType: 'text/x-from-s3' }));
  const head = await oss.head('from-s3.bin');
  assert.deepEqual(head.meta, { origin: 's3' });
  assert.equal((head.res.headers as Record<string, string>)['content-type'], 'text/x-from-s3');
  assert.equal((head.res.headers as Record<string, string>).etag?.toLowerCase(), put.ETag);
  const got = await oss.get('from-s3.bin');
  assert.ok(Buffer.from(got.content).equals(body));
  assert.ok((got.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], 'an S3-written object has its CRC-64 for OSS readers');
});
