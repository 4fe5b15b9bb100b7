// SSE-C (customer-provided keys) through @aws-sdk/client-s3 on a real three-zone cluster: round
// trips whole, ranged and by part number, multipart with the key on every part, copies between
// SSE-C, plain and another key (in place too), and the refusals — no key (400 InvalidRequest),
// the wrong key (403 AccessDenied, no data), a key on a plain object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  PutObjectCommand, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { bodyBytes, errorCode, errorStatus, seededBytes, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'ssec';
const MiB = 1024 * 1024;
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });

function customerKey(): { SSECustomerAlgorithm: string; SSECustomerKey: string; SSECustomerKeyMD5: string } {
  const key = randomBytes(32);
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(key).digest('base64') };
}
const copySourceKey = (k: ReturnType<typeof customerKey>) => ({
  CopySourceSSECustomerAlgorithm: k.SSECustomerAlgorithm, CopySourceSSECustomerKey: k.SSECustomerKey, CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5,
});

test('SSE-C: put, get whole and ranged, head; the key MD5 comes back', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const k = customerKey();
  const body = seededBytes(300 * 1024 + 17, 1);
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'obj', Body: body, ...k }));
  assert.equal(put.SSECustomerAlgorithm, 'AES256');
  assert.equal(put.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
  assert.notEqual(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`, 'an SSE-C ETag is not the plaintext MD5');
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'obj', ...k }));
  assert.equal(got.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
  assert.equal(got.ContentLength, body.length);
  assert.ok((await bodyBytes(got.Body)).equals(body));
  for (const [s, e] of [[0, 0], [65535, 65536], [100, 200_000], [body.length - 5, body.length - 1], [131072, 131072 + 65535]] as const) {
    const r = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'obj', Range: `bytes=${s}-${e}`, ...k }));
    assert.equal(r.ContentRange, `bytes ${s}-${e}/${body.length}`);
    assert.ok((await bodyBytes(r.Body)).equals(body.subarray(s, e + 1)), `range ${s}-${e}`);
  }
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'obj', ...k }));
  assert.equal(head.ContentLength, body.length, 'HEAD shows the plaintext size');
  assert.equal(head.SSECustomerAlgorithm, 'AES256');
});

test('SSE-C: no key → 400 InvalidRequest, the wrong key → 403 AccessDenied with no data, a key on a plain object → 400', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const k = customerKey();
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked', Body: 'secret data', ...k }));
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked' }))), 'InvalidRequest');
  assert.equal(await errorStatus(suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'locked' }))), 400);
  const wrong = customerKey();
  let raw = '';
  try {
    await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked', ...wrong }));
    assert.fail('a wrong key must be refused');
  } catch (err) {
    const e = err as { name: string; $metadata: { httpStatusCode?: number }; $response?: { body?: unknown } };
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata.httpStatusCode, 403);
    raw = JSON.stringify(err);
  }
  assert.ok(!raw.includes('secret data'), 'the refusal carries none of the data');
  assert.equal(await errorStatus(suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'locked', ...wrong }))), 403);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain', Body: 'plain' }));
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'plain', ...k }))), 'InvalidRequest');
  // (A key MD5 that does not match is InvalidArgument: the SDK always sends the right one; see the unit tests.)
});

test('SSE-C multipart: the key on every part, read across the part boundary and by part number', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const k = customerKey();
  const body = seededBytes(6 * MiB + 1234, 2);
  const { UploadId, SSECustomerKeyMD5 } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp', ...k }));
  assert.equal(SSECustomerKeyMD5, k.SSECustomerKeyMD5);
  assert.equal(await errorCode(suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 1, Body: body.subarray(0, 5 * MiB) }))),
    'InvalidRequest', 'a part without the key is refused');
  const p1 = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 1, Body: body.subarray(0, 5 * MiB), ...k }));
  const p2 = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 2, Body: body.subarray(5 * MiB), ...k }));
  await suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
  }));
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', ...k }));
  assert.ok((await bodyBytes(got.Body)).equals(body));
  const s = 5 * MiB - 10;
  const r = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', Range: `bytes=${s}-${s + 99}`, ...k }));
  assert.ok((await bodyBytes(r.Body)).equals(body.subarray(s, s + 100)));
  const part2 = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', PartNumber: 2, ...k }));
  assert.ok((await bodyBytes(part2.Body)).equals(body.subarray(5 * MiB)));
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'mp', ...k }));
  assert.equal(head.ContentLength, body.length);
});

test('SSE-C copies: to plain, to another key, in place to a new key, and UploadPartCopy', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const a = customerKey();
  const b = customerKey();
  const body = seededBytes(200_000, 3);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'src', Body: body, ...a }));
  assert.equal(await errorCode(suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/src` }))), 'InvalidRequest',
    'copying an SSE-C source needs its key');
  await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'to-plain', CopySource: `${BUCKET}/src`, ...copySourceKey(a) }));
  assert.ok((await bodyBytes((await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'to-plain' }))).Body)).equals(body));
  const copied = await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'to-b', CopySource: `${BUCKET}/src`, ...copySourceKey(a), ...b }));
  assert.equal(copied.SSECustomerKeyMD5, b.SSECustomerKeyMD5);
  assert.equal(await errorStatus(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'to-b', ...a }))), 403);
  assert.ok((await bodyBytes((await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'to-b', ...b }))).Body)).equals(body));
  await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'src', CopySource: `${BUCKET}/src`, ...copySourceKey(a), ...b }));
  assert.equal(await errorStatus(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'src', ...a }))), 403, 'in place: the old key no longer opens it');
  assert.ok((await bodyBytes((await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'src', ...b }))).Body)).equals(body));

  const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'assembled', ...a }));
  const big = seededBytes(5 * MiB, 4);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big-plain', Body: big }));
  const c1 = await suite.s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'assembled', UploadId, PartNumber: 1, CopySource: `${BUCKET}/big-plain`, ...a }));
  const c2 = await suite.s3.send(new UploadPartCopyCommand({
    Bucket: BUCKET, Key: 'assembled', UploadId, PartNumber: 2, CopySource: `${BUCKET}/src`, CopySourceRange: 'bytes=10-70009', ...copySourceKey(b), ...a,
  }));
  await suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'assembled', UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult!.ETag }] },
  }));
  const got = await bodyBytes((await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'assembled', ...a }))).Body);
  assert.ok(got.equals(Buffer.concat([big, body.subarray(10, 70010)])));
});
