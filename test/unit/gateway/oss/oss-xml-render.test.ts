// The OSS documents' element names and order, the escaping of keys, and encoding-type=url.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { BucketSchema, ObjectVersionSchema, VersioningState } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { OSS_XML, ossUrlEncode, renderOssListBuckets } from '../../../../services/gateway/oss/index.ts';
import { all, child, childNames, childText, xmlTree } from '../s3/xml-tree.ts';

const T = BigInt(Date.UTC(2024, 4, 6, 7, 8, 9, 123));
const object = (key: string) => create(ObjectVersionSchema, { key, versionId: 'null', size: 3n, etag: 'e', lastModifiedMs: T });
const EMPTY = { objects: [], commonPrefixes: [], isTruncated: false, nextMarker: '', nextContinuationToken: '' };

test('ListBucketResult (v1): OSS element order; no namespace; NextMarker only when truncated', () => {
  const doc = xmlTree(OSS_XML.renderListObjectsV1(
    { ...EMPTY, objects: [object('k')], commonPrefixes: ['p/'], isTruncated: true, nextMarker: 'p/' },
    { bucket: 'b', prefix: '', delimiter: '/', maxKeys: 2, marker: '', owner: 'o' },
  ));
  assert.deepEqual(doc.attrs, {});
  assert.deepEqual(childNames(doc), ['Name', 'Prefix', 'Marker', 'MaxKeys', 'Delimiter', 'IsTruncated', 'NextMarker', 'Contents', 'CommonPrefixes']);
  assert.deepEqual(childNames(child(doc, 'Contents')), ['Key', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass', 'Owner']);
  assert.equal(childText(child(doc, 'Contents'), 'LastModified'), '2024-05-06T07:08:09.123Z');
  const untruncated = xmlTree(OSS_XML.renderListObjectsV1(EMPTY, { bucket: 'b', prefix: '', delimiter: '', maxKeys: 2, marker: '', owner: 'o' }));
  assert.deepEqual(childNames(untruncated), ['Name', 'Prefix', 'Marker', 'MaxKeys', 'Delimiter', 'IsTruncated']);
});

test('ListBucketResult (v2): OSS element order', () => {
  const doc = xmlTree(OSS_XML.renderListObjectsV2(
    { ...EMPTY, objects: [object('k')], isTruncated: true, nextContinuationToken: 'n' },
    { bucket: 'b', prefix: 'p', delimiter: '', maxKeys: 1, startAfter: 's', continuationToken: 'c', fetchOwner: false, owner: 'o', encodingType: 'url' },
  ));
  assert.deepEqual(childNames(doc), ['Name', 'Prefix', 'StartAfter', 'ContinuationToken', 'MaxKeys', 'Delimiter', 'EncodingType', 'IsTruncated',
    'NextContinuationToken', 'KeyCount', 'Contents']);
  assert.deepEqual(childNames(child(doc, 'Contents')), ['Key', 'LastModified', 'ETag', 'Type', 'Size', 'StorageClass']);
});

test('keys: XML specials escaped, forbidden characters raw (as ali-oss reads them), CR as a reference', () => {
  const xml = OSS_XML.renderListObjectsV1({ ...EMPTY, objects: [object('a&b<c>"\'\x01\x1f\r&#x1;\uffff')] },
    { bucket: 'b', prefix: '', delimiter: '', maxKeys: 1, marker: '', owner: 'o' });
  assert.ok(xml.includes('<Key>a&amp;b&lt;c&gt;&quot;&apos;\x01\x1f&#xD;&amp;#x1;\uffff</Key>'), xml);
  // Unpaired surrogates cannot travel as UTF-8: they stay references.
  const lone = OSS_XML.renderTagging!({ ['x\ud800']: 'v' });
  assert.ok(lone.includes('<Key>x&#xD800;</Key>'), lone);
});

test('encoding-type=url: percent-encoded UTF-8; unreserved characters and / literal; unknown types refused', () => {
  assert.equal(ossUrlEncode('a b+c/\u00e9~*%\x01'), 'a%20b%2Bc/%C3%A9~%2A%25%01');
  for (const key of ['plain', 'a b+c', '\u{1F600}/x', '%41', '\x00\x7f', "!'()*"]) assert.equal(decodeURIComponent(ossUrlEncode(key)), key);
  assert.throws(() => OSS_XML.renderListObjectsV1(EMPTY, { bucket: 'b', prefix: '', delimiter: '', maxKeys: 1, marker: '', owner: 'o', encodingType: 'gzip' }),
    (e: unknown) => isStoreError(e, 'InvalidArgument'));
});

test('ListAllMyBucketsResult, with endpoints when known', () => {
  const bucket = create(BucketSchema, { name: 'b1', owner: 'o', createdMs: T, region: 'cn-hangzhou' });
  const doc = xmlTree(renderOssListBuckets([bucket], { owner: 'o', endpoint: 'zonestore.local:9000' }));
  assert.deepEqual(childNames(doc), ['Owner', 'Buckets']);
  const b = child(child(doc, 'Buckets'), 'Bucket');
  assert.deepEqual(childNames(b), ['CreationDate', 'ExtranetEndpoint', 'IntranetEndpoint', 'Location', 'Name', 'Region', 'StorageClass']);
  assert.deepEqual(['Location', 'Region', 'ExtranetEndpoint'].map((n) => childText(b, n)), ['oss-cn-hangzhou', 'cn-hangzhou', 'zonestore.local:9000']);
  const plain = child(child(xmlTree(OSS_XML.renderListBuckets([bucket], { owner: 'o' })), 'Buckets'), 'Bucket');
  assert.deepEqual(childNames(plain), ['CreationDate', 'Location', 'Name', 'Region', 'StorageClass']);
});

test('BucketInfo: endpoint without the bucket label; no Versioning for a never-versioned bucket', () => {
  const bucket = create(BucketSchema, { name: 'b1', owner: 'o', createdMs: T, region: '' });
  const doc = child(xmlTree(OSS_XML.renderBucketInfo!(bucket, { owner: 'o', region: 'us-east-1', endpoint: 'localhost:9000' })), 'Bucket');
  assert.equal(childText(doc, 'ExtranetEndpoint'), 'localhost:9000');
  assert.equal(childText(doc, 'Location'), 'oss-us-east-1');
  assert.equal(doc.children.some((c) => c.name === 'Versioning'), false);
  const suspended = create(BucketSchema, { name: 'b1', owner: 'o', createdMs: T, region: 'eu', versioning: VersioningState.SUSPENDED });
  const info = child(xmlTree(OSS_XML.renderBucketInfo!(suspended, { owner: 'o', region: 'x', endpoint: 'B1.oss-eu.aliyuncs.com' })), 'Bucket');
  assert.deepEqual(['ExtranetEndpoint', 'Region', 'Versioning'].map((n) => childText(info, n)), ['oss-eu.aliyuncs.com', 'eu', 'Suspended']);
});

test('Tagging: tags in key order; VersioningConfiguration; ACL; location', () => {
  const doc = xmlTree(OSS_XML.renderTagging!({ b: '2', a: '1' }));
  assert.deepEqual(all(child(doc, 'TagSet'), 'Tag').map((t) => [childText(t, 'Key'), childText(t, 'Value')]), [['a', '1'], ['b', '2']]);
  assert.deepEqual(childNames(xmlTree(OSS_XML.renderVersioningConfiguration(VersioningState.UNSPECIFIED))), []);
  const acl = xmlTree(OSS_XML.renderAccessControlPolicy('o'));
  assert.deepEqual(childNames(acl), ['Owner', 'AccessControlList']);
  assert.equal(childText(child(acl, 'AccessControlList'), 'Grant'), 'private');
  assert.equal(xmlTree(OSS_XML.renderLocationConstraint('oss-cn-beijing')).text, 'oss-cn-beijing');
});
