// Object operations through @aws-sdk/client-s3 against a real three-zone cluster: put/get/head
// with metadata, ranges, conditionals, overrides, checksums, streaming (aws-chunked) uploads,
// presigned URLs, copy and delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { bodyBytes, errorCode, errorStatus, s3Client, seededBytes, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'objects';
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

test('put, head and get keep bytes, ETag, content headers and user metadata', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(1000, 1);
  const put = await suite.s3.send(new PutObjectCommand({
    Bucket: BUCKET, Key: 'dir/file.bin', Body: body, ContentType: 'application/x-test', CacheControl: 'max-age=60',
    ContentDisposition: 'attachment; filename="f.bin"', Metadata: { colour: 'blue', 'two-words': 'a b' },
  }));
  assert.equal(put.ETag, `"${md5(body)}"`);
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dir/file.bin' }));
  assert.equal(head.ContentLength, 1000);
  assert.equal(head.ETag, put.ETag);
  assert.equal(head.ContentType, 'application/x-test');
  assert.equal(head.CacheControl, 'max-age=60');
  assert.equal(head.ContentDisposition, 'attachment; filename="f.bin"');
  assert.deepEqual(head.Metadata, { colour: 'blue', 'two-words': 'a b' });
  assert.ok(head.LastModified instanceof Date && Math.abs(head.LastModified.getTime() - Date.now()) < 60_000);
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/file.bin' }));
  assert.deepEqual(await bodyBytes(got.Body), body);
});

