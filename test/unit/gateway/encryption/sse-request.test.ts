// The SSE headers of a request, both dialects: modes, refusals in S3's words, the SSE-C key and
// MD5 checks, and which connections may carry a customer key.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { customerKeyTransportAllowed, parseCustomerKey, parseSseWrite } from '../../../../services/gateway/encryption/sse-request.ts';
import {
  defaultSseWrite, parseBucketEncryption, renderBucketEncryption,
} from '../../../../services/gateway/encryption/bucket-encryption-config.ts';
import { StoreError } from '../../../../services/gateway/errors/store-error.ts';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof StoreError, String(err));
    return err.code;
  }
  throw new Error('expected a refusal');
};

function ssec(key = randomBytes(32), md5 = createHash('md5').update(key).digest('base64')) {
  return {
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-server-side-encryption-customer-key': key.toString('base64'),
    'x-amz-server-side-encryption-customer-key-md5': md5,
  };
}

test('S3 modes', () => {
  assert.equal(parseSseWrite({}, 's3'), undefined);
  assert.deepEqual(parseSseWrite({ 'x-amz-server-side-encryption': 'AES256' }, 's3'), { mode: 'SSE-S3' });
  assert.deepEqual(parseSseWrite({ 'x-amz-server-side-encryption': 'aws:kms' }, 's3'), { mode: 'SSE-KMS', context: {} });
  const ctx = Buffer.from(JSON.stringify({ app: 'x' })).toString('base64');
  assert.deepEqual(parseSseWrite({
    'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'alias/k', 'x-amz-server-side-encryption-context': ctx,
  }, 's3'), { mode: 'SSE-KMS', keyId: 'alias/k', context: { app: 'x' } });
  assert.equal(parseSseWrite(ssec(), 's3')?.mode, 'SSE-C');
});

test('S3 refusals', () => {
  assert.equal(code(() => parseSseWrite({ 'x-amz-server-side-encryption': 'DES' }, 's3')), 'InvalidArgument');
  assert.equal(code(() => parseSseWrite({ 'x-amz-server-side-encryption-aws-kms-key-id': 'k' }, 's3')), 'InvalidArgument');
  assert.equal(code(() => parseSseWrite({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-context': 'not json' }, 's3')), 'InvalidArgument');
  assert.equal(code(() => parseSseWrite({ ...ssec(), 'x-amz-server-side-encryption': 'AES256' }, 's3')), 'InvalidArgument');
  assert.equal(code(() => parseSseWrite({ ...ssec(), 'x-amz-server-side-encryption-customer-algorithm': 'AES128' }, 's3')), 'InvalidEncryptionAlgorithmError');
  assert.equal(code(() => parseSseWrite(ssec(randomBytes(16)), 's3')), 'InvalidArgument', 'a key of the wrong length');
  assert.equal(code(() => parseSseWrite(ssec(randomBytes(32), createHash('md5').update('x').digest('base64')), 's3')), 'InvalidArgument', 'the wrong MD5');
  const { 'x-amz-server-side-encryption-customer-key-md5': _, ...noMd5 } = ssec();
  assert.equal(code(() => parseSseWrite(noMd5, 's3')), 'InvalidArgument');
});

test('copy-source SSE-C headers are read apart from the target\'s', () => {
  const key = randomBytes(32);
  const h = Object.fromEntries(Object.entries(ssec(key)).map(([k, v]) => [k.replace('x-amz-', 'x-amz-copy-source-'), v]));
  assert.ok(parseCustomerKey(h, 's3', 'copy-source-')?.key.equals(key));
  assert.equal(parseCustomerKey(h, 's3', ''), undefined);
  assert.equal(parseSseWrite(h, 's3'), undefined);
});

test('OSS modes: AES256, KMS with or without a key id; no SSE-C', () => {
  assert.deepEqual(parseSseWrite({ 'x-oss-server-side-encryption': 'AES256' }, 'oss'), { mode: 'SSE-S3' });
  assert.deepEqual(parseSseWrite({ 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-encryption-key-id': 'k1' }, 'oss'), { mode: 'SSE-KMS', keyId: 'k1', context: {} });
  assert.equal(code(() => parseSseWrite({ 'x-oss-server-side-encryption': 'SM4' }, 'oss')), 'InvalidEncryptionAlgorithmError');
  assert.equal(code(() => parseSseWrite({ 'x-oss-server-side-encryption-key-id': 'k1' }, 'oss')), 'InvalidArgument');
  assert.equal(parseSseWrite(ssec(), 'oss'), undefined);
});

test('a customer key travels over TLS, or plain HTTP only from loopback', () => {
  assert.equal(customerKeyTransportAllowed(true, '10.0.0.1'), true);
  assert.equal(customerKeyTransportAllowed(false, '127.0.0.1'), true);
  assert.equal(customerKeyTransportAllowed(false, '::ffff:127.0.3.4'), true);
  assert.equal(customerKeyTransportAllowed(false, '::1'), true);
  assert.equal(customerKeyTransportAllowed(false, '10.0.0.1'), false);
  assert.equal(customerKeyTransportAllowed(false, undefined), false);
});

test('bucket default encryption documents, both dialects', () => {
  const s3 = parseBucketEncryption(Buffer.from(`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>
    <SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/b</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>
    <BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`), 's3');
  assert.deepEqual(s3, { algorithm: 'aws:kms', kmsKeyId: 'alias/b', bucketKeyEnabled: true });
  assert.deepEqual(defaultSseWrite(s3), { mode: 'SSE-KMS', keyId: 'alias/b', context: {} });
  assert.match(renderBucketEncryption(s3, 's3'), /<SSEAlgorithm>aws:kms<\/SSEAlgorithm><KMSMasterKeyID>alias\/b<\/KMSMasterKeyID>/);
  const oss = parseBucketEncryption(Buffer.from('<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>'), 'oss');
  assert.deepEqual(oss, { algorithm: 'aws:kms' });
  assert.match(renderBucketEncryption(oss, 'oss'), /<SSEAlgorithm>KMS<\/SSEAlgorithm>/);
  assert.equal(code(() => parseBucketEncryption(Buffer.from('<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>'), 'oss')), 'InvalidArgument');
  assert.equal(code(() => parseBucketEncryption(Buffer.from('<ServerSideEncryptionConfiguration></ServerSideEncryptionConfiguration>'), 's3')), 'MalformedXML');
  assert.equal(code(() => parseBucketEncryption(Buffer.from('<X/>'), 's3')), 'MalformedXML');
});
