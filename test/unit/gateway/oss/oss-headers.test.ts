// Header translation both ways: OSS request headers → the internal (S3) names handlers read,
// and internal response headers → OSS's, with what OSS says about the object described.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { create } from '@bufbuild/protobuf';
import { ObjectVersionSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { normalizeOssRequestHeaders, ossObjectType, ossResponseHeaders } from '../../../../services/gateway/oss/index.ts';
import { objectAttributesFromHeaders, parseCopySource, parseMetadataDirective } from '../../../../services/gateway/s3/index.ts';

const CTX = { requestId: 'REQ1', hostId: 'host-1' };

function normalized(headers: IncomingHttpHeaders, method?: string): IncomingHttpHeaders {
  const h = { ...headers };
  normalizeOssRequestHeaders(h, method);
  return h;
}

test('request: meta, copy source and its conditions, directive, tagging are renamed; originals removed', () => {
  const h = normalized({
    'host': 'b.oss-cn-hangzhou.aliyuncs.com',
    'content-type': 'text/plain',
    'x-oss-meta-color': 'blue',
    'x-oss-meta-a-b': ['1', '2'],
    'x-oss-copy-source': '/src/dir%2Fk?versionId=v1',
    'x-oss-copy-source-if-match': '"e1"',
    'x-oss-copy-source-if-none-match': '"e2"',
    'x-oss-copy-source-if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    'x-oss-copy-source-if-unmodified-since': 'Tue, 02 Jan 2024 00:00:00 GMT',
    'x-oss-copy-source-range': 'bytes=0-9',
    'x-oss-metadata-directive': 'REPLACE',
    'x-oss-tagging': 'a=1&b=2',
    'x-oss-symlink-target': 'dir%2Ftarget',
    'x-oss-date': 'Mon, 01 Jan 2024 00:00:00 GMT',
    'x-oss-acl': 'private',
  });
  assert.deepEqual(h, {
    'host': 'b.oss-cn-hangzhou.aliyuncs.com',
    'content-type': 'text/plain',
    'x-amz-meta-color': 'blue',
    'x-amz-meta-a-b': ['1', '2'],
    'x-amz-copy-source': '/src/dir%2Fk?versionId=v1',
    'x-amz-copy-source-if-match': '"e1"',
    'x-amz-copy-source-if-none-match': '"e2"',
    'x-amz-copy-source-if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    'x-amz-copy-source-if-unmodified-since': 'Tue, 02 Jan 2024 00:00:00 GMT',
    'x-amz-copy-source-range': 'bytes=0-9',
    'x-amz-metadata-directive': 'REPLACE',
    'x-amz-tagging': 'a=1&b=2',
    // Left as sent: handlers (symlink), the signature (x-oss-date) and access control read them.
    'x-oss-symlink-target': 'dir%2Ftarget',
    'x-oss-date': 'Mon, 01 Jan 2024 00:00:00 GMT',
    'x-oss-acl': 'private',
  });
  // The S3 codec's parsers read the translated headers as they read an S3 request's.
  assert.deepEqual(parseCopySource(h['x-amz-copy-source'] as string), { bucket: 'src', key: 'dir/k', versionId: 'v1' });
  assert.equal(parseMetadataDirective(h['x-amz-metadata-directive'] as string), 'REPLACE');
  assert.deepEqual(objectAttributesFromHeaders(h).userMeta, { 'color': 'blue', 'a-b': '1, 2' });
});

test('request: client x-amz-* headers are dropped', () => {
  const h = normalized({ 'x-amz-meta-sneaky': '1', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-copy-source': '/x/y', 'x-oss-meta-ok': '2' });
  assert.deepEqual(h, { 'x-amz-meta-ok': '2' });
});

test('request: storage classes map to stored ones; archive classes are refused', () => {
  for (const [oss, stored] of [['Standard', 'STANDARD'], ['IA', 'STANDARD'], ['standard', 'STANDARD'], ['REPLICATED', 'REPLICATED']]) {
    const h = normalized({ 'x-oss-storage-class': oss });
    assert.deepEqual(h, { 'x-amz-storage-class': stored }, oss);
    assert.equal(objectAttributesFromHeaders(h).storageClass, stored);
  }
  for (const refused of ['Archive', 'ColdArchive', 'DeepColdArchive', 'GLACIER', 'nonsense']) {
    assert.throws(() => normalized({ 'x-oss-storage-class': refused }), (e: unknown) => isStoreError(e, 'InvalidStorageClass'), refused);
  }
});

test('request: x-oss-forbid-overwrite: true is If-None-Match: * on writes only', () => {
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'true' }), { 'if-none-match': '*' });
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'TRUE' }, 'PUT'), { 'if-none-match': '*' });
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'true' }, 'POST'), { 'if-none-match': '*' });
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'false' }, 'PUT'), {});
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'yes' }, 'PUT'), {});
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'true', 'if-none-match': '"etag"' }, 'GET'), { 'if-none-match': '"etag"' });
  assert.deepEqual(normalized({ 'x-oss-forbid-overwrite': 'true' }, 'HEAD'), {});
});

const T = 1_714_979_289_123n;

