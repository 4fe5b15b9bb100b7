// Multipart uploads through @aws-sdk/client-s3 against a real three-zone cluster: a 100 MiB
// upload in parts (streamed, the SDK's default aws-chunked framing), ListParts,
// ListMultipartUploads, UploadPartCopy, the multipart ETag, and the part error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand,
  GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, UploadPartCommand,
  UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { bodyBytes, errorCode, s3Client, seededBytes, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const BUCKET = 'multi';
const MiB = 1024 * 1024;
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });

const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();

test('a 100 MiB upload in 16 MiB parts: listed while open, completed with the multipart ETag, read back whole and ranged', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const size = 100 * MiB;
  const partSize = 16 * MiB;
  const body = seededBytes(size, 42);
  const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big', ContentType: 'application/x-big', Metadata: { m: 'v' } }));
  assert.ok(UploadId);
  const uploads = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  assert.ok(uploads.Uploads?.some((u) => u.Key === 'big' && u.UploadId === UploadId));
  const parts: Array<{ PartNumber: number; ETag: string }> = [];
  const partMd5s: Buffer[] = [];
  for (let n = 1, off = 0; off < size; n++, off += partSize) {
    const piece = body.subarray(off, Math.min(size, off + partSize));
    const res: { ETag?: string } = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'big', UploadId, PartNumber: n, Body: piece }));
    assert.equal(res.ETag, `"${md5(piece).toString('hex')}"`);
    parts.push({ PartNumber: n, ETag: res.ETag! });
    partMd5s.push(md5(piece));
  }
  const listed = await suite.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big', UploadId }));
  assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), parts.map((p, i) => [p.PartNumber, p.ETag, i < parts.length - 1 ? partSize : size - partSize * (parts.length - 1)]));
  const done = await suite.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'big', UploadId, MultipartUpload: { Parts: parts } }));
  const expectedEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${parts.length}"`;
  assert.equal(done.ETag, expectedEtag);
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big' }));
  assert.equal(head.ContentLength, size);
  assert.equal(head.ContentType, 'application/x-big');
  assert.deepEqual(head.Metadata, { m: 'v' });
  const other = s3Client(suite.c.endpoints[2]!, suite.c.credentials);
  try {
    const got = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big' }));
    assert.ok((await bodyBytes(got.Body)).equals(body), 'whole object through another zone');
    const start = partSize - 100;
    const ranged = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big', Range: `bytes=${start}-${start + 299}` }));
    assert.ok((await bodyBytes(ranged.Body)).equals(body.subarray(start, start + 300)), 'a range across a part boundary');
    const part2 = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big', PartNumber: 2 }));
    assert.equal(part2.PartsCount, parts.length);
    assert.ok((await bodyBytes(part2.Body)).equals(body.subarray(partSize, 2 * partSize)), 'part 2 by number');
  } finally {
    other.destroy();
  }
  const after = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  assert.ok(!after.Uploads?.some((u) => u.UploadId === UploadId), 'a completed upload is no longer listed');
});

test('UploadPartCopy builds an object from ranges of another', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const src = seededBytes(12 * MiB, 5);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'src', Body: src }));
  const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'assembled' }));
  const p1 = await suite.s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'assembled', UploadId, PartNumber: 1, CopySource: `${BUCKET}/src`, CopySourceRange: `bytes=${6 * MiB}-${12 * MiB - 1}` }));
  const p2 = await suite.s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'assembled', UploadId, PartNumber: 2, CopySource: `${BUCKET}/src`, CopySourceRange: 'bytes=0-99' }));
  await suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'assembled', UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult!.ETag! }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag! }] },
  }));
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'assembled' }));
  assert.ok((await bodyBytes(got.Body)).equals(Buffer.concat([src.subarray(6 * MiB), src.subarray(0, 100)])));
});

test('part errors: InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload after abort', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'bad' }));
  const a = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'bad', UploadId, PartNumber: 1, Body: seededBytes(5 * MiB, 1) }));
  const b = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'bad', UploadId, PartNumber: 2, Body: 'tail' }));
  assert.equal(await errorCode(suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'bad', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
  }))), 'InvalidPart');
  assert.equal(await errorCode(suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'bad', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: b.ETag }, { PartNumber: 1, ETag: a.ETag }] },
  }))), 'InvalidPartOrder');
  const small = await suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'bad', UploadId, PartNumber: 3, Body: 'small' }));
  assert.equal(await errorCode(suite.s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'bad', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: b.ETag }, { PartNumber: 3, ETag: small.ETag }] },
  }))), 'EntityTooSmall');
  await suite.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'bad', UploadId }));
  assert.equal(await errorCode(suite.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'bad', UploadId, PartNumber: 4, Body: 'x' }))), 'NoSuchUpload');
  assert.equal(await errorCode(suite.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'bad', UploadId }))), 'NoSuchUpload');
  assert.equal(await errorCode(suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'bad' }))), 'NotFound');
});
