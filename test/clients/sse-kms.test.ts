// SSE-S3 and SSE-KMS through @aws-sdk/client-s3 (and the KMS API through @aws-sdk/client-kms) on
// a real three-zone cluster: round trips whole, ranged and multipart with the key ARN returned on
// every answer, copies re-encrypting (in place too), a disabled CMK refusing reads with
// KMS.DisabledException until it is enabled again, a rotated CMK still opening old objects,
// bucket default encryption, and a bucket policy refusing unencrypted PUTs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteBucketEncryptionCommand, GetBucketEncryptionCommand,
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListPartsCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectCommand, UploadPartCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import {
  CancelKeyDeletionCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient,
  RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { bodyBytes, errorCode, errorStatus, REGION, seededBytes, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'ssekms';
const MiB = 1024 * 1024;
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });
const md5Hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function kms(): KMSClient {
  return new KMSClient({ endpoint: `${suite.c.endpoints[0]}/_zonestore/kms`, region: REGION, credentials: suite.c.credentials, maxAttempts: 1 });
}

async function newKey(): Promise<{ keyId: string; arn: string }> {
  const k = kms();
  try {
    const created = await k.send(new CreateKeyCommand({ Description: 'sse test key' }));
    return { keyId: created.KeyMetadata!.KeyId!, arn: created.KeyMetadata!.Arn! };
  } finally {
    k.destroy();
  }
}

async function readAll(key: string, extra: Record<string, unknown> = {}): Promise<Buffer> {
  return bodyBytes((await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...extra }))).Body);
}

test('SSE-S3: AES256 on put/get/head, the ETag is the plaintext MD5, listings show plaintext sizes', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(1 * MiB + 3, 10);
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 's3', Body: body, ServerSideEncryption: 'AES256' }));
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal(put.ETag, `"${md5Hex(body)}"`);
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 's3', Range: 'bytes=65530-70000' }));
  assert.equal(got.ServerSideEncryption, 'AES256');
  assert.ok((await bodyBytes(got.Body)).equals(body.subarray(65530, 70001)));
  assert.ok((await readAll('s3')).equals(body));
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 's3' }));
  assert.equal(head.ContentLength, body.length);
  assert.equal(head.ServerSideEncryption, 'AES256');
  const listed = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 's3' }));
  assert.equal(listed.Contents?.[0]?.Size, body.length);
});

test('SSE-KMS with the default key and a named key: the key ARN on put/get/head, multipart and copies', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(300_000, 11);
  const dflt = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-default', Body: body, ServerSideEncryption: 'aws:kms' }));
  assert.equal(dflt.ServerSideEncryption, 'aws:kms');
  assert.match(dflt.SSEKMSKeyId ?? '', /^arn:aws:kms:/);
  assert.notEqual(dflt.ETag, `"${md5Hex(body)}"`, 'an SSE-KMS ETag is not the plaintext MD5');
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kms-default' }));
  assert.equal(got.SSEKMSKeyId, dflt.SSEKMSKeyId);
  assert.ok((await bodyBytes(got.Body)).equals(body));

  const { keyId, arn } = await newKey();
  const named = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-named', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  assert.equal(named.SSEKMSKeyId, arn);
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'kms-named' }));
  assert.equal(head.SSEKMSKeyId, arn);
  assert.equal(head.ServerSideEncryption, 'aws:kms');
  const r = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kms-named', Range: 'bytes=131000-131100' }));
  assert.ok((await bodyBytes(r.Body)).equals(body.subarray(131000, 131101)));

  const mpBody = seededBytes(5 * MiB + 777, 12);
  const up = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'kms-mp', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn }));
  assert.equal(up.SSEKMSKeyId, arn);
  const p1 = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'kms-mp', UploadId: up.UploadId, PartNumber: 1, Body: mpBody.subarray(0, 5 * MiB) }));
  assert.equal(p1.SSEKMSKeyId, arn);
  const p2 = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'kms-mp', UploadId: up.UploadId, PartNumber: 2, Body: mpBody.subarray(5 * MiB) }));
  const listed = await suite.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'kms-mp', UploadId: up.UploadId }));
  assert.deepEqual(listed.Parts?.map((p) => p.Size), [5 * MiB, mpBody.length - 5 * MiB], 'ListParts shows plaintext sizes');
  const done = await suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'kms-mp', UploadId: up.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
  }));
  assert.equal(done.SSEKMSKeyId, arn);
  assert.equal(done.ServerSideEncryption, 'aws:kms');
  assert.ok((await readAll('kms-mp')).equals(mpBody));
  const across = await readAll('kms-mp', { Range: `bytes=${5 * MiB - 3}-${5 * MiB + 3}` });
  assert.ok(across.equals(mpBody.subarray(5 * MiB - 3, 5 * MiB + 4)));

  const copied = await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'kms-to-s3', CopySource: `${BUCKET}/kms-named`, ServerSideEncryption: 'AES256' }));
  assert.equal(copied.ServerSideEncryption, 'AES256');
  assert.ok((await readAll('kms-to-s3')).equals(body));
  const inPlace = await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'kms-default', CopySource: `${BUCKET}/kms-default`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn }));
  assert.equal(inPlace.SSEKMSKeyId, arn, 'copied in place under another key');
  assert.equal((await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'kms-default' }))).SSEKMSKeyId, arn);
  assert.ok((await readAll('kms-default')).equals(body));
});

