// Server-side encryption in the OSS dialect through the real ali-oss SDK on a real three-zone
// cluster: SSE-OSS (AES256) and SSE-KMS (x-oss-server-side-encryption: KMS, with and without a
// key id) round trips with ranges, multipart and copy, x-oss-hash-crc64ecma of the plaintext,
// bucket default encryption (Put/Get/DeleteBucketEncryption, GetBucketInfo's rule), and
// AppendObject refused with encryption.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { Crc64Ecma } from '../../services/gateway/checksums/crc64-ecma.ts';
import { REGION, type S3Cluster, seededBytes, startS3Cluster } from './s3-cluster-fixture.ts';
import { type OssClient, ossClient, ossErrorCode } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'oss-sse';
const MiB = 1024 * 1024;
let c: S3Cluster;
let oss: OssClient;

before(async () => {
  c = await startS3Cluster();
  oss = ossClient(c.endpoints[0]!, c.credentials);
  await oss.putBucket(BUCKET);
  oss.useBucket(BUCKET);
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

const crc64 = (b: Uint8Array): string => {
  const h = new Crc64Ecma();
  h.update(b);
  return h.digest();
};
type Headers = Record<string, string>;
const headersOf = (r: { res: unknown }): Headers => (r.res as { headers: Headers }).headers;

test('SSE-OSS (AES256): put, get, range, head; the CRC-64 is the plaintext\'s', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(400_000, 21);
  const put = await oss.put('aes', body, { headers: { 'x-oss-server-side-encryption': 'AES256' } });
  assert.equal(headersOf(put)['x-oss-server-side-encryption'], 'AES256');
  assert.equal(headersOf(put)['x-oss-hash-crc64ecma'], crc64(body));
  const got = await oss.get('aes');
  assert.ok((got.content as Buffer).equals(body));
  assert.equal(headersOf(got)['x-oss-server-side-encryption'], 'AES256');
  const ranged = await oss.get('aes', undefined, { headers: { Range: 'bytes=65000-200000' } });
  assert.ok((ranged.content as Buffer).equals(body.subarray(65000, 200001)));
  const head = await oss.head('aes');
  assert.equal(head.res.headers['content-length' as never], String(body.length));
});

test('SSE-KMS: the default key and a named key id, returned on head; multipart and copy', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(150_000, 22);
  const dflt = await oss.put('kms', body, { headers: { 'x-oss-server-side-encryption': 'KMS' } });
  assert.equal(headersOf(dflt)['x-oss-server-side-encryption'], 'KMS');
  assert.match(headersOf(dflt)['x-oss-server-side-encryption-key-id'] ?? '', /^arn:aws:kms:/);
  assert.ok(((await oss.get('kms')).content as Buffer).equals(body));

  const kms = new KMSClient({ endpoint: `${c.endpoints[0]}/_zonestore/kms`, region: REGION, credentials: c.credentials, maxAttempts: 1 });
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  kms.destroy();
  await oss.put('kms-named', body, { headers: { 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-encryption-key-id': key.KeyId! } });
  const head = await oss.head('kms-named');
  assert.equal(head.res.headers['x-oss-server-side-encryption-key-id' as never], key.Arn);

  const mpBody = seededBytes(11 * MiB + 5, 23);
  await oss.multipartUpload('kms-mp', mpBody, { partSize: 5 * MiB, headers: { 'x-oss-server-side-encryption': 'KMS' } } as never);
  const mp = await oss.get('kms-mp');
  assert.ok((mp.content as Buffer).equals(mpBody));
  assert.equal(headersOf(mp)['x-oss-server-side-encryption'], 'KMS');
  assert.equal(headersOf(mp)['x-oss-hash-crc64ecma'], crc64(mpBody));

  await oss.copy('kms-copy', 'kms-named', { headers: { 'x-oss-server-side-encryption': 'AES256' } } as never);
  const copied = await oss.get('kms-copy');
  assert.ok((copied.content as Buffer).equals(body));
  assert.equal(headersOf(copied)['x-oss-server-side-encryption'], 'AES256');
  assert.equal(await ossErrorCode(oss.put('bad', body, { headers: { 'x-oss-server-side-encryption': 'DES' } })), 'InvalidEncryptionAlgorithmError');
});

test('bucket default encryption: none → NoSuchServerSideEncryptionRule; KMS applied; GetBucketInfo shows it; deleted', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const bucket = 'oss-sse-default';
  await oss.putBucket(bucket);
  const o = ossClient(c.endpoints[0]!, c.credentials);
  o.useBucket(bucket);
  const api = o as unknown as {
    putBucketEncryption(b: string, opts: object): Promise<{ status: number }>;
    getBucketEncryption(b: string): Promise<{ encryption: { SSEAlgorithm: string } }>;
    deleteBucketEncryption(b: string): Promise<{ status: number }>;
  };
  assert.equal(await ossErrorCode(api.getBucketEncryption(bucket)), 'NoSuchServerSideEncryptionRule');
  await api.putBucketEncryption(bucket, { SSEAlgorithm: 'KMS' });
  assert.equal((await api.getBucketEncryption(bucket)).encryption.SSEAlgorithm, 'KMS');
  const info = await o.getBucketInfo(bucket);
  assert.equal((info.bucket['ServerSideEncryptionRule'] as { SSEAlgorithm: string }).SSEAlgorithm, 'KMS');
  const deadline = Date.now() + 10_000;
  let sse = '';
  while (Date.now() < deadline) {
    sse = headersOf(await o.put('by-default', Buffer.from('defaulted')))['x-oss-server-side-encryption'] ?? '';
    if (sse === 'KMS') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(sse, 'KMS', 'a PUT without headers is encrypted by the bucket default');
  assert.equal(((await o.get('by-default')).content as Buffer).toString(), 'defaulted');
  assert.equal(await ossErrorCode(o.append('log', Buffer.from('line'))), 'InvalidArgument', 'AppendObject is refused with encryption');
  await api.deleteBucketEncryption(bucket);
  assert.equal(await ossErrorCode(api.getBucketEncryption(bucket)), 'NoSuchServerSideEncryptionRule');
});
