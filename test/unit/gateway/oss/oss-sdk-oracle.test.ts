// The real ali-oss SDK parses what the OSS codec renders: if it reads the fields we meant, OSS
// clients will too. Every request the SDK sends is also run through parseOssRequest, so the
// routing is checked against the SDK's own requests (virtual-hosted: it is given an IP endpoint).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import {
  BucketSchema, MultipartUploadSchema, ObjectVersionSchema, UploadPartSchema, VersioningState,
} from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import type { Operation } from '../../../../services/gateway/dialect/operation.ts';
import { OSS_CODEC, OSS_XML, parseOssCreateBucketConfiguration, parseOssRequest } from '../../../../services/gateway/oss/index.ts';
import { parseCompleteMultipartUpload, parseDeleteObjects } from '../../../../services/gateway/s3/index.ts';
import { ORACLE_BUCKET, type OssOracle, startOssOracle } from './oss-sdk-oracle.ts';

const MS = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
const T = BigInt(MS);
const ISO = new Date(MS).toISOString();
// Keys that stress escaping; control characters travel as numeric references the SDK's parser decodes.
const KEYS = ['a&b<c>d"e\'f', 'snow\u2603/man\u{1F600}', ' spaced ', 'plus+percent%20=?#', 'ctrl\x01\x1fchar', 'tab\there'];

/** What ali-oss's list() makes of a listing. */
interface SdkListing {
  objects: Array<{ name: string; size: number; type: string; storageClass: string; etag: string; lastModified: string; owner: unknown }>;
  prefixes: string[] | null;
  nextMarker: string | null;
  isTruncated: boolean;
}

let o: OssOracle;
before(async () => { o = await startOssOracle(); });
after(async () => { await o.close(); });

/** The operation our parser makes of the SDK's last request. */
function lastOperation(): { operation: Operation; bucket?: string; key?: string; query: ReadonlyMap<string, string> } {
  const r = o.requests.at(-1)!;
  return parseOssRequest({ method: r.method, rawUrl: r.url, headers: r.headers }, { baseDomains: [] });
}

const version = (key: string, extra: { owner?: string; storageClass?: string; size?: bigint; partsCount?: number; objectType?: string } = {}) =>
  create(ObjectVersionSchema, {
    key, versionId: 'null', size: extra.size ?? 42n, etag: 'abc123', lastModifiedMs: T, partsCount: extra.partsCount ?? 0,
    objectType: extra.objectType ?? '', attributes: { owner: extra.owner ?? '', storageClass: extra.storageClass ?? '' },
  });

test('ListObjects (v1): keys, types, owners, prefixes, NextMarker', async () => {
  const objects = KEYS.map((k, i) => version(k, {
    size: BigInt(i), partsCount: i === 1 ? 3 : 0, objectType: i === 2 ? 'Appendable' : i === 3 ? 'Symlink' : '', owner: i === 0 ? 'bob' : '',
    storageClass: i === 4 ? 'REPLICATED' : '',
  }));
  o.answer({ body: OSS_XML.renderListObjectsV1(
    { objects, commonPrefixes: ['dir/', 'd&r/'], isTruncated: true, nextMarker: 'd&r/', nextContinuationToken: '' },
    { bucket: ORACLE_BUCKET, prefix: '', delimiter: '/', maxKeys: 8, marker: 'm<', owner: 'alice' },
  ) });
  const out: SdkListing = await o.client.list({ delimiter: '/', 'max-keys': 8, marker: 'm<' }, {});
  assert.deepEqual(lastOperation().operation, 'ListObjects');
  assert.equal(lastOperation().bucket, ORACLE_BUCKET);
  assert.equal(lastOperation().query.get('marker'), 'm<');
  assert.deepEqual(out.objects.map((x) => x.name), KEYS);
  assert.deepEqual(out.objects.map((x) => x.size), KEYS.map((_, i) => i));
  assert.deepEqual(out.objects.map((x) => x.type), ['Normal', 'Multipart', 'Appendable', 'Symlink', 'Normal', 'Normal']);
  assert.deepEqual(out.objects.map((x) => x.storageClass), ['Standard', 'Standard', 'Standard', 'Standard', 'REPLICATED', 'Standard']);
  assert.equal(out.objects[0]!.etag, '"abc123"');
  assert.equal(out.objects[0]!.lastModified, ISO);
  assert.deepEqual(out.objects[0]!.owner, { id: 'bob', displayName: 'bob' });
  assert.deepEqual(out.objects[1]!.owner, { id: 'alice', displayName: 'alice' });
  assert.deepEqual(out.prefixes, ['dir/', 'd&r/']);
  assert.equal(out.nextMarker, 'd&r/');
  assert.equal(out.isTruncated, true);
});

