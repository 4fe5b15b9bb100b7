// The Alibaba Cloud OSS dialect through the real ali-oss SDK against a real three-zone cluster:
// buckets, objects with metadata, copy, append, symlinks, tagging, listing with delimiter and
// pagination, a 100 MiB multipart upload whose CRC-64/ECMA is checked, signed URLs (V1 and V4),
// V4-signed requests, both addressing styles, and the OSS error codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Crc64Ecma } from '../../../services/gateway/checksums/crc64-ecma.ts';
import { type S3Cluster, seededBytes, startS3Cluster } from '../s3-cluster-fixture.ts';
import { type OssClient, ossClient, ossErrorCode, startLoopbackForwarder } from './oss-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const BUCKET = 'oss-bucket';
const MiB = 1024 * 1024;
let c: S3Cluster;
let oss: OssClient;
let forwarder: { port: number; close(): Promise<void> } | undefined;

before(async () => {
  c = await startS3Cluster();
  // An IP endpoint: ali-oss sends virtual-hosted requests (Host: <bucket>.oss-<region>.aliyuncs.com).
  oss = ossClient(c.endpoints[0]!, c.credentials);
  await oss.putBucket(BUCKET);
  oss.useBucket(BUCKET);
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await forwarder?.close();
  await c?.stop();
});

const crc64 = (b: Uint8Array): string => {
  const h = new Crc64Ecma();
  h.update(b);
  return h.digest();
};

test('buckets: put, list, info, location, stat', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await oss.putBucket('oss-other');
  const listed = await oss.listBuckets({}) as unknown as { buckets?: Array<{ name: string }> };
  assert.ok(listed.buckets?.some((b: { name: string }) => b.name === 'oss-other'));
  const info = await oss.getBucketInfo('oss-other');
  assert.equal(info.bucket.Name, 'oss-other');
  const location = await oss.getBucketLocation('oss-other');
  assert.ok(location.location, 'a location is named');
  await oss.put('counted-1', Buffer.from('12345'));
  await oss.put('counted-2', Buffer.from('678'));
  const stat = await oss.getBucketStat(BUCKET);
  assert.ok(Number(stat.stat.ObjectCount) >= 2);
  assert.ok(Number(stat.stat.Storage) >= 8);
  await oss.deleteBucket('oss-other');
  assert.equal(await ossErrorCode(oss.getBucketInfo('oss-other')), 'NoSuchBucket');
});

test('objects: put with metadata, get, head, object meta, copy, delete; CRC-64 on every answer', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(300_000, 1);
  const put = await oss.put('dir/obj.bin', body, { meta: { colour: 'blue' } as never, mime: 'application/x-test' });
  assert.equal(put.res.status, 200);
  assert.equal((put.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crc64(body));
  const got = await oss.get('dir/obj.bin');
  assert.ok(Buffer.from(got.content).equals(body));
  assert.equal((got.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crc64(body));
  const head = await oss.head('dir/obj.bin');
  assert.deepEqual(head.meta, { colour: 'blue' });
  assert.equal((head.res.headers as Record<string, string>)['content-type'], 'application/x-test');
  assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Normal');
  const meta = await oss.getObjectMeta('dir/obj.bin');
  assert.equal(meta.status, 200);
  await oss.copy('dir/copy.bin', 'dir/obj.bin');
  assert.ok(Buffer.from((await oss.get('dir/copy.bin')).content).equals(body));
  await oss.delete('dir/copy.bin');
  assert.equal(await ossErrorCode(oss.get('dir/copy.bin')), 'NoSuchKey');
});

test('append: positions checked, appendable type, CRC combined', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const a = Buffer.from('first piece;');
  const b = seededBytes(200_000, 2);
  const r1 = await oss.append('log.txt', a);
  assert.equal(Number(r1.nextAppendPosition), a.length);
  const r2 = await oss.append('log.txt', b, { position: String(a.length) });
  assert.equal(Number(r2.nextAppendPosition), a.length + b.length);
  assert.equal(await ossErrorCode(oss.append('log.txt', Buffer.from('x'), { position: '1' })), 'PositionNotEqualToLength');
  const got = await oss.get('log.txt');
  const whole = Buffer.concat([a, b]);
  assert.ok(Buffer.from(got.content).equals(whole));
  const headers = got.res.headers as Record<string, string>;
  assert.equal(headers['x-oss-object-type'], 'Appendable');
  assert.equal(headers['x-oss-hash-crc64ecma'], crc64(whole));
  await oss.put('normal.txt', Buffer.from('n'));
  assert.equal(await ossErrorCode(oss.append('normal.txt', Buffer.from('x'), { position: '1' })), 'ObjectNotAppendable');
});

