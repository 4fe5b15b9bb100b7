// Versioning through @aws-sdk/client-s3 (and ali-oss for GetBucketVersions) on a real cluster:
// delete markers and deleting one, ListObjectVersions paging with prefix, delimiter,
// key-marker and version-id-marker, the "null" version while suspended, restoring an earlier
// version with CopyObject, and multi-delete naming versions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectVersionsCommand,
  PutBucketVersioningCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { type S3Cluster, bodyBytes, errorCode, s3Client, startS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const B = 'versioned';
let c: S3Cluster;
let s3: S3Client;
const text = async (key: string, versionId?: string) => (await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: key, VersionId: versionId }))).Body)).toString();
const put = async (key: string, body: string) => (await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: body }))).VersionId!;

before(async () => {
  c = await startS3Cluster();
  s3 = s3Client(c.endpoints[0]!, c.credentials);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

test('delete markers hide the object; deleting the marker brings it back; CopyObject restores an old version', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const v1 = await put('doc', 'one');
  const v2 = await put('doc', 'two');
  assert.notEqual(v1, v2);
  const marker = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc' }));
  assert.equal(marker.DeleteMarker, true);
  assert.equal(await errorCode(s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' }))), 'NoSuchKey');
  assert.equal(await text('doc', v1), 'one');
  const removed = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: marker.VersionId }));
  assert.equal(removed.DeleteMarker, true);
  assert.equal(await text('doc'), 'two');
  const restored = await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'doc', CopySource: `${B}/doc?versionId=${v1}` }));
  assert.equal(restored.CopySourceVersionId, v1);
  assert.equal(await text('doc'), 'one');
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'doc' }));
  assert.deepEqual(listed.Versions?.map((v) => [v.VersionId === v1 || v.VersionId === v2 ? 'old' : 'new', v.IsLatest]), [['new', true], ['old', false], ['old', false]]);
  assert.equal(listed.DeleteMarkers ?? undefined, undefined);
});

test('ListObjectVersions pages with prefix, delimiter, key-marker and version-id-marker', { timeout: SUITE_TIMEOUT_MS }, async () => {
  for (const k of ['p/a', 'p/b', 'p/dir/x', 'q/z']) {
    await put(k, `${k}-1`);
    await put(k, `${k}-2`);
  }
  const seen: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'p/', MaxKeys: 3, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    for (const v of r.Versions ?? []) seen.push(`${v.Key}@${v.IsLatest ? 'latest' : 'old'}`);
    if (!r.IsTruncated) break;
    keyMarker = r.NextKeyMarker;
    versionIdMarker = r.NextVersionIdMarker;
  }
  assert.deepEqual(seen, ['p/a@latest', 'p/a@old', 'p/b@latest', 'p/b@old', 'p/dir/x@latest', 'p/dir/x@old']);
  const grouped = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'p/', Delimiter: '/' }));
  assert.deepEqual(grouped.CommonPrefixes?.map((p) => p.Prefix), ['p/dir/']);
  assert.deepEqual([...new Set(grouped.Versions?.map((v) => v.Key))], ['p/a', 'p/b']);

  // The OSS dialect's GetBucketVersions lists the same.
  const oss = ossClient(c.endpoints[0]!, c.credentials) as unknown as { useBucket(b: string): void; getBucketVersions(q: object): Promise<{ objects: Array<{ name: string }> }> };
  oss.useBucket(B);
  const viaOss = await oss.getBucketVersions({ prefix: 'q/' });
  assert.deepEqual(viaOss.objects.map((o) => o.name), ['q/z', 'q/z']);
});

test('suspended: writes replace the null version; multi-delete removes named versions', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const kept = await put('s', 'versioned');
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal(await put('s', 'null-1'), 'null');
  assert.equal(await put('s', 'null-2'), 'null');
  const list = async () => (await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 's' }))).Versions?.map((v) => v.VersionId) ?? [];
  assert.deepEqual(await list(), ['null', kept], 'one null version, replaced in place');
  assert.equal(await text('s', 'null'), 'null-2');
  const multi = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 's', VersionId: 'null' }, { Key: 's', VersionId: kept }] } }));
  assert.deepEqual(multi.Deleted?.map((d) => d.VersionId).sort(), [kept, 'null'].sort());
  assert.deepEqual(await list(), []);
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
});