test('ListObjects (v1): an empty, untruncated page', async () => {
  o.answer({ body: OSS_XML.renderListObjectsV1(
    { objects: [], commonPrefixes: [], isTruncated: false, nextMarker: '', nextContinuationToken: '' },
    { bucket: ORACLE_BUCKET, prefix: 'none/', delimiter: '', maxKeys: 1000, marker: '', owner: 'alice' },
  ) });
  const out = await o.client.list({ prefix: 'none/', 'max-keys': 1000 }, {});
  assert.deepEqual(out.objects, []);
  assert.equal(out.prefixes, null);
  assert.equal(out.nextMarker, null);
  assert.equal(out.isTruncated, false);
});

test('ListObjectsV2: tokens, KeyCount, owners only when fetched', async () => {
  const render = (fetchOwner: boolean) => OSS_XML.renderListObjectsV2(
    { objects: KEYS.map((k) => version(k)), commonPrefixes: ['p/'], isTruncated: true, nextContinuationToken: 'AbC-_9', nextMarker: '' },
    { bucket: ORACLE_BUCKET, prefix: '', delimiter: '/', maxKeys: 7, startAfter: 'a', continuationToken: 'cur-tok', fetchOwner, owner: 'alice' },
  );
  o.answer({ body: render(false) });
  const out = await o.client.listV2({ 'max-keys': 7, 'continuation-token': 'cur-tok', delimiter: '/' }) as {
    objects: Array<{ name: string; owner: unknown; type: string }>; prefixes: string[]; keyCount: number; isTruncated: boolean;
    continuationToken: string; nextContinuationToken: string;
  };
  assert.equal(lastOperation().operation, 'ListObjectsV2');
  assert.equal(lastOperation().query.get('continuation-token'), 'cur-tok');
  assert.deepEqual(out.objects.map((x) => x.name), KEYS);
  assert.deepEqual(out.objects.map((x) => x.owner), KEYS.map(() => null));
  assert.deepEqual(out.prefixes, ['p/']);
  assert.equal(out.keyCount, KEYS.length + 1);
  assert.equal(out.isTruncated, true);
  assert.equal(out.continuationToken, 'cur-tok');
  assert.equal(out.nextContinuationToken, 'AbC-_9');
  o.answer({ body: render(true) });
  const owned = await o.client.listV2({ 'fetch-owner': true }) as { objects: Array<{ owner: unknown }> };
  assert.deepEqual(owned.objects[0]!.owner, { id: 'alice', displayName: 'alice' });
});

