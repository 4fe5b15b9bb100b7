import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import { parseS3Request, type S3Request } from '../../../../services/gateway/s3/index.ts';

const BASE = { baseDomains: ['s3.local', 'localhost'] };

function parse(method: string, rawUrl: string, headers: Record<string, string> = {}, host = 'localhost:9000'): S3Request {
  return parseS3Request({ method, rawUrl, headers: { host, ...headers } }, BASE);
}

function rejects(fn: () => unknown, code: StoreErrorCode): void {
  assert.throws(fn, (e: unknown) => isStoreError(e) && e.code === code, `expected ${code}`);
}

const COPY = { 'x-amz-copy-source': '/src/k' };

// [method, url, extra headers, expected operation]
const ROUTES: ReadonlyArray<readonly [string, string, Record<string, string>, string]> = [
  ['GET', '/', {}, 'ListBuckets'],
  ['GET', '/?x-id=ListBuckets', {}, 'ListBuckets'],
  ['PUT', '/b', {}, 'CreateBucket'],
  ['PUT', '/b/', {}, 'CreateBucket'],
  ['DELETE', '/b', {}, 'DeleteBucket'],
  ['HEAD', '/b', {}, 'HeadBucket'],
  ['GET', '/b?location', {}, 'GetBucketLocation'],
  ['GET', '/b', {}, 'ListObjects'],
  ['GET', '/b?prefix=a&marker=x', {}, 'ListObjects'],
  ['GET', '/b?list-type=2', {}, 'ListObjectsV2'],
  ['GET', '/b?list-type=2&continuation-token=abc', {}, 'ListObjectsV2'],
  ['GET', '/b?uploads', {}, 'ListMultipartUploads'],
  ['GET', '/b?versions', {}, 'ListObjectVersions'],
  ['POST', '/b?delete', {}, 'DeleteObjects'],
  ['POST', '/b?delete=&x-id=DeleteObjects', {}, 'DeleteObjects'],
  ['GET', '/b?versioning', {}, 'GetBucketVersioning'],
  ['PUT', '/b?versioning', {}, 'PutBucketVersioning'],
  ['GET', '/b?acl', {}, 'GetBucketAcl'],
  ['PUT', '/b?acl', {}, 'PutBucketAcl'],
  ['GET', '/b?policy', {}, 'GetBucketPolicy'],
  ['PUT', '/b?policy', {}, 'PutBucketPolicy'],
  ['DELETE', '/b?policy', {}, 'DeleteBucketPolicy'],
  ['PUT', '/b/k', {}, 'PutObject'],
  ['PUT', '/b/k', COPY, 'CopyObject'],
  ['GET', '/b/k', {}, 'GetObject'],
  ['GET', '/b/k?partNumber=2', {}, 'GetObject'],
  ['GET', '/b/k?versionId=v1&response-content-type=text/plain', {}, 'GetObject'],
  ['HEAD', '/b/k', {}, 'HeadObject'],
  ['DELETE', '/b/k', {}, 'DeleteObject'],
  ['DELETE', '/b/k?versionId=v1', {}, 'DeleteObject'],
  ['GET', '/b/k?acl', {}, 'GetObjectAcl'],
  ['PUT', '/b/k?acl', {}, 'PutObjectAcl'],
  ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload'],
  ['POST', '/b/k?uploads=&x-id=CreateMultipartUpload', {}, 'CreateMultipartUpload'],
  ['PUT', '/b/k?partNumber=1&uploadId=u', {}, 'UploadPart'],
  ['PUT', '/b/k?uploadId=u&partNumber=10000', COPY, 'UploadPartCopy'],
  ['POST', '/b/k?uploadId=u', {}, 'CompleteMultipartUpload'],
  ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
  ['GET', '/b/k?uploadId=u', {}, 'ListParts'],
  ['GET', '/b/k?uploadId=u&max-parts=2&part-number-marker=1', {}, 'ListParts'],
  // Bucket-only sub-resources on an object are ordinary parameters there.
  ['GET', '/b/k?versioning', {}, 'GetObject'],
  ['GET', '/b/k?location', {}, 'GetObject'],
];