test('symlinks and tagging', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await oss.put('target.txt', Buffer.from('pointed at'));
  await oss.putSymlink('link', 'target.txt');
  assert.equal((await oss.getSymlink('link')).targetName, 'target.txt');
  assert.equal(Buffer.from((await oss.get('link')).content).toString(), 'pointed at');
  assert.equal(await ossErrorCode(oss.getSymlink('target.txt')), 'NotSymlink');
  await oss.putObjectTagging('target.txt', { team: 'storage', tier: 'gold' });
  assert.deepEqual((await oss.getObjectTagging('target.txt')).tag, { team: 'storage', tier: 'gold' });
  await oss.deleteObjectTagging('target.txt');
  assert.deepEqual((await oss.getObjectTagging('target.txt')).tag, {});
});

test('listing: delimiter and pagination (v1 markers, v2 tokens); multi-delete', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const keys = ['l/a', 'l/b', 'l/c/1', 'l/c/2', 'l/d', 'l/e f', 'l/ü'];
  for (const k of keys) await oss.put(k, Buffer.from(k));
  const top = await oss.list({ prefix: 'l/', delimiter: '/', 'max-keys': 100 }, {});
  assert.deepEqual(top.prefixes, ['l/c/']);
  assert.deepEqual(top.objects.map((o) => o.name), ['l/a', 'l/b', 'l/d', 'l/e f', 'l/ü']);
  const seen: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await oss.list({ prefix: 'l/', 'max-keys': 3, marker }, {});
    seen.push(...(page.objects ?? []).map((o) => o.name));
    if (!page.isTruncated) break;
    marker = page.nextMarker;
  }
  assert.deepEqual(seen, [...keys].sort());
  const v2: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await oss.listV2({ prefix: 'l/', 'max-keys': '2', 'continuation-token': token } as never);
    v2.push(...(page.objects ?? []).map((o) => o.name));
    if (!page.isTruncated) break;
    token = page.nextContinuationToken;
  }
  assert.deepEqual(v2, seen);
  const deleted = await oss.deleteMulti(keys, { quiet: false });
  assert.equal(deleted.deleted?.length, keys.length);
  assert.equal((await oss.list({ prefix: 'l/', 'max-keys': 100 }, {})).objects?.length ?? 0, 0);
});

test('a 100 MiB multipart upload: parts listed while open, CRC-64 of the whole combined from the parts', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(100 * MiB, 42);
  const init = await oss.initMultipartUpload('big.bin');
  const uploads = await oss.listUploads({});
  assert.ok(uploads.uploads.some((u: { name: string; uploadId: string }) => u.name === 'big.bin' && u.uploadId === init.uploadId));
  await oss.abortMultipartUpload('big.bin', init.uploadId);
  const done = await oss.multipartUpload('big.bin', body, { partSize: 10 * MiB, parallel: 4 });
  assert.equal(done.res.status, 200);
  const got = await oss.get('big.bin');
  assert.ok(Buffer.from(got.content).equals(body));
  const headers = got.res.headers as Record<string, string>;
  assert.equal(headers['x-oss-object-type'], 'Multipart');
  assert.equal(headers['x-oss-hash-crc64ecma'], crc64(body));
});

test('multipart by hand: upload part, upload part copy, list parts, complete', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const src = seededBytes(12 * MiB, 7);
  await oss.put('mp-src.bin', src);
  const { uploadId } = await oss.initMultipartUpload('mp-dst.bin');
  const first = await oss.uploadPart('mp-dst.bin', uploadId, 1, seededBytes(6 * MiB, 8), 0, 6 * MiB);
  const second = await oss.uploadPartCopy('mp-dst.bin', uploadId, 2, `${6 * MiB}-${12 * MiB - 1}`,
    { sourceKey: 'mp-src.bin', sourceBucketName: BUCKET }, {});
  const parts = await oss.listParts('mp-dst.bin', uploadId);
  const listed = parts.parts as unknown as Array<{ PartNumber: string; Size: string }>;
  assert.deepEqual(listed.map((p) => [Number(p.PartNumber), Number(p.Size)]), [[1, 6 * MiB], [2, 6 * MiB]]);
  await oss.completeMultipartUpload('mp-dst.bin', uploadId, [{ number: 1, etag: first.etag }, { number: 2, etag: second.etag }]);
  const got = await oss.get('mp-dst.bin');
  const want = Buffer.concat([seededBytes(6 * MiB, 8), src.subarray(6 * MiB)]);
  assert.ok(Buffer.from(got.content).equals(want));
  assert.equal((got.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crc64(want));
});

