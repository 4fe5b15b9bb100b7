// Object versions under each versioning state, delete markers, conditional writes, and the
// garbage each overwrite or delete queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';
import {
  GetObjectRequestSchema, ListObjectVersionsRequestSchema,
  type DeleteObjectResponse, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { GarbageReason } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject, listObjectVersions } from '../../../services/meta/queries/object-queries.ts';
import { listGarbage } from '../../../services/meta/gc/garbage-queue.ts';

const get = (h: MetaHarness, bucket: string, key: string, versionId = '') =>
  getObject(h.store, create(GetObjectRequestSchema, { bucket, key, versionId }));
const versions = async (h: MetaHarness, bucket: string) =>
  (await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket }))).versions
    .map((v) => `${v.key}:${v.versionId === 'null' ? 'null' : 'v'}${v.deleteMarker ? ':marker' : ''}${v.isLatest ? ':latest' : ''}`);
const garbage = async (h: MetaHarness) => (await listGarbage(h.store, 100)).map((g) => [g.reason, g.chunks.map((c) => c.chunkId).join(',')]);

test('unversioned: overwrite replaces the null version and queues its chunks; delete removes it', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('plain'));
    const first = await h.ok<PutObjectResponse>(op.put('plain', 'k', 'e1', ['c1', 'c2']));
    assert.equal(first.version?.versionId, 'null');
    await h.ok(op.put('plain', 'k', 'e2', ['c3']));
    const got = await get(h, 'plain', 'k');
    assert.equal(got.version?.etag, 'e2');
    assert.deepEqual(got.version?.manifest?.parts[0]?.stripes[0]?.shards.map((s) => s.chunkId), ['c3']);
    assert.deepEqual(await garbage(h), [[GarbageReason.OVERWRITTEN, 'c1,c2']]);
    const del = await h.ok<DeleteObjectResponse>(op.del('plain', 'k'));
    assert.equal(del.deleteMarker, false);
    await assert.rejects(get(h, 'plain', 'k'), { code: 'NoSuchKey' });
    assert.deepEqual(await versions(h, 'plain'), []);
    assert.deepEqual((await garbage(h))[1], [GarbageReason.VERSION_DELETED, 'c3']);
  } finally {
    await h.close();
  }
});

test('enabled: versions accumulate, delete adds a marker, removing versions exposes older ones', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('vers', 'alice', 1));
    const v1 = (await h.ok<PutObjectResponse>(op.put('vers', 'k', 'e1', ['c1']))).version!;
    const v2 = (await h.ok<PutObjectResponse>(op.put('vers', 'k', 'e2', ['c2']))).version!;
    assert.match(v1.versionId, /^[0-9a-f]{24}$/);
    assert.notEqual(v1.versionId, v2.versionId);
    assert.equal((await get(h, 'vers', 'k')).version?.etag, 'e2');
    assert.equal((await get(h, 'vers', 'k', v1.versionId)).version?.etag, 'e1');
    assert.deepEqual(await garbage(h), [], 'nothing is garbage while versions are kept');

    const marker = await h.ok<DeleteObjectResponse>(op.del('vers', 'k'));
    assert.equal(marker.deleteMarker, true);
    await assert.rejects(get(h, 'vers', 'k'), (e: any) => e.code === 'NoSuchKey' && e.details.deleteMarker === 'true');
    await assert.rejects(get(h, 'vers', 'k', marker.versionId), { code: 'MethodNotAllowed' });
    assert.deepEqual(await versions(h, 'vers'), ['k:v:marker:latest', 'k:v', 'k:v']);

    await h.ok(op.del('vers', 'k', marker.versionId));
    assert.equal((await get(h, 'vers', 'k')).version?.etag, 'e2', 'removing the marker restores the object');
    await h.ok(op.del('vers', 'k', v2.versionId));
    assert.equal((await get(h, 'vers', 'k')).version?.etag, 'e1');
    assert.deepEqual(await garbage(h), [[GarbageReason.VERSION_DELETED, 'c2']]);
    await assert.rejects(get(h, 'vers', 'k', v2.versionId), { code: 'NoSuchVersion' });
    await assert.rejects(get(h, 'vers', 'k', 'not-an-id'), { code: 'InvalidArgument' });
    // Deleting a version that does not exist is not an error (S3).
    const none = await h.ok<DeleteObjectResponse>(op.del('vers', 'k', v2.versionId));
    assert.equal(none.versionId, '');
  } finally {
    await h.close();
  }
});