test('objects of every size class round-trip through every zone\'s gateway', { timeout: SUITE_TIMEOUT_MS }, async () => {
  // Empty, replicated (< 128 KiB), one erasure stripe, several stripes with a short last one.
  const sizes = [0, 1, 128 * 1024 - 1, 128 * 1024, 6 * 1024 * 1024 + 1, 20 * 1024 * 1024 + 7];
  for (const [i, size] of sizes.entries()) {
    const body = seededBytes(size, 100 + i);
    await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sized/${size}`, Body: body }));
    for (const endpoint of suite.c.endpoints) {
      const other = s3Client(endpoint, suite.c.credentials);
      try {
        const got = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: `sized/${size}` }));
        assert.equal(got.ContentLength, size);
        assert.ok((await bodyBytes(got.Body)).equals(body), `size ${size} via ${endpoint}`);
      } finally {
        other.destroy();
      }
    }
  }
});

test('range reads: first bytes, suffix, open-ended, across stripes; unsatisfiable is InvalidRange', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const size = 13 * 1024 * 1024 + 3;
  const body = seededBytes(size, 7);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ranged', Body: body }));
  const cases: Array<[string, number, number]> = [
    ['bytes=0-9', 0, 9],
    ['bytes=-5', size - 5, size - 1],
    [`bytes=${size - 100}-`, size - 100, size - 1],
    [`bytes=${6 * 1024 * 1024 - 10}-${6 * 1024 * 1024 + 10}`, 6 * 1024 * 1024 - 10, 6 * 1024 * 1024 + 10],
    ['bytes=1048570-1048580', 1048570, 1048580],
    [`bytes=0-${size + 1000}`, 0, size - 1],
  ];
  for (const [range, start, end] of cases) {
    const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ranged', Range: range }));
    assert.equal(got.ContentRange, `bytes ${start}-${end}/${size}`, range);
    assert.equal(got.ContentLength, end - start + 1, range);
    assert.ok((await bodyBytes(got.Body)).equals(body.subarray(start, end + 1)), range);
  }
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ranged', Range: `bytes=${size}-` }))), 'InvalidRange');
});

test('conditional reads and writes', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'first' }));
  const etag = put.ETag!;
  const ok = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfMatch: etag }));
  assert.equal((await bodyBytes(ok.Body)).toString(), 'first');
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfMatch: '"0000"' }))), 'PreconditionFailed');
  assert.equal(await errorStatus(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond', IfNoneMatch: etag }))), 304);
  assert.equal(await errorStatus(suite.s3.send(new GetObjectCommand({
    Bucket: BUCKET, Key: 'cond', IfModifiedSince: new Date(Date.now() + 3_600_000),
  }))), 304);
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({
    Bucket: BUCKET, Key: 'cond', IfUnmodifiedSince: new Date(Date.now() - 3_600_000),
  }))), 'PreconditionFailed');
  // Create-only writes: the second loses.
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'create-once', Body: 'a', IfNoneMatch: '*' }));
  assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'create-once', Body: 'b', IfNoneMatch: '*' }))), 'PreconditionFailed');
  const kept = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'create-once' }));
  assert.equal((await bodyBytes(kept.Body)).toString(), 'a');
});

test('response-* overrides', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'override', Body: 'x', ContentType: 'text/plain' }));
  const got = await suite.s3.send(new GetObjectCommand({
    Bucket: BUCKET, Key: 'override', ResponseContentType: 'image/png', ResponseContentDisposition: 'inline', ResponseCacheControl: 'no-cache',
  }));
  assert.equal(got.ContentType, 'image/png');
  assert.equal(got.ContentDisposition, 'inline');
  assert.equal(got.CacheControl, 'no-cache');
});

test('checksums: verified on upload, returned with checksum mode', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(300_000, 9);
  const sha256 = createHash('sha256').update(body).digest('base64');
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'summed', Body: body, ChecksumAlgorithm: 'SHA256' }));
  assert.equal(put.ChecksumSHA256, sha256);
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'summed', ChecksumMode: 'ENABLED' }));
  assert.equal(got.ChecksumSHA256, sha256);
  assert.ok((await bodyBytes(got.Body)).equals(body));
  // A wrong value is refused and nothing is stored.
  assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({
    Bucket: BUCKET, Key: 'bad-sum', Body: body, ChecksumSHA256: createHash('sha256').update('other').digest('base64'),
  }))), 'BadDigest');
  assert.equal(await errorCode(suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'bad-sum' }))), 'NotFound');
});

test('a streamed body goes up aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER) and is stored without framing', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(3 * 1024 * 1024 + 11, 12);
  const seen: string[] = [];
  const client = s3Client(suite.c.endpoints[1]!, suite.c.credentials);
  client.middlewareStack.add((next) => async (args) => {
    const h = (args.request as { headers?: Record<string, string> }).headers ?? {};
    seen.push(`${h['x-amz-content-sha256']}|${h['content-encoding'] ?? ''}`);
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordPayloadMode' });
  try {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed', Body: Readable.from([body.subarray(0, 1_000_000), body.subarray(1_000_000)]), ContentLength: body.length }));
    assert.ok(seen.some((s) => s.startsWith('STREAMING-UNSIGNED-PAYLOAD-TRAILER') && s.includes('aws-chunked')), `payload modes seen: ${seen.join(', ')}`);
    const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed' }));
    assert.equal(got.ETag, `"${md5(body)}"`);
    assert.ok((await bodyBytes(got.Body)).equals(body));
  } finally {
    client.destroy();
  }
});

test('presigned GET and PUT work until they expire', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const putUrl = await getSignedUrl(suite.s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'presigned key +=&.txt' }), { expiresIn: 300 });
  const up = await fetch(putUrl, { method: 'PUT', body: 'through a URL' });
  assert.equal(up.status, 200, await up.text());
  const getUrl = await getSignedUrl(suite.s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned key +=&.txt' }), { expiresIn: 300 });
  const down = await fetch(getUrl);
  assert.equal(down.status, 200);
  assert.equal(await down.text(), 'through a URL');
  const shortUrl = await getSignedUrl(suite.s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned key +=&.txt' }), { expiresIn: 1 });
  await new Promise((r) => setTimeout(r, 2_100));
  const expired = await fetch(shortUrl);
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /<Code>AccessDenied<\/Code>.*Request has expired/s);
});

test('copy: metadata kept or replaced, conditions, not onto itself unchanged', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(200_000, 3);
  const src = await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'copy/src', Body: body, ContentType: 'text/x-src', Metadata: { a: '1' } }));
  const kept = await suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/kept', CopySource: `${BUCKET}/copy/src` }));
  assert.equal(kept.CopyObjectResult?.ETag, src.ETag);
  const keptHead = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy/kept' }));
  assert.equal(keptHead.ContentType, 'text/x-src');
  assert.deepEqual(keptHead.Metadata, { a: '1' });
  await suite.s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy/replaced', CopySource: `${BUCKET}/copy/src`, MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { b: '2' },
  }));
  const replaced = await suite.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy/replaced' }));
  assert.equal(replaced.ContentType, 'text/x-new');
  assert.deepEqual(replaced.Metadata, { b: '2' });
  const copied = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy/replaced' }));
  assert.ok((await bodyBytes(copied.Body)).equals(body));
  assert.equal(await errorCode(suite.s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy/never', CopySource: `${BUCKET}/copy/src`, CopySourceIfMatch: '"ffff"',
  }))), 'PreconditionFailed');
  assert.equal(await errorCode(suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/src', CopySource: `${BUCKET}/copy/src` }))), 'InvalidRequest');
  assert.equal(await errorCode(suite.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/x', CopySource: `${BUCKET}/copy/missing` }))), 'NoSuchKey');
});

test('delete one and many; deleting what is not there succeeds', { timeout: SUITE_TIMEOUT_MS }, async () => {
  for (let i = 0; i < 5; i++) await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `del/${i}`, Body: String(i) }));
  await suite.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/0' }));
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'del/0' }))), 'NoSuchKey');
  await suite.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/0' }));
  const many = await suite.s3.send(new DeleteObjectsCommand({
    Bucket: BUCKET, Delete: { Objects: [{ Key: 'del/1' }, { Key: 'del/2' }, { Key: 'del/none' }] },
  }));
  assert.deepEqual(many.Deleted?.map((d) => d.Key).sort(), ['del/1', 'del/2', 'del/none']);
  assert.equal(many.Errors, undefined);
  const quiet = await suite.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'del/3' }], Quiet: true } }));
  assert.equal(quiet.Deleted, undefined);
  const left = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'del/' }));
  assert.deepEqual(left.Contents?.map((o) => o.Key), ['del/4']);
});

test('missing things have their codes', { timeout: SUITE_TIMEOUT_MS }, async () => {
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nothing' }))), 'NoSuchKey');
  assert.equal(await errorCode(suite.s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))), 'NoSuchBucket');
  assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'x', Body: 'x' }))), 'NoSuchBucket');
  assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1025), Body: 'x' }))), 'KeyTooLongError');
  // Canned ACLs are stored (test/clients/access-control-api.test.ts); an unknown one is refused.
  assert.equal(await errorCode(suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public', Body: 'x', ACL: 'no-such-acl' as never }))), 'InvalidArgument');
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private', Body: 'x', ACL: 'private' }));
});
