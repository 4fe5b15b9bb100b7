import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  BucketSchema, MultipartUploadSchema, type ObjectVersion, ObjectVersionSchema, UploadPartSchema, VersioningState,
} from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../../../../services/gateway/errors/store-error.ts';
import {
  escapeXml, renderAccessControlPolicy, renderCompleteMultipartUpload, renderCopyObjectResult, renderCopyPartResult,
  renderDeleteResult, renderInitiateMultipartUpload, renderListBuckets, renderListMultipartUploads, renderListObjectsV1,
  renderListObjectsV2, renderListObjectVersions, renderListParts, renderLocationConstraint, renderS3Error,
  renderVersioningConfiguration, s3UrlDecode, s3UrlEncode, S3_XMLNS,
} from '../../../../services/gateway/s3/index.ts';
import { all, child, childNames, childText, xmlTree } from './xml-tree.ts';

const T = BigInt(Date.UTC(2024, 4, 6, 7, 8, 9, 123));
const ISO = '2024-05-06T07:08:09.123Z';
// Keys an XML writer must not break: markup characters, unicode, spaces at the ends.
const NASTY_KEYS = ['a&b<c>d"e\'f', 'snow\u2603/man\ud83d\ude00', ' lead and trail ', 'plus+percent%20=?#', 'tab\there'];

type VersionInit = Exclude<MessageInitShape<typeof ObjectVersionSchema>, ObjectVersion>;

function obj(key: string, extra: VersionInit = {}) {
  return create(ObjectVersionSchema, { key, versionId: 'null', size: 42n, etag: 'abc', lastModifiedMs: T, ...extra });
}

test('escapeXml: markup, CR and XML 1.0-invalid characters', () => {
  assert.equal(escapeXml('plain text/with \u00e9 and \ud83d\ude00'), 'plain text/with \u00e9 and \ud83d\ude00');
  assert.equal(escapeXml(`&<>"'`), '&amp;&lt;&gt;&quot;&apos;');
  assert.equal(escapeXml('a\tb\nc'), 'a\tb\nc');
  assert.equal(escapeXml('\r'), '&#xD;');
  assert.equal(escapeXml('\x00\x01\x08\x0b\x0c\x0e\x1f'), '&#x0;&#x1;&#x8;&#xB;&#xC;&#xE;&#x1F;');
  assert.equal(escapeXml('\ufffe\uffff'), '&#xFFFE;&#xFFFF;');
  assert.equal(escapeXml('x\ud800y\udc00'), 'x&#xD800;y&#xDC00;');
  assert.equal(escapeXml('&amp;'), '&amp;amp;');
});

test('ListObjectsV2: element order, values and escaping round trip', () => {
  const xml = renderListObjectsV2({
    objects: NASTY_KEYS.map((k) => obj(k)), commonPrefixes: ['dir&/'], isTruncated: true, nextContinuationToken: 'n&xt', nextMarker: '',
  }, { bucket: 'bkt', prefix: 'p', delimiter: '/', maxKeys: 7, startAfter: 's<a', continuationToken: 'c"t', fetchOwner: false, owner: 'alice' });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'));
  const root = xmlTree(xml);
  assert.equal(root.attrs['xmlns'], S3_XMLNS);
  assert.deepEqual(childNames(root), [
    'Name', 'Prefix', 'ContinuationToken', 'NextContinuationToken', 'StartAfter', 'KeyCount', 'MaxKeys', 'Delimiter', 'IsTruncated',
    ...NASTY_KEYS.map(() => 'Contents'), 'CommonPrefixes',
  ]);
  assert.equal(childText(root, 'ContinuationToken'), 'c"t');
  assert.equal(childText(root, 'NextContinuationToken'), 'n&xt');
  assert.equal(childText(root, 'StartAfter'), 's<a');
  assert.equal(childText(root, 'KeyCount'), String(NASTY_KEYS.length + 1));
  const contents = all(root, 'Contents');
  assert.deepEqual(contents.map((c) => childText(c, 'Key')), NASTY_KEYS);
  assert.deepEqual(childNames(contents[0]!), ['Key', 'LastModified', 'ETag', 'Size', 'StorageClass']);
  assert.equal(childText(contents[0]!, 'LastModified'), ISO);
  assert.equal(childText(contents[0]!, 'ETag'), '"abc"');
  assert.equal(childText(child(root, 'CommonPrefixes'), 'Prefix'), 'dir&/');
});

