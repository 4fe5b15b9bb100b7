// parseOssRequest: both addressing styles, the routing table, and the request-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedRequest } from '../../../../services/gateway/dialect/operation.ts';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import { isOssRequest, parseOssRequest } from '../../../../services/gateway/oss/index.ts';

const BASE = { baseDomains: ['oss.local', 'localhost'] };
const OSS_HOST = 'oss-cn-hangzhou.aliyuncs.com';

function path(method: string, rawUrl: string, headers: Record<string, string> = {}): ParsedRequest {
  return parseOssRequest({ method, rawUrl, headers: { host: 'localhost:9000', ...headers } }, BASE);
}

// The same request virtual-hosted: `/b/k?q` becomes `Host: b.<endpoint>` and `/k?q`.
function vhost(method: string, rawUrl: string, headers: Record<string, string> = {}, endpoint = OSS_HOST): ParsedRequest {
  const m = /^\/([^/?]+)\/?([^?]*)(\?.*)?$/.exec(rawUrl);
  if (!m) return parseOssRequest({ method, rawUrl, headers: { host: endpoint, ...headers } }, BASE);
  return parseOssRequest({ method, rawUrl: `/${m[2]}${m[3] ?? ''}`, headers: { host: `${m[1]}.${endpoint}`, ...headers } }, BASE);
}

function rejects(fn: () => unknown, code: StoreErrorCode): void {
  assert.throws(fn, (e: unknown) => isStoreError(e) && e.code === code, `expected ${code}`);
}

const COPY = { 'x-oss-copy-source': '/src/k' };

// [method, url, extra headers, expected operation]
const ROUTES: ReadonlyArray<readonly [string, string, Record<string, string>, string]> = [
  ['PUT', '/bkt', {}, 'CreateBucket'],
  ['DELETE', '/bkt', {}, 'DeleteBucket'],
  ['HEAD', '/bkt', {}, 'HeadBucket'],
  ['GET', '/bkt?bucketInfo', {}, 'GetBucketInfo'],
  ['POST', '/bkt?worm', {}, 'InitiateBucketWorm'],
  ['GET', '/bkt?worm', {}, 'GetBucketWorm'],
  ['DELETE', '/bkt?worm', {}, 'AbortBucketWorm'],
  ['POST', '/bkt?wormId=ABC', {}, 'CompleteBucketWorm'],
  ['POST', '/bkt?wormExtend&wormId=ABC', {}, 'ExtendBucketWorm'],
  ['GET', '/bkt?stat', {}, 'GetBucketStat'],
  ['GET', '/bkt?location', {}, 'GetBucketLocation'],
  ['GET', '/bkt?acl', {}, 'GetBucketAcl'],
  ['PUT', '/bkt?acl', {}, 'PutBucketAcl'],
  ['GET', '/bkt?policy', {}, 'GetBucketPolicy'],
  ['PUT', '/bkt?policy', {}, 'PutBucketPolicy'],
  ['DELETE', '/bkt?policy', {}, 'DeleteBucketPolicy'],
  ['GET', '/bkt?versioning', {}, 'GetBucketVersioning'],
  ['PUT', '/bkt?versioning', {}, 'PutBucketVersioning'],
  ['GET', '/bkt?versions', {}, 'ListObjectVersions'],
  ['GET', '/bkt', {}, 'ListObjects'],
  ['GET', '/bkt?prefix=a&marker=x&max-keys=10', {}, 'ListObjects'],
  ['GET', '/bkt?list-type=2&continuation-token=t', {}, 'ListObjectsV2'],
  ['GET', '/bkt?uploads', {}, 'ListMultipartUploads'],
  ['POST', '/bkt?delete', {}, 'DeleteObjects'],
  ['PUT', '/bkt/k', {}, 'PutObject'],
  ['PUT', '/bkt/k', COPY, 'CopyObject'],
  ['GET', '/bkt/k', {}, 'GetObject'],
  ['GET', '/bkt/k?versionId=v1&response-content-type=text/plain', {}, 'GetObject'],
  ['HEAD', '/bkt/k', {}, 'HeadObject'],
  ['HEAD', '/bkt/k?objectMeta', {}, 'GetObjectMeta'],
  ['DELETE', '/bkt/k', {}, 'DeleteObject'],
  ['POST', '/bkt/k?append&position=0', {}, 'AppendObject'],
  ['POST', '/bkt/k?append&position=1024', {}, 'AppendObject'],
  ['POST', '/bkt/k?uploads', {}, 'CreateMultipartUpload'],
  ['PUT', '/bkt/k?partNumber=1&uploadId=u', {}, 'UploadPart'],
  ['PUT', '/bkt/k?partNumber=2&uploadId=u', COPY, 'UploadPartCopy'],
  ['POST', '/bkt/k?uploadId=u', {}, 'CompleteMultipartUpload'],
  ['DELETE', '/bkt/k?uploadId=u', {}, 'AbortMultipartUpload'],
  ['GET', '/bkt/k?uploadId=u', {}, 'ListParts'],
  ['PUT', '/bkt/k?symlink', {}, 'PutSymlink'],
  ['GET', '/bkt/k?symlink', {}, 'GetSymlink'],
  ['PUT', '/bkt/k?tagging', {}, 'PutObjectTagging'],
  ['GET', '/bkt/k?tagging', {}, 'GetObjectTagging'],
  ['DELETE', '/bkt/k?tagging', {}, 'DeleteObjectTagging'],
  ['GET', '/bkt/k?acl', {}, 'GetObjectAcl'],
  ['PUT', '/bkt/k?acl', {}, 'PutObjectAcl'],
  // Bucket-only sub-resources on an object are ordinary parameters there.
  ['GET', '/bkt/k?stat', {}, 'GetObject'],
];