function version(extra: Partial<{ objectType: string; partsCount: number; storageClass: string; crc: string; target: string; size: bigint; deleteMarker: boolean }> = {}) {
  return create(ObjectVersionSchema, {
    key: 'k', versionId: 'v1', size: extra.size ?? 11n, etag: 'abc', lastModifiedMs: T, partsCount: extra.partsCount ?? 0,
    deleteMarker: extra.deleteMarker ?? false,
    checksums: extra.crc === undefined ? {} : { crc64ecma: extra.crc, crc32c: 'AAAAAA==' },
    attributes: { storageClass: extra.storageClass ?? '', headers: extra.target === undefined ? {} : { 'x-oss-symlink-target': extra.target } },
    ...(extra.objectType === undefined ? {} : { objectType: extra.objectType }),
  });
}

test('response: internal names become OSS names; other x-amz-* are dropped', () => {
  const out = ossResponseHeaders({
    'etag': '"abc"', 'content-length': '11', 'content-type': 'text/plain', 'last-modified': 'Mon, 06 May 2024 07:08:09 GMT',
    'x-amz-meta-color': 'blue', 'x-amz-version-id': 'v1', 'x-amz-delete-marker': 'true', 'x-amz-storage-class': 'STANDARD',
    'x-amz-copy-source-version-id': 'v0', 'x-amz-bucket-region': 'us-east-1', 'x-amz-tagging-count': '2',
    'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'key-1',
    'x-amz-request-id': 'OLD', 'x-amz-id-2': 'OLD', 'x-amz-checksum-crc32c': 'AAAAAA==', 'x-amz-mp-parts-count': '3',
    'x-amz-error-code': 'NoSuchKey', 'x-amz-website-redirect-location': '/x',
  }, CTX);
  assert.deepEqual(out, {
    'etag': '"abc"', 'content-length': '11', 'content-type': 'text/plain', 'last-modified': 'Mon, 06 May 2024 07:08:09 GMT',
    'x-oss-meta-color': 'blue', 'x-oss-version-id': 'v1', 'x-oss-delete-marker': 'true', 'x-oss-storage-class': 'Standard',
    'x-oss-copy-source-version-id': 'v0', 'x-oss-bucket-region': 'us-east-1', 'x-oss-tagging-count': '2',
    'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-encryption-key-id': 'key-1',
    'x-oss-request-id': 'REQ1',
  });
});

test('response: a described object adds CRC-64, type and storage class', () => {
  const out = ossResponseHeaders({ etag: '"abc"' }, { ...CTX, version: version({ crc: '5981764153023615706', storageClass: 'REPLICATED' }) });
  assert.deepEqual(out, {
    'etag': '"abc"', 'x-oss-request-id': 'REQ1', 'x-oss-hash-crc64ecma': '5981764153023615706',
    'x-oss-object-type': 'Normal', 'x-oss-storage-class': 'REPLICATED',
  });
  // No stored CRC (written before CRC-64 was kept): no header rather than a wrong one.
  assert.equal(ossResponseHeaders({}, { ...CTX, version: version() })['x-oss-hash-crc64ecma'], undefined);
  // A delete marker describes no object.
  assert.deepEqual(ossResponseHeaders({ 'x-amz-delete-marker': 'true' }, { ...CTX, version: version({ deleteMarker: true, crc: '1' }) }),
    { 'x-oss-delete-marker': 'true', 'x-oss-request-id': 'REQ1' });
});

test('response: object types — recorded, or Multipart derived from parts', () => {
  assert.equal(ossObjectType({ partsCount: 0 }), 'Normal');
  assert.equal(ossObjectType({ partsCount: 3 }), 'Multipart');
  assert.equal(ossObjectType({ partsCount: 0, objectType: '' }), 'Normal');
  assert.equal(ossObjectType({ partsCount: 0, objectType: 'Appendable' }), 'Appendable');
  assert.equal(ossObjectType({ partsCount: 0, objectType: 'Symlink' }), 'Symlink');
  assert.equal(ossObjectType({ partsCount: 2, objectType: 'Multipart' }), 'Multipart');

  const appendable = ossResponseHeaders({}, { ...CTX, version: version({ objectType: 'Appendable', size: 42n }) });
  assert.equal(appendable['x-oss-object-type'], 'Appendable');
  assert.equal(appendable['x-oss-next-append-position'], '42');
  // The handler's own value wins.
  assert.equal(ossResponseHeaders({ 'x-oss-next-append-position': '50' }, { ...CTX, version: version({ objectType: 'Appendable', size: 42n }) })['x-oss-next-append-position'], '50');

  const symlink = ossResponseHeaders({}, { ...CTX, version: version({ objectType: 'Symlink', target: 'dir/t a+b\u2603' }) });
  assert.equal(symlink['x-oss-object-type'], 'Symlink');
  assert.equal(decodeURIComponent(symlink['x-oss-symlink-target']!), 'dir/t a+b\u2603');
  assert.match(symlink['x-oss-symlink-target']!, /^[\x21-\x7e]+$/);
  assert.equal(ossResponseHeaders({ 'x-oss-symlink-target': 'given' }, { ...CTX, version: version({ objectType: 'Symlink', target: 't' }) })['x-oss-symlink-target'], 'given');
  assert.equal(ossResponseHeaders({}, { ...CTX, version: version({ partsCount: 4 }) })['x-oss-object-type'], 'Multipart');
});