test('ListObjectsV2: Owner only with fetch-owner; optional elements absent when empty', () => {
  const res = { objects: [obj('k', { attributes: { owner: 'bob', storageClass: 'REPLICATED' } }), obj('j')], commonPrefixes: [], isTruncated: false, nextContinuationToken: 'unused', nextMarker: '' };
  const req = { bucket: 'bkt', prefix: '', delimiter: '', maxKeys: 1000, startAfter: '', continuationToken: '', owner: 'alice' };
  const without = xmlTree(renderListObjectsV2(res, { ...req, fetchOwner: false }));
  assert.deepEqual(childNames(without), ['Name', 'Prefix', 'KeyCount', 'MaxKeys', 'IsTruncated', 'Contents', 'Contents']);
  const withOwner = xmlTree(renderListObjectsV2(res, { ...req, fetchOwner: true }));
  const [k, j] = all(withOwner, 'Contents');
  assert.equal(childText(child(k!, 'Owner'), 'ID'), 'bob');
  assert.equal(childText(k!, 'StorageClass'), 'REPLICATED');
  assert.equal(childText(child(j!, 'Owner'), 'DisplayName'), 'alice');
});

test('ListObjects v1: Marker always, NextMarker only with a delimiter when truncated, Owner always', () => {
  const res = { objects: [obj('a')], commonPrefixes: ['b/'], isTruncated: true, nextContinuationToken: '', nextMarker: 'b/' };
  const base = { bucket: 'bkt', prefix: '', maxKeys: 2, marker: '', owner: 'alice' };
  const withDelim = xmlTree(renderListObjectsV1(res, { ...base, delimiter: '/' }));
  assert.deepEqual(childNames(withDelim), ['Name', 'Prefix', 'Marker', 'NextMarker', 'MaxKeys', 'Delimiter', 'IsTruncated', 'Contents', 'CommonPrefixes']);
  assert.equal(childText(withDelim, 'NextMarker'), 'b/');
  assert.deepEqual(childNames(child(withDelim, 'Contents')), ['Key', 'LastModified', 'ETag', 'Size', 'StorageClass', 'Owner']);
  const noDelim = xmlTree(renderListObjectsV1({ ...res, commonPrefixes: [] }, { ...base, delimiter: '' }));
  assert.deepEqual(childNames(noDelim), ['Name', 'Prefix', 'Marker', 'MaxKeys', 'IsTruncated', 'Contents']);
});