test('routing table, path-style and virtual-hosted', () => {
  for (const [method, url, headers, op] of ROUTES) {
    const p = path(method, url, headers);
    assert.equal(p.operation, op, `${method} ${url} (path)`);
    assert.equal(p.style, 'path');
    const v = vhost(method, url, headers);
    assert.equal(v.operation, op, `${method} ${url} (virtual-host)`);
    assert.equal(v.style, 'virtual-host');
    assert.deepEqual([v.bucket, v.key, v.resource], [p.bucket, p.key, p.resource], url);
  }
});

test('GET / is ListBuckets, on any host', () => {
  for (const host of ['localhost:9000', OSS_HOST, '127.0.0.1:9000', `.${OSS_HOST}`]) {
    const p = parseOssRequest({ method: 'GET', rawUrl: '/', headers: { host } }, BASE);
    assert.equal(p.operation, 'ListBuckets', host);
    assert.equal(p.bucket, undefined);
    assert.equal(p.resource, '/');
  }
});

test('any OSS endpoint name is a base domain; configured ones too', () => {
  for (const endpoint of ['oss-cn-hangzhou.aliyuncs.com', 'oss-us-west-1-internal.aliyuncs.com', 'vpc100-oss-cn-beijing.aliyuncs.com', 'oss.local:8080']) {
    const p = parseOssRequest({ method: 'GET', rawUrl: '/dir/a%20b.txt', headers: { host: `bkt.${endpoint}` } }, BASE);
    assert.deepEqual([p.bucket, p.key, p.style, p.resource], ['bkt', 'dir/a b.txt', 'virtual-host', '/bkt/dir/a b.txt'], endpoint);
  }
  // Not an OSS endpoint name, not configured: path-style.
  const other = parseOssRequest({ method: 'GET', rawUrl: '/bkt/k', headers: { host: 'bkt.example.com' } }, BASE);
  assert.deepEqual([other.bucket, other.key, other.style], ['bkt', 'k', 'path']);
  // An IP host is path-style.
  const ip = parseOssRequest({ method: 'GET', rawUrl: '/bkt/k', headers: { host: '10.0.0.1:80' } }, BASE);
  assert.deepEqual([ip.bucket, ip.key, ip.style], ['bkt', 'k', 'path']);
  // An absolute-form target wins over Host.
  const abs = parseOssRequest({ method: 'GET', rawUrl: `http://bkt.${OSS_HOST}/k`, headers: { host: 'localhost' } }, BASE);
  assert.deepEqual([abs.bucket, abs.key], ['bkt', 'k']);
});

test('keys decode strictly; + is literal in paths; the query is form-decoded', () => {
  const p = path('GET', '/bkt/a+b%2Bc/%E2%98%83?prefix=x+y&versionId=v%2F1');
  assert.equal(p.key, 'a+b+c/\u2603');
  assert.equal(p.query.get('prefix'), 'x y');
  assert.equal(p.query.get('versionId'), 'v/1');
  rejects(() => path('GET', '/bkt/%E2%98'), 'InvalidURI');
  rejects(() => path('GET', '/bkt/%zz'), 'InvalidURI');
  rejects(() => path('GET', '//k'), 'InvalidURI');
  rejects(() => path('GET', 'no-slash'), 'InvalidURI');
});