test('a disabled CMK refuses reads with KMS.DisabledException; enabled again, the object reads', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { keyId } = await newKey();
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-disabled', Body: 'guarded', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  const k = kms();
  try {
    await k.send(new DisableKeyCommand({ KeyId: keyId }));
    // The key service caches key records briefly (KEY_RECORD_TTL_MS): wait until every gateway sees the change.
    await untilCode(() => errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kms-disabled' }))), 'KMS.DisabledException');
    assert.equal(await errorStatus(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kms-disabled' }))), 400);
    assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-disabled-2', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }))),
      'KMS.DisabledException', 'nor can new objects use it');
    await k.send(new EnableKeyCommand({ KeyId: keyId }));
    await untilCode(async () => (await readAll('kms-disabled')).toString(), 'guarded');
  } finally {
    k.destroy();
  }
});

test('a CMK pending deletion refuses reads with KMS.KMSInvalidStateException; the deletion cancelled, it reads', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { keyId } = await newKey();
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-deleting', Body: 'doomed', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  const k = kms();
  try {
    await k.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await untilCode(() => errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kms-deleting' }))), 'KMS.KMSInvalidStateException');
    await k.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    // A cancelled deletion leaves the key disabled, as in AWS KMS.
    await k.send(new EnableKeyCommand({ KeyId: keyId }));
    await untilCode(async () => (await readAll('kms-deleting')).toString(), 'doomed');
  } finally {
    k.destroy();
  }
});

test('SSE-KMS under a BYOK key (imported material) works the same', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const k = kms();
  try {
    const key = (await k.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Description: 'byok for sse' }))).KeyMetadata!;
    const params = await k.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const wrapped = publicEncrypt({
      key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256',
    }, randomBytes(32));
    await k.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
    const body = seededBytes(70_000, 15);
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-byok', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId }));
    assert.equal(put.SSEKMSKeyId, key.Arn);
    assert.ok((await readAll('kms-byok')).equals(body));
  } finally {
    k.destroy();
  }
});

test('a rotated CMK still opens objects written under its earlier version', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { keyId } = await newKey();
  const before = seededBytes(100_000, 13);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-rot-old', Body: before, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  const k = kms();
  try {
    await k.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
  } finally {
    k.destroy();
  }
  const after = seededBytes(100_000, 14);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms-rot-new', Body: after, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
  assert.ok((await readAll('kms-rot-old')).equals(before));
  assert.ok((await readAll('kms-rot-new')).equals(after));
});

test('bucket default encryption: none → NotFound; AES256 and KMS applied to PUTs without headers; deleted again', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const bucket = 'ssedefault';
  await suite.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  assert.equal(await errorCode(suite.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))), 'ServerSideEncryptionConfigurationNotFoundError');
  await suite.s3.send(new PutBucketEncryptionCommand({
    Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
  }));
  const got = await suite.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  assert.equal(got.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'default encrypted' }));
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal((await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a' }))).ServerSideEncryption, 'AES256');

  const { arn } = await newKey();
  await suite.s3.send(new PutBucketEncryptionCommand({
    Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn } }] },
  }));
  // Bucket records are cached briefly by each gateway: the new default reaches the PUT within that.
  await untilCode(async () => (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: 'kms by default' }))).SSEKMSKeyId ?? '', arn);
  const explicit = await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'own choice', ServerSideEncryption: 'AES256' }));
  assert.equal(explicit.ServerSideEncryption, 'AES256', 'a request\'s own headers win over the default');
  await suite.s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
  assert.equal(await errorCode(suite.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))), 'ServerSideEncryptionConfigurationNotFoundError');
  await untilCode(async () => (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'd', Body: 'plain again' }))).ServerSideEncryption ?? 'none', 'none');
  assert.equal(await errorCode(suite.s3.send(new PutBucketEncryptionCommand({
    Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'DES' as 'AES256' } }] },
  }))), 'InvalidArgument');
});

test('a bucket policy denying PutObject without x-amz-server-side-encryption refuses plain PUTs only', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const bucket = 'ssepolicy';
  await suite.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await suite.s3.send(new PutBucketPolicyCommand({
    Bucket: bucket, Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyUnencrypted', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
      }],
    }),
  }));
  await untilCode(() => errorCode(suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'x' }))), 'AccessDenied');
  const ok = await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'enc', Body: 'x', ServerSideEncryption: 'AES256' }));
  assert.equal(ok.ServerSideEncryption, 'AES256');
});

/** Polls `f` until it yields `want` (a cached record or key state reaching every gateway), at most 10 s. */
async function untilCode(f: () => Promise<string>, want: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  for (;;) {
    last = await f().catch((e: unknown) => `threw ${(e as Error).name}`);
    if (last === want) return;
    if (Date.now() > deadline) assert.fail(`expected ${want}, still ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