test('signed URLs (V1 and V4) work until they expire', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await oss.put('shared.txt', Buffer.from('via a signed URL'));
  // ali-oss makes URLs only for hostname endpoints: localhost, forwarded to a zone's gateway.
  forwarder ??= await startLoopbackForwarder(c.endpoints[2]!.replace('http://', ''));
  const named = ossClient(`http://localhost:${forwarder.port}`, c.credentials, { sldEnable: true, bucket: BUCKET });
  const v1 = named.signatureUrl('shared.txt', { expires: 300 });
  const r1 = await fetch(v1);
  assert.equal(r1.status, 200);
  assert.equal(await r1.text(), 'via a signed URL');
  const v4 = await named.signatureUrlV4('GET', 300, undefined, 'shared.txt');
  const r4 = await fetch(v4);
  assert.equal(r4.status, 200, await r4.clone().text());
  assert.equal(await r4.text(), 'via a signed URL');
  const expired = named.signatureUrl('shared.txt', { expires: 1 });
  await new Promise((r) => setTimeout(r, 2_100));
  const r = await fetch(expired);
  assert.equal(r.status, 403);
  assert.match(await r.text(), /<Code>AccessDenied<\/Code>/);
});

test('V4-signed requests, and path-style through a hostname endpoint', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const v4 = ossClient(c.endpoints[1]!, c.credentials, { authorizationV4: true, bucket: BUCKET });
  await v4.put('v4.txt', Buffer.from('signed with V4'));
  assert.equal(Buffer.from((await v4.get('v4.txt')).content).toString(), 'signed with V4');
  forwarder ??= await startLoopbackForwarder(c.endpoints[2]!.replace('http://', ''));
  const pathStyle = ossClient(`http://localhost:${forwarder.port}`, c.credentials, { sldEnable: true, bucket: BUCKET });
  await pathStyle.put('path-style.txt', Buffer.from('path style'));
  assert.equal(Buffer.from((await pathStyle.get('path-style.txt')).content).toString(), 'path style');
  assert.equal(Buffer.from((await oss.get('path-style.txt')).content).toString(), 'path style');
});

test('refusals carry OSS codes: bad V1 and V4 signatures, unknown key, missing things', { timeout: SUITE_TIMEOUT_MS }, async () => {
  // The last character changed to one it surely is not (a random secret ends in 'x' one time in 62).
  const secret = c.credentials.secretAccessKey;
  const wrong = { ...c.credentials, secretAccessKey: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` };
  assert.equal(await ossErrorCode(ossClient(c.endpoints[0]!, wrong, { bucket: BUCKET }).put('x', Buffer.from('x'))), 'SignatureDoesNotMatch');
  assert.equal(await ossErrorCode(ossClient(c.endpoints[0]!, wrong, { bucket: BUCKET, authorizationV4: true }).put('x', Buffer.from('x'))), 'SignatureDoesNotMatch');
  const unknown = { accessKeyId: 'ZSNOSUCHKEY000000000', secretAccessKey: c.credentials.secretAccessKey };
  assert.equal(await ossErrorCode(ossClient(c.endpoints[0]!, unknown, { bucket: BUCKET }).put('x', Buffer.from('x'))), 'InvalidAccessKeyId');
  assert.equal(await ossErrorCode(oss.get('never-written')), 'NoSuchKey');
  assert.equal(await ossErrorCode(ossClient(c.endpoints[0]!, c.credentials, { bucket: 'no-such-bucket' }).get('x')), 'NoSuchBucket');
  assert.equal(await ossErrorCode(oss.get('x')), 'NoSuchKey');
  assert.equal(await ossErrorCode(oss.put('k'.repeat(1024), Buffer.from('x'))), 'InvalidObjectName');
  const md5 = createHash('md5').update('other').digest('base64');
  assert.equal(await ossErrorCode(oss.put('bad-md5', Buffer.from('body'), { headers: { 'Content-MD5': md5 } })), 'InvalidDigest');
});