test('encoding-type=url encodes keys, prefixes, delimiter and markers — never tokens', () => {
  const keys = [...NASTY_KEYS, 'ctrl\x01\x1f\r\nchars', 'a b/c~d*e'];
  const v2 = renderListObjectsV2({ objects: keys.map((k) => obj(k)), commonPrefixes: ['p q/'], isTruncated: true, nextContinuationToken: 'a b+c', nextMarker: '' }, {
    bucket: 'bkt', prefix: 'p q', delimiter: ' ', maxKeys: 9, startAfter: 's&t', continuationToken: 'x/y z', fetchOwner: false, owner: 'o', encodingType: 'url',
  });
  assert.doesNotMatch(v2, /&#x/);
  const root = xmlTree(v2);
  assert.equal(childText(root, 'EncodingType'), 'url');
  assert.equal(childNames(root).at(-1), 'EncodingType');
  assert.equal(childText(root, 'Prefix'), 'p+q');
  assert.equal(childText(root, 'Delimiter'), '+');
  assert.equal(childText(root, 'StartAfter'), 's%26t');
  assert.equal(childText(root, 'ContinuationToken'), 'x/y z');
  assert.equal(childText(root, 'NextContinuationToken'), 'a b+c');
  assert.deepEqual(all(root, 'Contents').map((c) => s3UrlDecode(childText(c, 'Key'))), keys);
  assert.equal(childText(all(root, 'Contents').at(-1)!, 'Key'), 'a+b/c%7Ed*e');
  assert.equal(childText(child(root, 'CommonPrefixes'), 'Prefix'), 'p+q/');

  const v1 = xmlTree(renderListObjectsV1({ objects: [], commonPrefixes: [], isTruncated: true, nextContinuationToken: '', nextMarker: 'n m' }, {
    bucket: 'bkt', prefix: '', delimiter: '/', maxKeys: 1, marker: 'm\u2603', owner: 'o', encodingType: 'url',
  }));
  assert.equal(childText(v1, 'Marker'), 'm%E2%98%83');
  assert.equal(childText(v1, 'NextMarker'), 'n+m');
  assert.throws(() => renderListObjectsV1({ objects: [], commonPrefixes: [], isTruncated: false, nextContinuationToken: '', nextMarker: '' }, {
    bucket: 'bkt', prefix: '', delimiter: '', maxKeys: 1, marker: '', owner: 'o', encodingType: 'gzip',
  }), (e: unknown) => e instanceof StoreError && e.code === 'InvalidArgument');
});

test('s3UrlEncode: form encoding over UTF-8, "/" kept, inverse of unquote_plus', () => {
  assert.equal(s3UrlEncode('AZaz09-_.*/'), 'AZaz09-_.*/');
  assert.equal(s3UrlEncode(' +%&=?#~!\'()'), '+%2B%25%26%3D%3F%23%7E%21%27%28%29');
  assert.equal(s3UrlEncode('\u00e9\ud83d\ude00'), '%C3%A9%F0%9F%98%80');
  for (const s of [...NASTY_KEYS, '\x00\x7f\u2603 +']) assert.equal(s3UrlDecode(s3UrlEncode(s)), s);
});

test('ListObjectVersions: versions and delete markers in order', () => {
  const xml = renderListObjectVersions({
    versions: [
      obj('a', { versionId: 'v2', isLatest: true }),
      obj('a', { versionId: '', isLatest: false }),
      create(ObjectVersionSchema, { key: 'b', versionId: 'dm1', deleteMarker: true, isLatest: true, lastModifiedMs: T }),
    ],
    commonPrefixes: [], isTruncated: true, nextKeyMarker: 'b', nextVersionIdMarker: 'dm1',
  }, { bucket: 'bkt', prefix: '', delimiter: '', maxKeys: 3, keyMarker: '', versionIdMarker: '', owner: 'o' });
  const root = xmlTree(xml);
  assert.deepEqual(childNames(root), ['Name', 'Prefix', 'KeyMarker', 'VersionIdMarker', 'NextKeyMarker', 'NextVersionIdMarker', 'MaxKeys', 'IsTruncated', 'Version', 'Version', 'DeleteMarker']);
  assert.deepEqual(childNames(all(root, 'Version')[0]!), ['Key', 'VersionId', 'IsLatest', 'LastModified', 'ETag', 'Size', 'StorageClass', 'Owner']);
  assert.equal(childText(all(root, 'Version')[1]!, 'VersionId'), 'null');
  assert.deepEqual(childNames(child(root, 'DeleteMarker')), ['Key', 'VersionId', 'IsLatest', 'LastModified', 'Owner']);
});

test('multipart documents', () => {
  const init = xmlTree(renderInitiateMultipartUpload({ bucket: 'bkt', key: 'k&1', uploadId: 'u1' }));
  assert.equal(init.name, 'InitiateMultipartUploadResult');
  assert.deepEqual(childNames(init), ['Bucket', 'Key', 'UploadId']);
  assert.equal(childText(init, 'Key'), 'k&1');

  const done = xmlTree(renderCompleteMultipartUpload({ location: 'http://h/bkt/k', bucket: 'bkt', key: 'k', etag: 'abc-2', checksums: { crc32c: 'Q==', crc64ecma: 'x' } }));
  assert.deepEqual(childNames(done), ['Location', 'Bucket', 'Key', 'ETag', 'ChecksumCRC32C']);
  assert.equal(childText(done, 'ETag'), '"abc-2"');

  const upload = create(MultipartUploadSchema, { key: 'k', uploadId: 'u1', initiatedMs: T, checksumAlgorithm: 'crc32', attributes: { owner: 'bob' } });
  const parts = [1, 2].map((n) => create(UploadPartSchema, { number: n, size: 5n * 1024n * 1024n, etag: `e${n}`, lastModifiedMs: T, checksums: { crc32: `c${n}` } }));
  const lp = xmlTree(renderListParts({ upload, parts, isTruncated: true, nextPartNumberMarker: 2 }, { bucket: 'bkt', key: 'k', uploadId: 'u1', partNumberMarker: 0, maxParts: 2, owner: 'alice' }));
  assert.deepEqual(childNames(lp), ['Bucket', 'Key', 'UploadId', 'Initiator', 'Owner', 'StorageClass', 'ChecksumAlgorithm', 'PartNumberMarker', 'NextPartNumberMarker', 'MaxParts', 'IsTruncated', 'Part', 'Part']);
  assert.equal(childText(child(lp, 'Initiator'), 'ID'), 'bob');
  assert.equal(childText(lp, 'ChecksumAlgorithm'), 'CRC32');
  assert.deepEqual(childNames(all(lp, 'Part')[0]!), ['PartNumber', 'LastModified', 'ETag', 'Size', 'ChecksumCRC32']);
  assert.equal(childText(all(lp, 'Part')[1]!, 'ETag'), '"e2"');

  const lu = xmlTree(renderListMultipartUploads({ uploads: [upload], commonPrefixes: ['d/'], isTruncated: false, nextKeyMarker: 'x', nextUploadIdMarker: 'y' }, {
    bucket: 'bkt', prefix: '', delimiter: '/', keyMarker: '', uploadIdMarker: '', maxUploads: 1000, owner: 'alice',
  }));
  assert.deepEqual(childNames(lu), ['Bucket', 'KeyMarker', 'UploadIdMarker', 'NextKeyMarker', 'NextUploadIdMarker', 'Delimiter', 'Prefix', 'MaxUploads', 'IsTruncated', 'Upload', 'CommonPrefixes']);
  assert.equal(childText(lu, 'NextKeyMarker'), '');
  assert.deepEqual(childNames(child(lu, 'Upload')), ['Key', 'UploadId', 'Initiator', 'Owner', 'StorageClass', 'Initiated', 'ChecksumAlgorithm']);
  assert.equal(childText(child(lu, 'Upload'), 'Initiated'), ISO);

  const cp = xmlTree(renderCopyPartResult({ etag: 'e', lastModifiedMs: T }));
  assert.deepEqual([cp.name, ...childNames(cp)], ['CopyPartResult', 'LastModified', 'ETag']);
});

test('CopyObjectResult and DeleteResult (quiet omits Deleted)', () => {
  const co = xmlTree(renderCopyObjectResult({ etag: 'e', lastModifiedMs: Number(T), checksums: { sha256: 's' } }));
  assert.deepEqual([co.name, ...childNames(co)], ['CopyObjectResult', 'LastModified', 'ETag', 'ChecksumSHA256']);
  assert.equal(childText(co, 'LastModified'), ISO);

  const outcomes = [
    { key: 'plain' },
    { key: 'v&1', versionId: 'v1' },
    { key: 'marker', deleteMarker: true, deleteMarkerVersionId: 'dm' },
    { key: 'bad<', versionId: 'v9', error: { code: 'AccessDenied', message: 'Access Denied' } },
  ];
  const loud = xmlTree(renderDeleteResult(outcomes, { quiet: false }));
  assert.equal(loud.attrs['xmlns'], S3_XMLNS);
  assert.deepEqual(childNames(loud), ['Deleted', 'Deleted', 'Deleted', 'Error']);
  assert.deepEqual(childNames(loud.children[1]!), ['Key', 'VersionId']);
  assert.deepEqual(childNames(loud.children[2]!), ['Key', 'DeleteMarker', 'DeleteMarkerVersionId']);
  assert.deepEqual(childNames(loud.children[3]!), ['Key', 'VersionId', 'Code', 'Message']);
  assert.equal(childText(loud.children[3]!, 'Key'), 'bad<');
  const quiet = xmlTree(renderDeleteResult(outcomes, { quiet: true }));
  assert.deepEqual(childNames(quiet), ['Error']);
  assert.deepEqual(childNames(xmlTree(renderDeleteResult([{ key: 'a' }], { quiet: true }))), []);
});

test('bucket documents', () => {
  const buckets = [create(BucketSchema, { name: 'b1', createdMs: T, region: 'zone-east' }), create(BucketSchema, { name: 'b2', createdMs: 0n })];
  const lb = xmlTree(renderListBuckets(buckets, { owner: 'alice' }));
  assert.deepEqual([lb.name, ...childNames(lb)], ['ListAllMyBucketsResult', 'Owner', 'Buckets']);
  const b = all(child(lb, 'Buckets'), 'Bucket');
  assert.deepEqual(childNames(b[0]!), ['Name', 'CreationDate', 'BucketRegion']);
  assert.equal(childText(b[0]!, 'CreationDate'), ISO);
  assert.deepEqual(childNames(b[1]!), ['Name', 'CreationDate']);
  assert.deepEqual(childNames(xmlTree(renderListBuckets([], { owner: 'a', prefix: 'p', continuationToken: 't' }))), ['Owner', 'Buckets', 'ContinuationToken', 'Prefix']);

  assert.equal(renderLocationConstraint('us-east-1'), `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}"></LocationConstraint>`);
  assert.equal(xmlTree(renderLocationConstraint('eu-west-1')).text, 'eu-west-1');

  assert.deepEqual(childNames(xmlTree(renderVersioningConfiguration(VersioningState.UNSPECIFIED))), []);
  assert.equal(childText(xmlTree(renderVersioningConfiguration(VersioningState.ENABLED)), 'Status'), 'Enabled');
  assert.equal(childText(xmlTree(renderVersioningConfiguration(VersioningState.SUSPENDED)), 'Status'), 'Suspended');

  const acl = xmlTree(renderAccessControlPolicy('alice'));
  assert.deepEqual(childNames(acl), ['Owner', 'AccessControlList']);
  const grant = child(child(acl, 'AccessControlList'), 'Grant');
  assert.equal(child(grant, 'Grantee').attrs['xsi:type'], 'CanonicalUser');
  assert.equal(childText(child(grant, 'Grantee'), 'ID'), 'alice');
  assert.equal(childText(grant, 'Permission'), 'FULL_CONTROL');
});

test('error document: code, message, S3-named details in order, resource and ids', () => {
  const err = new StoreError('NoSuchKey', 'The specified key does not exist.', { key: 'a&b', internalHint: 'x', ArgumentName: 'n', Code: 'spoof' });
  const xml = renderS3Error(err, { requestId: 'R1', hostId: 'H1', resource: '/bkt/a&b' });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'));
  const root = xmlTree(xml);
  assert.deepEqual(childNames(root), ['Code', 'Message', 'Key', 'ArgumentName', 'Resource', 'RequestId', 'HostId']);
  assert.equal(childText(root, 'Key'), 'a&b');
  assert.equal(childText(root, 'Resource'), '/bkt/a&b');
  const bucketErr = xmlTree(renderS3Error(new StoreError('NoSuchBucket', 'nope', { bucket: 'bkt' }), { requestId: 'R', hostId: 'H' }));
  assert.deepEqual(childNames(bucketErr), ['Code', 'Message', 'BucketName', 'RequestId', 'HostId']);
});