test('ListObjects with encoding-type=url: every decoder reads the exact keys back', async () => {
  const xml = OSS_XML.renderListObjectsV1(
    { objects: KEYS.map((k) => version(k)), commonPrefixes: ['a b+/'], isTruncated: true, nextMarker: 'a b+/', nextContinuationToken: '' },
    { bucket: ORACLE_BUCKET, prefix: 'p +', delimiter: '/', maxKeys: 8, marker: '', owner: 'alice', encodingType: 'url' },
  );
  o.answer({ body: xml });
  const out: SdkListing = await o.client.list({ 'encoding-type': 'url' }, {});
  const unquotePlus = (s: string): string => decodeURIComponent(s.replaceAll('+', ' '));
  for (const decode of [decodeURIComponent, unquotePlus]) {
    assert.deepEqual(out.objects.map((x) => decode(x.name)), KEYS);
    assert.deepEqual(out.prefixes?.map(decode), ['a b+/']);
    assert.equal(decode(out.nextMarker!), 'a b+/');
  }
  assert.match(xml, /<EncodingType>url<\/EncodingType>/);
  assert.match(xml, /<Prefix>p%20%2B<\/Prefix>/);
});

test('ListObjectVersions (GetBucketVersions)', async () => {
  const versions = [
    create(ObjectVersionSchema, { key: 'k&1', versionId: 'v2', isLatest: true, size: 5n, etag: 'e2', lastModifiedMs: T, attributes: { owner: 'bob' } }),
    create(ObjectVersionSchema, { key: 'k&1', versionId: 'v1', deleteMarker: true, lastModifiedMs: T }),
  ];
  o.answer({ body: OSS_XML.renderListObjectVersions(
    { versions, commonPrefixes: [], isTruncated: true, nextKeyMarker: 'k&1', nextVersionIdMarker: 'v1' },
    { bucket: ORACLE_BUCKET, prefix: '', delimiter: '', maxKeys: 2, keyMarker: '', versionIdMarker: '', owner: 'alice' },
  ) });
  const out = await o.client.getBucketVersions({ maxKeys: 2 }) as {
    objects: Array<Record<string, unknown>>; deleteMarker: Array<Record<string, unknown>>; nextKeyMarker: string; nextVersionIdMarker: string; isTruncated: boolean;
  };
  assert.equal(lastOperation().operation, 'ListObjectVersions');
  assert.equal(out.objects.length, 1);
  assert.deepEqual(
    [out.objects[0]!['name'], out.objects[0]!['versionId'], out.objects[0]!['isLatest'], out.objects[0]!['size'], out.objects[0]!['type'], out.objects[0]!['etag']],
    ['k&1', 'v2', true, 5, 'Normal', '"e2"'],
  );
  assert.deepEqual(out.objects[0]!['owner'], { id: 'bob', displayName: 'bob' });
  assert.deepEqual([out.deleteMarker[0]!['name'], out.deleteMarker[0]!['versionId']], ['k&1', 'v1']);
  assert.deepEqual(out.deleteMarker[0]!['owner'], { id: 'alice', displayName: 'alice' });
  assert.deepEqual([out.nextKeyMarker, out.nextVersionIdMarker, out.isTruncated], ['k&1', 'v1', true]);
});

test('ListBuckets, GetBucketLocation, GetBucketVersioning, GetBucketACL', async () => {
  const buckets = [
    create(BucketSchema, { name: 'one', owner: 'alice', createdMs: T, region: 'us-east-1' }),
    create(BucketSchema, { name: 'two', owner: 'alice', createdMs: T, region: '' }),
  ];
  o.answer({ body: OSS_XML.renderListBuckets(buckets, { owner: 'alice' }) });
  const listed = await o.client.listBuckets({}) as unknown as { buckets: Array<Record<string, unknown>>; owner: { id: string; displayName: string } };
  assert.equal(lastOperation().operation, 'ListBuckets');
  assert.deepEqual(listed.buckets.map((b) => [b['name'], b['region'], b['creationDate'], b['storageClass']]), [
    ['one', 'oss-us-east-1', ISO, 'Standard'], ['two', 'oss-us-east-1', ISO, 'Standard'],
  ]);
  assert.deepEqual(listed.owner, { id: 'alice', displayName: 'alice' });

  o.answer({ body: OSS_XML.renderLocationConstraint('eu-west-1') });
  const location = await o.client.getBucketLocation(ORACLE_BUCKET);
  assert.equal(lastOperation().operation, 'GetBucketLocation');
  assert.equal(location.location, 'oss-eu-west-1');

  for (const [state, status] of [[VersioningState.ENABLED, 'Enabled'], [VersioningState.SUSPENDED, 'Suspended'], [VersioningState.UNSPECIFIED, undefined]] as const) {
    o.answer({ body: OSS_XML.renderVersioningConfiguration(state) });
    const v = await o.client.getBucketVersioning(ORACLE_BUCKET) as { versionStatus?: string };
    assert.equal(lastOperation().operation, 'GetBucketVersioning');
    assert.equal(v.versionStatus, status);
  }

  o.answer({ body: OSS_XML.renderAccessControlPolicy('alice') });
  const acl = await o.client.getBucketACL(ORACLE_BUCKET);
  assert.equal(lastOperation().operation, 'GetBucketAcl');
  assert.deepEqual([acl.acl, acl.owner], ['private', { id: 'alice', displayName: 'alice' }]);
});

