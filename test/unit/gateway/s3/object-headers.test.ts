import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { ObjectVersionSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import {
  checkCopyToItself, objectAttributesFromHeaders, objectHeaders, parseCopySource, parseEncodingType, parseListLimit,
  parseMetadataDirective, parsePartNumber, parsePartNumberMarker, parseStorageClass, responseOverrides,
} from '../../../../services/gateway/s3/index.ts';

function rejects(fn: () => unknown, code: StoreErrorCode, label?: string): void {
  assert.throws(fn, (e: unknown) => isStoreError(e, code), label ?? `expected ${code}`);
}

test('user metadata: lowercase names without prefix, 2 KiB limit on names + values', () => {
  const a = objectAttributesFromHeaders({
    'x-amz-meta-Color': 'blue', 'x-amz-meta-empty': '', 'x-amz-meta-': 'ignored', 'x-amz-metadata-directive': 'COPY',
    'x-amz-meta-multi': ['a', 'b'], 'content-type': ' text/plain ', 'x-amz-meta-latin': 'caf\u00e9',
  });
  assert.deepEqual(a.userMeta, { color: 'blue', empty: '', multi: 'a, b', latin: 'caf\u00e9' });
  assert.equal(a.contentType, 'text/plain');
  assert.equal(a.storageClass, '');

  // name "k" (1 byte) + value: exactly 2048 passes, 2049 fails.
  assert.equal(objectAttributesFromHeaders({ 'x-amz-meta-k': 'v'.repeat(2047) }).userMeta['k']!.length, 2047);
  assert.throws(() => objectAttributesFromHeaders({ 'x-amz-meta-k': 'v'.repeat(2048) }),
    (e: unknown) => isStoreError(e, 'MetadataTooLarge') && e.details['Size'] === '2049');
  const many: Record<string, string> = {};
  for (let i = 0; i < 100; i++) many[`x-amz-meta-key${i}`] = 'x'.repeat(16);
  rejects(() => objectAttributesFromHeaders(many), 'MetadataTooLarge');
  // Wide characters count as their UTF-8 bytes.
  rejects(() => objectAttributesFromHeaders({ 'x-amz-meta-k': '\u2603'.repeat(700) }), 'MetadataTooLarge');
});

test('content headers are kept; aws-chunked is not an object encoding', () => {
  const a = objectAttributesFromHeaders({
    'cache-control': 'max-age=60', 'content-disposition': 'attachment; filename="a.txt"', 'content-encoding': 'aws-chunked,gzip',
    'content-language': 'en', 'expires': 'Wed, 21 Oct 2015 07:28:00 GMT', 'x-amz-website-redirect-location': '/other',
    'content-md5': 'ignored', 'x-amz-acl': 'private',
  });
  assert.deepEqual(a.headers, {
    'cache-control': 'max-age=60', 'content-disposition': 'attachment; filename="a.txt"', 'content-encoding': 'gzip',
    'content-language': 'en', 'expires': 'Wed, 21 Oct 2015 07:28:00 GMT', 'x-amz-website-redirect-location': '/other',
  });
  assert.deepEqual(objectAttributesFromHeaders({ 'content-encoding': 'aws-chunked' }).headers, {});
  rejects(() => objectAttributesFromHeaders({ 'x-amz-website-redirect-location': 'ftp://x' }), 'InvalidArgument');
});

test('storage classes: ours as is, cheaper AWS classes as STANDARD, archival refused', () => {
  assert.equal(parseStorageClass(undefined), undefined);
  assert.equal(parseStorageClass(''), undefined);
  for (const c of ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR']) {
    assert.equal(parseStorageClass(c), 'STANDARD', c);
  }
  assert.equal(parseStorageClass('REPLICATED'), 'REPLICATED');
  for (const c of ['GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'EXPRESS_ONEZONE', 'standard', 'GOLD']) rejects(() => parseStorageClass(c), 'InvalidStorageClass', c);
  assert.equal(objectAttributesFromHeaders({ 'x-amz-storage-class': 'STANDARD_IA' }).storageClass, 'STANDARD');
});

test('copy source: both slash forms, encoding, version id', () => {
  assert.deepEqual(parseCopySource('/bkt/a/b.txt'), { bucket: 'bkt', key: 'a/b.txt' });
  assert.deepEqual(parseCopySource('bkt/a/b.txt'), { bucket: 'bkt', key: 'a/b.txt' });
  assert.deepEqual(parseCopySource('bkt/a%20b%3Fc%2Bd+e'), { bucket: 'bkt', key: 'a b?c+d+e' });
  assert.deepEqual(parseCopySource('bkt%2Fenc%2Fkey'), { bucket: 'bkt', key: 'enc/key' });
  assert.deepEqual(parseCopySource('/bkt/%E2%98%83?versionId=3%2FL4kq'), { bucket: 'bkt', key: '\u2603', versionId: '3/L4kq' });
  assert.deepEqual(parseCopySource('bkt/k?versionId=null'), { bucket: 'bkt', key: 'k', versionId: 'null' });
  assert.deepEqual(parseCopySource('bkt/k?other=1'), { bucket: 'bkt', key: 'k' });
  for (const bad of [undefined, '', '/', 'bkt', 'bkt/', '/bkt', '//k', 'bkt/%E2%98', 'bkt/k?versionId=', 'bkt/k?versionId=%zz']) {
    rejects(() => parseCopySource(bad), 'InvalidArgument', String(bad));
  }
  rejects(() => parseCopySource(`bkt/${'k'.repeat(1025)}`), 'KeyTooLongError');
  rejects(() => parseCopySource('arn:aws:s3:us-east-1:1:accesspoint/ap/object/k'), 'NotImplemented');
});

test('metadata directive and the copy-onto-itself rule', () => {
  assert.equal(parseMetadataDirective(undefined), 'COPY');
  assert.equal(parseMetadataDirective(''), 'COPY');
  assert.equal(parseMetadataDirective('REPLACE'), 'REPLACE');
  rejects(() => parseMetadataDirective('replace'), 'InvalidArgument');
  rejects(() => parseMetadataDirective('MOVE'), 'InvalidArgument');

  assert.throws(() => checkCopyToItself({ sameObject: true, directive: 'COPY' }), (e: unknown) => isStoreError(e, 'InvalidRequest')
    && e.message === "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  checkCopyToItself({ sameObject: false, directive: 'COPY' });
  checkCopyToItself({ sameObject: true, directive: 'REPLACE' });
  checkCopyToItself({ sameObject: true, directive: 'COPY', storageClassChanged: true });
  checkCopyToItself({ sameObject: true, directive: 'COPY', redirectChanged: true });
  checkCopyToItself({ sameObject: true, directive: 'COPY', encryptionChanged: true });
});

test('part numbers, list limits, markers, encoding type', () => {
  assert.equal(parsePartNumber(undefined), undefined);
  assert.equal(parsePartNumber('1'), 1);
  assert.equal(parsePartNumber('10000'), 10000);
  for (const bad of ['', '0', '10001', '-1', '1.0', ' 1', '1e3', 'abc', '99999999999999999999']) rejects(() => parsePartNumber(bad), 'InvalidArgument', bad);

  assert.equal(parseListLimit(undefined, 'max-keys'), 1000);
  assert.equal(parseListLimit('0', 'max-keys'), 0);
  assert.equal(parseListLimit('17', 'max-keys'), 17);
  assert.equal(parseListLimit('1000', 'max-keys'), 1000);
  assert.equal(parseListLimit('5000', 'max-keys'), 1000);
  assert.equal(parseListLimit('99999999999999999999999', 'max-keys'), 1000);
  for (const bad of ['', '-1', '1.5', 'ten', '0x10']) {
    assert.throws(() => parseListLimit(bad, 'max-uploads'), (e: unknown) => isStoreError(e, 'InvalidArgument') && e.details['ArgumentName'] === 'max-uploads', bad);
  }

  assert.equal(parsePartNumberMarker(undefined), 0);
  assert.equal(parsePartNumberMarker('7'), 7);
  rejects(() => parsePartNumberMarker('x'), 'InvalidArgument');

  assert.equal(parseEncodingType(undefined), undefined);
  assert.equal(parseEncodingType('url'), 'url');
  assert.equal(parseEncodingType('URL'), 'url');
  rejects(() => parseEncodingType('base64'), 'InvalidArgument');
});

function version(init: MessageInitShape<typeof ObjectVersionSchema>) {
  return create(ObjectVersionSchema, init);
}

test('object response headers', () => {
  const v = version({
    key: 'k', versionId: 'null', size: 1234n, etag: 'd41d8cd98f00b204e9800998ecf8427e', lastModifiedMs: BigInt(Date.UTC(2024, 1, 3, 4, 5, 6, 789)),
    checksums: { crc32: 'AAAAAA==', sha256: 'abc=', crc64ecma: '123' },
    attributes: {
      contentType: '', userMeta: { color: 'blue' }, storageClass: 'STANDARD',
      headers: { 'cache-control': 'no-cache', 'x-amz-website-redirect-location': '/x', 'x-internal': 'never sent' },
    },
  });
  assert.deepEqual(objectHeaders(v, { versioned: false }), {
    'etag': '"d41d8cd98f00b204e9800998ecf8427e"',
    'last-modified': 'Sat, 03 Feb 2024 04:05:06 GMT',
    'content-type': 'binary/octet-stream',
    'accept-ranges': 'bytes',
    'content-length': '1234',
    'cache-control': 'no-cache',
    'x-amz-website-redirect-location': '/x',
    'x-amz-meta-color': 'blue',
  });
  const h = objectHeaders(v, { versioned: true, checksumMode: true });
  assert.equal(h['x-amz-version-id'], 'null');
  assert.equal(h['x-amz-checksum-crc32'], 'AAAAAA==');
  assert.equal(h['x-amz-checksum-sha256'], 'abc=');
  assert.equal(h['x-amz-checksum-crc64ecma'], undefined);

  const ranged = objectHeaders(v, { versioned: false, checksumMode: true, range: { start: 10, end: 19 } });
  assert.equal(ranged['content-length'], '10');
  assert.equal(ranged['content-range'], 'bytes 10-19/1234');
  assert.equal(ranged['x-amz-checksum-crc32'], undefined);

  const r = version({ versionId: 'v-1', size: 0n, etag: 'e', attributes: { contentType: 'text/plain', storageClass: 'REPLICATED' } });
  const rh = objectHeaders(r, { versioned: false });
  assert.equal(rh['x-amz-version-id'], 'v-1');
  assert.equal(rh['x-amz-storage-class'], 'REPLICATED');
  assert.equal(rh['content-type'], 'text/plain');
});

test('response-* overrides', () => {
  const q = new Map([
    ['response-content-type', 'text/html'], ['response-content-language', 'fr'], ['response-expires', 'never'],
    ['response-cache-control', 'no-store'], ['response-content-disposition', 'attachment; filename="\u00e9\u2603.txt"'],
    ['response-content-encoding', 'gzip'], ['response-other', 'x'],
  ]);
  const o = responseOverrides(q);
  assert.equal(o['content-type'], 'text/html');
  assert.equal(o['content-language'], 'fr');
  assert.equal(o['expires'], 'never');
  assert.equal(o['cache-control'], 'no-store');
  assert.equal(o['content-encoding'], 'gzip');
  // Sent as UTF-8 bytes through node's latin1 header strings.
  assert.equal(Buffer.from(o['content-disposition']!, 'latin1').toString('utf8'), 'attachment; filename="\u00e9\u2603.txt"');
  assert.equal(Object.keys(o).length, 6);
  rejects(() => responseOverrides(new Map([['response-content-type', 'a\r\nSet-Cookie: x']])), 'InvalidArgument');
});