test('keys over 1023 bytes are InvalidObjectName; 1023 is fine', () => {
  assert.equal(path('GET', `/b/${'k'.repeat(1023)}`).key?.length, 1023);
  rejects(() => path('GET', `/b/${'k'.repeat(1024)}`), 'InvalidObjectName');
  // Three-byte characters: 341 × 3 = 1023 bytes pass, 342 × 3 do not.
  assert.ok(path('PUT', `/b/${'%E2%98%83'.repeat(341)}`));
  rejects(() => path('PUT', `/b/${'%E2%98%83'.repeat(342)}`), 'InvalidObjectName');
});

test('wrong methods are MethodNotAllowed; unserved features NotImplemented', () => {
  for (const [method, url] of [
    ['POST', '/'], ['DELETE', '/'], ['PATCH', '/bkt/k'], ['POST', '/bkt/k'], ['GET', '/bkt?delete'], ['PUT', '/bkt?location'],
    ['PUT', '/bkt?stat'], ['POST', '/bkt?bucketInfo'], ['GET', '/bkt/k?append&position=0'], ['GET', '/bkt/k?uploads'],
    ['DELETE', '/bkt/k?symlink'], ['POST', '/bkt/k?tagging'], ['GET', '/bkt/k?objectMeta'], ['DELETE', '/bkt/k?acl'],
  ] as const) {
    rejects(() => path(method, url), 'MethodNotAllowed');
  }
  for (const [method, url] of [
    ['OPTIONS', '/bkt/k'], ['GET', '/bkt/k?policy'], ['POST', '/bkt'], ['GET', '/bkt?website'], ['PUT', '/bkt?cors'],
    ['GET', '/bkt?tagging'], ['GET', '/bkt/k?x-oss-process=image/resize,w_100'], ['POST', '/bkt/k?restore'], ['GET', '/?regions'],
    ['GET', '/bkt?cname'], ['PUT', '/?publicAccessBlock'],
  ] as const) {
    rejects(() => path(method, url), 'NotImplemented');
  }
});

test('bad arguments: list-type, append position, part number', () => {
  rejects(() => path('GET', '/bkt?list-type=3'), 'InvalidArgument');
  rejects(() => path('POST', '/bkt/k?append'), 'InvalidArgument');
  rejects(() => path('POST', '/bkt/k?append&position=-1'), 'InvalidArgument');
  rejects(() => path('POST', '/bkt/k?append&position=abc'), 'InvalidArgument');
  rejects(() => path('PUT', '/bkt/k?uploadId=u'), 'InvalidArgument');
  rejects(() => path('PUT', '/bkt/k?uploadId=u&partNumber=10001'), 'InvalidArgument');
});

test('signed-URL parameters are not sub-resources', () => {
  const v1 = path('GET', '/bkt/k?OSSAccessKeyId=AK&Expires=1700000000&Signature=abc%3D');
  assert.equal(v1.operation, 'GetObject');
  const v4 = path('GET', '/bkt/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=c&x-oss-date=20240101T000000Z&x-oss-expires=60&x-oss-signature=s');
  assert.equal(v4.operation, 'GetObject');
});

test('a virtual-host label that cannot be a bucket is InvalidBucketName', () => {
  rejects(() => parseOssRequest({ method: 'GET', rawUrl: '/', headers: { host: `Bad_Name.${OSS_HOST}` } }, BASE), 'InvalidBucketName');
});

test('isOssRequest: x-oss-* headers or an aliyuncs.com host', () => {
  assert.equal(isOssRequest({ headers: { host: 'localhost', 'x-oss-date': 'now' } }), true);
  assert.equal(isOssRequest({ headers: { host: 'localhost', 'x-oss-meta-a': '1' } }), true);
  assert.equal(isOssRequest({ headers: { host: `b.${OSS_HOST}` } }), true);
  assert.equal(isOssRequest({ headers: { host: `b.${OSS_HOST}:80` } }), true);
  assert.equal(isOssRequest({ headers: { host: 'aliyuncs.com' } }), true);
  assert.equal(isOssRequest({ headers: { host: 'localhost' }, rawUrl: `http://b.${OSS_HOST}/k` }), true);
  assert.equal(isOssRequest({ headers: { host: 'localhost:9000', 'x-amz-date': 'now' } }), false);
  assert.equal(isOssRequest({ headers: { host: 'notaliyuncs.com' } }), false);
  assert.equal(isOssRequest({ headers: {} }), false);
});