test('GetBucketInfo and GetBucketStat', async () => {
  const bucket = create(BucketSchema, { name: ORACLE_BUCKET, owner: 'alice', createdMs: T, region: 'us-east-1', versioning: VersioningState.ENABLED });
  o.answer({ body: OSS_XML.renderBucketInfo!(bucket, { owner: 'alice', region: 'us-east-1', endpoint: `${ORACLE_BUCKET}.oss-cn-hangzhou.aliyuncs.com` }) });
  const info = (await o.client.getBucketInfo(ORACLE_BUCKET)).bucket;
  assert.equal(lastOperation().operation, 'GetBucketInfo');
  assert.equal(info['Name'], ORACLE_BUCKET);
  assert.equal(info['Location'], 'oss-us-east-1');
  assert.equal(info['Region'], 'us-east-1');
  assert.equal(info['CreationDate'], ISO);
  assert.equal(info['ExtranetEndpoint'], 'oss-cn-hangzhou.aliyuncs.com');
  assert.equal(info['StorageClass'], 'Standard');
  assert.equal(info['Versioning'], 'Enabled');
  assert.equal(info['DataRedundancyType'], 'ZRS');
  assert.deepEqual(info['Owner'], { ID: 'alice', DisplayName: 'alice' });
  assert.deepEqual(info['AccessControlList'], { Grant: 'private' });

  o.answer({ body: OSS_XML.renderBucketStat!({ objectCount: 230, storageBytes: 1600, multipartUploadCount: 40, lastModifiedMs: 1_643_341_269_999 }) });
  const stat = (await o.client.getBucketStat(ORACLE_BUCKET)).stat;
  assert.equal(lastOperation().operation, 'GetBucketStat');
  assert.equal(stat['Storage'], '1600');
  assert.equal(stat['ObjectCount'], '230');
  assert.equal(stat['MultipartUploadCount'], '40');
  assert.equal(stat['LastModifiedTime'], '1643341269');
  assert.equal(stat['StandardStorage'], '1600');
  assert.equal(stat['StandardObjectCount'], '230');
  assert.equal(stat['ArchiveObjectCount'], '0');
});

