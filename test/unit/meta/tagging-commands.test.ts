// Object tagging: the tag set of one version replaced in place (no new version, same last
// modified time and sequence), limits (InvalidTag), version selection and the usual refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';
import {
  GetObjectRequestSchema, ListObjectVersionsRequestSchema, ListObjectsRequestSchema,
  type DeleteObjectResponse, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { PutObjectTaggingResponse } from '../../../services/common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import { ChangeKind } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject, listObjectVersions, listObjects } from '../../../services/meta/queries/object-queries.ts';
import { readFeed } from '../../../services/meta/feed/change-feed.ts';

const get = async (h: MetaHarness, key: string, versionId = '') =>
  (await getObject(h.store, create(GetObjectRequestSchema, { bucket: 'tags', key, versionId }))).version!;

async function withBucket(versioning: number, fn: (h: MetaHarness) => Promise<void>): Promise<void> {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('tags', 'alice', versioning));
    await fn(h);
  } finally {
    await h.close();
  }
}

test('tags replace the set in place: same version, time, sequence, content; listings see them', () => withBucket(0, async (h) => {
  await h.ok(op.append('tags', 'k', 0n, { contentType: 'text/plain' }));
  const before = await get(h, 'k');
  const r = await h.ok<PutObjectTaggingResponse>(op.tag('tags', 'k', { a: '1', b: '' }));
  assert.equal(r.versionId, 'null');
  const after = await get(h, 'k');
  assert.deepEqual(after.attributes?.tags, { a: '1', b: '' });
  assert.equal(after.attributes?.contentType, 'text/plain', 'other attributes stay');
  assert.deepEqual([after.lastModifiedMs, after.sequence, after.etag, after.size, after.objectType, after.manifest],
    [before.lastModifiedMs, before.sequence, before.etag, before.size, before.objectType, before.manifest]);
  await h.ok(op.tag('tags', 'k', { c: '3' }));
  assert.deepEqual((await get(h, 'k')).attributes?.tags, { c: '3' }, 'the whole set is replaced');
  const listed = await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'tags' }));
  assert.deepEqual(listed.objects[0]?.attributes?.tags, { c: '3' });
  assert.deepEqual((await readFeed(h.store, h.index, h.index, 1)).changes.map((c) => [c.kind, c.versionId]), [[ChangeKind.OBJECT_TAGGING_CHANGED, 'null']]);
  await h.ok(op.tag('tags', 'k', { d: '4' }, 'null'));
  assert.deepEqual((await get(h, 'k')).attributes?.tags, { d: '4' }, 'the "null" version by its id');
  await h.ok(op.untag('tags', 'k'));
  assert.deepEqual((await get(h, 'k')).attributes?.tags, {});
  const versions = await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'tags' }));
  assert.equal(versions.versions.length, 1, 'no version was added');
  // An object written without attributes takes tags too.
  await h.ok(op.put('tags', 'bare'));
  await h.ok(op.tag('tags', 'bare', { x: 'y' }));
  assert.deepEqual((await get(h, 'bare')).attributes?.tags, { x: 'y' });
}));

test('limits: at most 10 tags, keys 1-128 and values 0-256 characters', () => withBucket(0, async (h) => {
  await h.ok(op.put('tags', 'k'));
  const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
  await h.ok(op.tag('tags', 'k', ten));
  const bad: Array<Record<string, string>> = [
    { ...ten, k10: 'v' },
    { '': 'v' },
    { ['k'.repeat(129)]: 'v' },
    { k: 'v'.repeat(257) },
    { k: '😀'.repeat(257) },
  ];
  for (const tags of bad) assert.equal((await h.refused(op.tag('tags', 'k', tags))).code, 'InvalidTag');
  // Characters, not bytes or UTF-16 units: 128 emoji keys and 256 emoji values are fine.
  await h.ok(op.tag('tags', 'k', { ['😀'.repeat(128)]: '😀'.repeat(256) }));
  assert.deepEqual(Object.keys((await get(h, 'k')).attributes!.tags), ['😀'.repeat(128)]);
}));

test('versioned: tag one version by id; the current and other versions keep theirs', () => withBucket(1, async (h) => {
  const v1 = (await h.ok<PutObjectResponse>(op.put('tags', 'k', 'e1'))).version!;
  const v2 = (await h.ok<PutObjectResponse>(op.put('tags', 'k', 'e2'))).version!;
  assert.equal((await h.ok<PutObjectTaggingResponse>(op.tag('tags', 'k', { old: '1' }, v1.versionId))).versionId, v1.versionId);
  assert.deepEqual((await get(h, 'k', v1.versionId)).attributes?.tags, { old: '1' });
  assert.deepEqual((await get(h, 'k')).attributes?.tags ?? {}, {});
  const listed = await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'tags' }));
  assert.deepEqual(listed.objects[0]?.attributes?.tags ?? {}, {}, 'the current record is untouched');
  assert.equal((await h.ok<PutObjectTaggingResponse>(op.tag('tags', 'k', { cur: '2' }))).versionId, v2.versionId);
  assert.deepEqual((await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'tags' }))).objects[0]?.attributes?.tags, { cur: '2' });
  await h.ok(op.untag('tags', 'k', v1.versionId));
  assert.deepEqual((await get(h, 'k', v1.versionId)).attributes?.tags, {});
}));

test('refusals: missing bucket, key, version; bad id; delete markers', () => withBucket(1, async (h) => {
  const v1 = (await h.ok<PutObjectResponse>(op.put('tags', 'k', 'e1'))).version!;
  assert.equal((await h.refused(op.tag('nobucket', 'k', {}))).code, 'NoSuchBucket');
  assert.equal((await h.refused(op.tag('tags', 'missing', { a: 'b' }))).code, 'NoSuchKey');
  assert.equal((await h.refused(op.untag('tags', 'missing'))).code, 'NoSuchKey');
  assert.equal((await h.refused(op.tag('tags', 'k', {}, '0000000000000fff00000000'))).code, 'NoSuchVersion');
  assert.equal((await h.refused(op.tag('tags', 'k', {}, 'null'))).code, 'NoSuchVersion');
  assert.equal((await h.refused(op.tag('tags', 'k', {}, 'bogus'))).code, 'InvalidArgument');
  const marker = await h.ok<DeleteObjectResponse>(op.del('tags', 'k'));
  let e = await h.refused(op.tag('tags', 'k', { a: 'b' }));
  assert.deepEqual([e.code, e.details.deleteMarker, e.details.versionId], ['MethodNotAllowed', 'true', marker.versionId]);
  e = await h.refused(op.untag('tags', 'k', marker.versionId));
  assert.equal(e.code, 'MethodNotAllowed');
  await h.ok(op.tag('tags', 'k', { still: 'ok' }, v1.versionId));
}));