test('suspended: writes replace the null version, kept versions stay', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('susp'));
    await h.ok(op.put('susp', 'k', 'e0', ['c0']));
    await h.ok(op.versioning('susp', 1));
    await h.ok(op.put('susp', 'k', 'e1', ['c1']));
    await h.ok(op.versioning('susp', 2));
    await h.ok(op.put('susp', 'k', 'e2', ['c2']));
    assert.deepEqual(await versions(h, 'susp'), ['k:null:latest', 'k:v']);
    assert.deepEqual(await garbage(h), [[GarbageReason.OVERWRITTEN, 'c0']]);
    const del = await h.ok<DeleteObjectResponse>(op.del('susp', 'k'));
    assert.deepEqual([del.versionId, del.deleteMarker], ['null', true]);
    assert.deepEqual(await versions(h, 'susp'), ['k:null:marker:latest', 'k:v']);
    assert.equal((await h.refused(op.versioning('susp', 0))).code, 'IllegalVersioningConfigurationException');
  } finally {
    await h.close();
  }
});

test('conditional writes on the current ETag', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('cond'));
    assert.equal((await h.refused(op.put('cond', 'k', 'e1', ['x1'], { ifMatch: 'e0' }))).code, 'NoSuchKey');
    await h.ok(op.put('cond', 'k', 'e1', ['c1'], { ifNoneMatch: '*' }));
    const e = await h.refused(op.put('cond', 'k', 'e2', ['x2'], { ifNoneMatch: '*' }));
    assert.equal(e.code, 'PreconditionFailed');
    assert.equal((await h.refused(op.put('cond', 'k', 'e2', ['x3'], { ifMatch: '"e9"' }))).code, 'PreconditionFailed');
    await h.ok(op.put('cond', 'k', 'e2', ['c2'], { ifMatch: '"e1"' }));
    assert.equal((await h.refused(op.del('cond', 'k', '', 'e1'))).code, 'PreconditionFailed');
    // Refused writes' chunks are garbage at once; a retried write's own chunks are not.
    const g = await garbage(h);
    assert.deepEqual(g.filter(([r]) => r === GarbageReason.WRITE_REJECTED).map(([, c]) => c), ['x1', 'x2', 'x3']);
    assert.equal((await h.refused(op.put('cond', 'k', 'e3', ['c2'], { ifNoneMatch: '*' }))).code, 'PreconditionFailed');
    assert.equal((await garbage(h)).filter(([, c]) => c === 'c2').length, 0, 'chunks of the current version are never queued');
    assert.equal((await h.refused(op.put('nobucket', 'k'))).code, 'NoSuchBucket');
  } finally {
    await h.close();
  }
});

test('keys: length limit, NUL refused, any UTF-8 accepted', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('keys'));
    assert.equal((await h.refused(op.put('keys', 'x'.repeat(1025)))).code, 'KeyTooLongError');
    assert.equal((await h.refused(op.put('keys', 'a\0b'))).code, 'InvalidArgument');
    assert.equal((await h.refused(op.put('keys', ''))).code, 'InvalidArgument');
    await h.ok(op.put('keys', 'ü/😀 spaces & ?'));
    assert.equal((await get(h, 'keys', 'ü/😀 spaces & ?')).version?.key, 'ü/😀 spaces & ?');
  } finally {
    await h.close();
  }
});