test('multipart: initiate, list uploads, list parts, complete (the SDK body parsed by our parser)', async () => {
  o.answer({ body: OSS_XML.renderInitiateMultipartUpload({ bucket: ORACLE_BUCKET, key: 'big&file', uploadId: 'UP1' }) });
  const init = await o.client.initMultipartUpload('big&file');
  assert.equal(lastOperation().operation, 'CreateMultipartUpload');
  assert.equal(lastOperation().key, 'big&file');
  assert.deepEqual([init.bucket, init.name, init.uploadId], [ORACLE_BUCKET, 'big&file', 'UP1']);

  const uploads = ['u&1', 'u 2'].map((key, i) => create(MultipartUploadSchema, { key, uploadId: `ID${i}`, initiatedMs: T }));
  o.answer({ body: OSS_XML.renderListMultipartUploads(
    { uploads, commonPrefixes: [], isTruncated: true, nextKeyMarker: 'u 2', nextUploadIdMarker: 'ID1' },
    { bucket: ORACLE_BUCKET, prefix: '', delimiter: '', keyMarker: '', uploadIdMarker: '', maxUploads: 2, owner: 'alice' },
  ) });
  const listed: { uploads: Array<{ name: string; uploadId: string; initiated: string }>; bucket: string; nextKeyMarker: string; nextUploadIdMarker: string; isTruncated: boolean } =
    await o.client.listUploads({ 'max-uploads': 2 }, {});
  assert.equal(lastOperation().operation, 'ListMultipartUploads');
  assert.deepEqual(listed.uploads.map((u) => [u.name, u.uploadId, u.initiated]), [['u&1', 'ID0', ISO], ['u 2', 'ID1', ISO]]);
  assert.deepEqual([listed.bucket, listed.nextKeyMarker, listed.nextUploadIdMarker, listed.isTruncated], [ORACLE_BUCKET, 'u 2', 'ID1', true]);

  const parts = [1, 2].map((n) => create(UploadPartSchema, { number: n, size: BigInt(n * 100), etag: `e${n}`, lastModifiedMs: T, checksums: { crc64ecma: String(n * 7) } }));
  o.answer({ body: OSS_XML.renderListParts(
    { parts, isTruncated: false, nextPartNumberMarker: 0, upload: uploads[0] },
    { bucket: ORACLE_BUCKET, key: 'big&file', uploadId: 'UP1', partNumberMarker: 0, maxParts: 1000, owner: 'alice' },
  ) });
  const lp = await o.client.listParts('big&file', 'UP1', {}, {}) as unknown as {
    uploadId: string; name: string; bucket: string; nextPartNumberMarker: string; maxParts: string; isTruncated: string; parts: Array<Record<string, string>>;
  };
  assert.equal(lastOperation().operation, 'ListParts');
  assert.deepEqual([lp.uploadId, lp.name, lp.bucket, lp.nextPartNumberMarker, lp.maxParts, lp.isTruncated], ['UP1', 'big&file', ORACLE_BUCKET, '2', '1000', 'false']);
  assert.deepEqual(lp.parts.map((p) => [p['PartNumber'], p['Size'], p['ETag'], p['HashCrc64ecma'], p['LastModified']]), [
    ['1', '100', '"e1"', '7', ISO], ['2', '200', '"e2"', '14', ISO],
  ]);

  o.answer({
    body: OSS_XML.renderCompleteMultipartUpload({ location: 'http://h/oracle-bucket/big%26file', bucket: ORACLE_BUCKET, key: 'big&file', etag: 'abc-2' }),
    headers: { etag: '"abc-2"' },
  });
  const done = await o.client.completeMultipartUpload('big&file', 'UP1', [{ number: 2, etag: '"e2"' }, { number: 1, etag: '"e1"' }]);
  assert.equal(lastOperation().operation, 'CompleteMultipartUpload');
  assert.equal(done.etag, '"abc-2"');
  // The SDK's body is S3's shape exactly: the S3 parser serves both dialects.
  assert.deepEqual(parseCompleteMultipartUpload(o.requests.at(-1)!.body).map((p) => [p.partNumber, p.etag]), [[1, 'e1'], [2, 'e2']]);
});