test('every method × sub-resource maps to its operation (path-style)', () => {
  for (const [method, url, headers, op] of ROUTES) {
    assert.equal(parse(method, url, headers).operation, op, `${method} ${url}`);
  }
});

test('the same routes virtual-host style', () => {
  for (const [method, url, headers, op] of ROUTES) {
    if (url === '/' || url.startsWith('/?')) continue;
    const m = /^\/b\/?([^?]*)(\?.*)?$/.exec(url)!;
    const vurl = `/${m[1]}${m[2] ?? ''}`;
    const r = parse(method, vurl, headers, 'bkt.s3.local:9000');
    assert.equal(r.operation, op, `${method} ${vurl}`);
    assert.equal(r.bucket, 'bkt');
    assert.equal(r.style, 'virtual-host');
  }
});

test('path-style: bucket, key, resource and decoded query', () => {
  const r = parse('GET', '/my-bucket/a/b%20c/d+e%2Bf?prefix=x+y%2Bz&delimiter=%2F&empty&dup=1&dup=2');
  assert.equal(r.style, 'path');
  assert.equal(r.bucket, 'my-bucket');
  assert.equal(r.key, 'a/b c/d+e+f');
  assert.equal(r.resource, '/my-bucket/a/b c/d+e+f');
  assert.equal(r.query.get('prefix'), 'x y+z');
  assert.equal(r.query.get('delimiter'), '/');
  assert.equal(r.query.get('empty'), '');
  assert.equal(r.query.get('dup'), '1');
});

test('keys keep empty segments, leading slashes, dots and unicode', () => {
  assert.equal(parse('GET', '/b//x').key, '/x');
  assert.equal(parse('GET', '/b/a//b/').key, 'a//b/');
  assert.equal(parse('GET', '/b/../x').key, '../x');
  assert.equal(parse('GET', '/b/%E2%98%83%F0%9F%98%80').key, '☃😀');
  assert.equal(parse('GET', '/b/%3F%23%26', {}).key, '?#&');
  assert.equal(parse('GET', '/b/%01%0D%0A', {}).key, '\x01\r\n');
  assert.equal(parse('GET', '//x', {}, 'bkt.s3.local').key, '/x');
  assert.equal(parse('GET', '/', {}, 'bkt.s3.local').key, undefined);
});

test('Host decides the style: base domains, ports, IPs, unknown hosts', () => {
  assert.equal(parse('GET', '/b/k', {}, 's3.local').style, 'path');
  assert.equal(parse('GET', '/b/k', {}, 'S3.LOCAL:443').style, 'path');
  assert.equal(parse('GET', '/b/k', {}, '127.0.0.1:9000').bucket, 'b');
  assert.equal(parse('GET', '/b/k', {}, '[::1]:9000').bucket, 'b');
  assert.equal(parse('GET', '/b/k', {}, 'other.example.com').style, 'path');
  const v = parse('GET', '/k', {}, 'My.Bucket.s3.local.:9000');
  assert.deepEqual([v.style, v.bucket, v.key], ['virtual-host', 'my.bucket', 'k']);
  const lh = parse('GET', '/k', {}, 'photos.localhost');
  assert.deepEqual([lh.bucket, lh.key], ['photos', 'k']);
  // The longest base domain wins.
  const r = parseS3Request({ method: 'GET', rawUrl: '/', headers: { host: 'bkt.s3.local' } }, { baseDomains: ['local', 's3.local'] });
  assert.equal(r.bucket, 'bkt');
  const n = parseS3Request({ method: 'GET', rawUrl: '/b/k', headers: { host: 's3.local' } }, { baseDomains: ['local', 's3.local'] });
  assert.deepEqual([n.style, n.bucket], ['path', 'b']);
  // No Host at all (HTTP/1.0) is path-style.
  assert.equal(parseS3Request({ method: 'GET', rawUrl: '/b/k', headers: {} }, BASE).bucket, 'b');
});