test('CopyObject and UploadPartCopy results', async () => {
  o.answer({ body: OSS_XML.renderCopyObjectResult({ etag: 'c0ffee', lastModifiedMs: T }) });
  const copied = await o.client.copy('dst', 'src key');
  assert.equal(lastOperation().operation, 'CopyObject');
  assert.deepEqual(copied.data, { etag: '"c0ffee"', lastModified: ISO });
  // The SDK's copy-source header, translated, names the source for the S3 parser.
  const headers = { ...o.requests.at(-1)!.headers };
  OSS_CODEC.normalizeRequestHeaders(headers, 'PUT');
  assert.equal(headers['x-amz-copy-source'], `/${ORACLE_BUCKET}/src%20key`);

  const xml = OSS_XML.renderCopyPartResult({ etag: 'part1', lastModifiedMs: T });
  assert.match(xml, /^<\?xml[^>]*>\n<CopyPartResult><LastModified>[^<]+<\/LastModified><ETag>&quot;part1&quot;<\/ETag><\/CopyPartResult>$/);
});

test('DeleteMultipleObjects: the SDK body parsed by the S3 parser; Deleted keys read back', async () => {
  const keys = ['a&b', 'c<d', 'e f'];
  o.answer({ body: OSS_XML.renderDeleteResult([
    { key: 'a&b' }, { key: 'c<d', versionId: 'v1', deleteMarker: true, deleteMarkerVersionId: 'dm1' },
    { key: 'e f', error: { code: 'KeyTooLongError', message: 'too long' } },
  ], { quiet: false }) });
  const out = await o.client.deleteMulti(keys, { quiet: false });
  assert.equal(lastOperation().operation, 'DeleteObjects');
  const request = parseDeleteObjects(o.requests.at(-1)!.body);
  assert.deepEqual(request, { quiet: false, objects: keys.map((key) => ({ key })) });
  assert.deepEqual((out.deleted as unknown as Array<Record<string, string>>).map((d) => d['Key']), ['a&b', 'c<d']);
  assert.equal((out.deleted as unknown as Array<Record<string, string>>)[1]!['DeleteMarkerVersionId'], 'dm1');

  o.answer({ body: OSS_XML.renderDeleteResult([{ key: 'a' }], { quiet: true }) });
  const quiet = await o.client.deleteMulti(['a'], { quiet: true });
  assert.equal(parseDeleteObjects(o.requests.at(-1)!.body).quiet, true);
  assert.deepEqual(quiet.deleted, []);
});

test('object tagging: the SDK body parsed by parseTagging; the rendered tag set read back', async () => {
  const tags = { 'b': '2', 'a key': 'a value', 'x+y': 'z=1:/' };
  o.answer({ body: '' });
  await o.client.putObjectTagging('obj', tags);
  assert.equal(lastOperation().operation, 'PutObjectTagging');
  assert.deepEqual(OSS_XML.parseTagging!(o.requests.at(-1)!.body), tags);

  o.answer({ body: OSS_XML.renderTagging!(tags) });
  assert.deepEqual((await o.client.getObjectTagging('obj')).tag, tags);
  assert.equal(lastOperation().operation, 'GetObjectTagging');
  o.answer({ body: OSS_XML.renderTagging!({}) });
  assert.deepEqual((await o.client.getObjectTagging('obj')).tag, {});
});

test('PutBucket with a storage class: the SDK body parsed by the OSS parser', async () => {
  o.answer({ body: '' });
  await o.client.putBucket('new-bucket', { storageClass: 'IA' } as never);
  const r = o.requests.at(-1)!;
  assert.equal(parseOssRequest({ method: r.method, rawUrl: r.url, headers: r.headers }, { baseDomains: [] }).operation, 'CreateBucket');
  assert.deepEqual(parseOssCreateBucketConfiguration(r.body), { storageClass: 'STANDARD' });
  await o.client.putBucket('new-bucket');
  assert.deepEqual(parseOssCreateBucketConfiguration(o.requests.at(-1)!.body), {});
});

test('append, symlink and object meta read our response headers', async () => {
  const appendable = create(ObjectVersionSchema, { key: 'log', size: 17n, etag: 'e', lastModifiedMs: T, objectType: 'Appendable' });
  o.answer({ headers: OSS_CODEC.responseHeaders({ etag: '"e"' }, { requestId: 'R', hostId: 'H', version: appendable }) });
  const appended = await o.client.append('log', Buffer.from('hello'), { position: '12' });
  assert.equal(lastOperation().operation, 'AppendObject');
  assert.equal(lastOperation().query.get('position'), '12');
  assert.equal(appended.nextAppendPosition, '17');

  const link = create(ObjectVersionSchema, {
    key: 'link', size: 0n, etag: 'e', lastModifiedMs: T, objectType: 'Symlink', attributes: { headers: { 'x-oss-symlink-target': 'dir/t a+b\u2603' } },
  });
  o.answer({ headers: OSS_CODEC.responseHeaders({}, { requestId: 'R', hostId: 'H', version: link }) });
  assert.equal((await o.client.getSymlink('link')).targetName, 'dir/t a+b\u2603');
  assert.equal(lastOperation().operation, 'GetSymlink');
  o.answer({ body: '' });
  await o.client.putSymlink('link', 'dir/t a+b\u2603');
  assert.equal(lastOperation().operation, 'PutSymlink');
  assert.equal(decodeURIComponent(String(o.requests.at(-1)!.headers['x-oss-symlink-target'])), 'dir/t a+b\u2603');

  const plain = create(ObjectVersionSchema, { key: 'k', size: 3n, etag: 'e', lastModifiedMs: T, checksums: { crc64ecma: '123' }, attributes: { userMeta: {} } });
  o.answer({ headers: OSS_CODEC.responseHeaders({ 'x-amz-meta-color': 'blue', 'content-length': '3' }, { requestId: 'R', hostId: 'H', version: plain }) });
  const meta = await o.client.getObjectMeta('k');
  assert.equal(lastOperation().operation, 'GetObjectMeta');
  assert.equal(meta.res.headers['x-oss-hash-crc64ecma'], '123');
  const head = await o.client.head('k');
  assert.equal(lastOperation().operation, 'HeadObject');
  assert.deepEqual(head.meta, { color: 'blue' });
});

test('both ways ali-oss addresses a bucket (IP endpoint, hostname with sldEnable) parse to the same requests', async () => {
  const BASE = { baseDomains: ['localhost'] };
  const calls: Array<[string, (c: typeof o.client) => Promise<unknown>, Operation, string | undefined]> = [
    ['put', (c) => c.put('dir/a b+c.txt', Buffer.from('x')), 'PutObject', 'dir/a b+c.txt'],
    ['get', (c) => c.get('dir/\u2603'), 'GetObject', 'dir/\u2603'],
    ['list', (c) => c.list({ prefix: 'p/' }, {}), 'ListObjects', undefined],
    ['tagging', (c) => c.getObjectTagging('k'), 'GetObjectTagging', 'k'],
    ['symlink', (c) => c.getSymlink('k'), 'GetSymlink', 'k'],
    ['append', (c) => c.append('k', Buffer.from('x'), { position: '0' }), 'AppendObject', 'k'],
    ['bucketInfo', (c) => c.getBucketInfo(ORACLE_BUCKET), 'GetBucketInfo', undefined],
    ['stat', (c) => c.getBucketStat(ORACLE_BUCKET), 'GetBucketStat', undefined],
  ];
  for (const [what, call, operation, key] of calls) {
    const seen: Array<[string, string, string | undefined, string | undefined]> = [];
    for (const client of [o.client, o.pathClient]) {
      o.answer({ body: '<X/>', headers: { 'x-oss-symlink-target': 't' } });
      await call(client).catch(() => undefined);
      const r = o.requests.at(-1)!;
      const p = parseOssRequest({ method: r.method, rawUrl: r.url, headers: r.headers }, BASE);
      seen.push([p.style, p.operation, p.bucket, p.key]);
    }
    assert.deepEqual(seen, [['virtual-host', operation, ORACLE_BUCKET, key], ['path', operation, ORACLE_BUCKET, key]], what);
  }
});