test('absolute-form targets take their authority as the host', () => {
  const r = parseS3Request({ method: 'GET', rawUrl: 'http://bkt.s3.local:9000/k?list-type=2', headers: { host: 'ignored' } }, BASE);
  assert.deepEqual([r.style, r.bucket, r.key], ['virtual-host', 'bkt', 'k']);
  const p = parseS3Request({ method: 'GET', rawUrl: 'http://localhost:9000/b?list-type=2', headers: {} }, BASE);
  assert.deepEqual([p.operation, p.bucket], ['ListObjectsV2', 'b']);
});

test('virtual-host names that cannot be buckets are InvalidBucketName', () => {
  for (const host of ['a_b.s3.local', 'ab.s3.local', 'b.s3.local', '-ab.s3.local', 'ab-.s3.local', `${'a'.repeat(64)}.s3.local`, '.s3.local']) {
    rejects(() => parse('GET', '/', {}, host), 'InvalidBucketName');
  }
});

test('bad percent-encoding and unparseable targets are InvalidURI', () => {
  for (const url of ['/b/%', '/b/%zz', '/b/%E2%98', '/b/%C0%AF', '/%ZZ/k', '/b?prefix=%', '/b?%FF=1', 'b/k', '*', '//k']) {
    rejects(() => parse('GET', url), 'InvalidURI');
  }
});

test('keys over 1024 UTF-8 bytes are KeyTooLongError; 1024 is fine', () => {
  assert.equal(parse('PUT', `/b/${'a'.repeat(1024)}`).key!.length, 1024);
  rejects(() => parse('PUT', `/b/${'a'.repeat(1025)}`), 'KeyTooLongError');
  // 342 × 3-byte characters = 1026 bytes in 342 characters.
  rejects(() => parse('PUT', `/b/${'%E2%98%83'.repeat(342)}`), 'KeyTooLongError');
});

test('known resources with the wrong method are MethodNotAllowed', () => {
  const cases: Array<[string, string]> = [
    ['PUT', '/'], ['DELETE', '/'], ['POST', '/'],
    ['POST', '/b?versioning'], ['DELETE', '/b?versioning'], ['PUT', '/b?location'], ['PUT', '/b?uploads'],
    ['GET', '/b?delete'], ['DELETE', '/b?acl'], ['POST', '/b/k'], ['GET', '/b/k?uploads'], ['HEAD', '/b/k?uploadId=u'],
    ['PATCH', '/b/k'], ['TRACE', '/'],
  ];
  for (const [method, url] of cases) rejects(() => parse(method, url), 'MethodNotAllowed');
});

test('known but unserved sub-resources are NotImplemented', () => {
  for (const sub of ['cors', 'tagging', 'replication',
    'website', 'notification', 'requestPayment']) {
    rejects(() => parse('GET', `/b?${sub}`), 'NotImplemented');
    rejects(() => parse('PUT', `/b?${sub}`), 'NotImplemented');
  }
  for (const sub of ['tagging', 'torrent', 'restore', 'select', 'attributes']) {
    rejects(() => parse('GET', `/b/k?${sub}`), 'NotImplemented');
  }
  rejects(() => parse('GET', '/b/k?policy'), 'NotImplemented');
  rejects(() => parse('POST', '/b'), 'NotImplemented');
  rejects(() => parse('OPTIONS', '/b/k'), 'NotImplemented');
});

test('bad list-type and part numbers on the route are InvalidArgument', () => {
  rejects(() => parse('GET', '/b?list-type=3'), 'InvalidArgument');
  for (const url of ['/b/k?uploadId=u', '/b/k?uploadId=u&partNumber=0', '/b/k?uploadId=u&partNumber=10001', '/b/k?uploadId=u&partNumber=1.5']) {
    rejects(() => parse('PUT', url), 'InvalidArgument');
  }
});

test('method names are case-insensitive, the result is frozen-shaped', () => {
  const r = parse('get', '/b/k');
  assert.equal(r.operation, 'GetObject');
  assert.deepEqual(Object.keys(r).sort(), ['bucket', 'key', 'operation', 'query', 'resource', 'style']);
});
