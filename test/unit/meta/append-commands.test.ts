// AppendObject: creating at position 0, growing in place (same "null" version, one part per
// append, no garbage), the position and type checks, versioned buckets refused, per-part
// schemes when an append was coded differently, and replacing an appendable object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { erasure, op, replicas } from './records-fixture.ts';
import {
  GetObjectRequestSchema, ListObjectVersionsRequestSchema, ListObjectsRequestSchema,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { AppendObjectResponse } from '../../../services/common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import { ChangeKind, GarbageReason } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject, listObjectVersions, listObjects } from '../../../services/meta/queries/object-queries.ts';
import { listGarbage } from '../../../services/meta/gc/garbage-queue.ts';
import { readFeed } from '../../../services/meta/feed/change-feed.ts';

const get = (h: MetaHarness, key: string, bucket = 'app') => getObject(h.store, create(GetObjectRequestSchema, { bucket, key }));
const garbage = async (h: MetaHarness) => (await listGarbage(h.store, 100)).map((g) => [g.reason, g.chunks.map((c) => c.chunkId).join(',')]);

async function withBucket(fn: (h: MetaHarness) => Promise<void>, versioning = 0): Promise<void> {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('app', 'alice', versioning));
    await fn(h);
  } finally {
    await h.close();
  }
}

test('append at 0 creates an Appendable "null" version with one part', () => withBucket(async (h) => {
  const r = await h.ok<AppendObjectResponse>(op.append('app', 'log', 0n, { chunks: ['a1'], contentType: 'text/plain', checksums: { crc64ecma: '1' } }));
  assert.deepEqual([r.version?.versionId, r.version?.size, r.version?.objectType, r.version?.etag, r.version?.isLatest], ['null', 10n, 'Appendable', 'whole-10', true]);
  assert.equal(r.version?.manifest, undefined, 'answers carry no manifest');
  const got = (await get(h, 'log')).version!;
  assert.equal(got.attributes?.contentType, 'text/plain');
  assert.deepEqual(got.checksums, { crc64ecma: '1' });
  assert.equal(got.manifest?.scheme?.kind.case, 'replica');
  assert.deepEqual(got.manifest?.parts.map((p) => [p.number, p.size, p.etag, p.scheme, p.stripes[0]?.shards[0]?.chunkId]), [[1, 10n, 'part-0', undefined, 'a1']]);
}));

test('append at the end grows the same version in place and queues no garbage', () => withBucket(async (h) => {
  await h.ok(op.append('app', 'log', 0n, { chunks: ['a1'], contentType: 'text/plain' }));
  const before = (await get(h, 'log')).version!;
  const r = await h.ok<AppendObjectResponse>(op.append('app', 'log', 10n, { size: 5n, chunks: ['a2'], contentType: 'image/png', checksums: { crc64ecma: '2' } }));
  assert.deepEqual([r.version?.versionId, r.version?.size, r.version?.etag], ['null', 15n, 'whole-15']);
  const got = (await get(h, 'log')).version!;
  assert.ok(got.lastModifiedMs > before.lastModifiedMs, 'last modified moves');
  assert.ok(got.sequence > before.sequence, 'the sequence names the last write');
  assert.deepEqual(got.checksums, { crc64ecma: '2' }, 'checksums are replaced');
  assert.equal(got.attributes?.contentType, 'text/plain', 'attributes are those of the first append');
  assert.deepEqual(got.manifest?.parts.map((p) => [p.number, p.size, p.stripes[0]?.shards[0]?.chunkId]), [[1, 10n, 'a1'], [2, 5n, 'a2']]);
  const versions = await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'app' }));
  assert.deepEqual(versions.versions.map((v) => [v.versionId, v.size]), [['null', 15n]]);
  const listed = await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'app' }));
  assert.deepEqual(listed.objects.map((o) => [o.key, o.size, o.objectType]), [['log', 15n, 'Appendable']]);
  assert.deepEqual(await garbage(h), []);
  const feed = (await readFeed(h.store, h.index, h.index, 1)).changes;
  assert.deepEqual(feed.map((c) => [c.kind, c.size, c.detail]), [[ChangeKind.OBJECT_APPENDED, 15n, '10']]);
}));

test('a position other than the length is PositionNotEqualToLength with the next position', () => withBucket(async (h) => {
  let e = await h.refused(op.append('app', 'log', 3n, { chunks: ['y3'] }));
  assert.deepEqual([e.code, e.details.nextAppendPosition, e.details.currentSize], ['PositionNotEqualToLength', '0', '0']);
  await h.ok(op.append('app', 'log', 0n, { chunks: ['a1'] }));
  for (const pos of [0n, 5n, 11n]) {
    e = await h.refused(op.append('app', 'log', pos, { chunks: [`x${pos}`] }));
    assert.deepEqual([e.code, e.details.nextAppendPosition, e.details.currentSize], ['PositionNotEqualToLength', '10', '10']);
  }
  // A retry of the append that landed reuses its chunks: those are not garbage.
  await h.refused(op.append('app', 'log', 0n, { chunks: ['a1'] }));
  assert.deepEqual(await garbage(h), ['y3', 'x0', 'x5', 'x11'].map((c) => [GarbageReason.WRITE_REJECTED, c]));
  assert.equal((await get(h, 'log')).version?.size, 10n);
}));

test('objects not created by AppendObject are not appendable', () => withBucket(async (h) => {
  await h.ok(op.put('app', 'plain', 'e1', ['p1']));
  await h.ok(op.putTyped('app', 'link', 'Symlink'));
  for (const k of ['plain', 'link']) {
    const e = await h.refused(op.append('app', k, 0n, { chunks: [`n-${k}`] }));
    assert.equal(e.code, 'ObjectNotAppendable', k);
  }
  const e = await h.refused(op.append('app', 'plain', 10n));
  assert.deepEqual([e.code, e.details.objectType], ['ObjectNotAppendable', 'Normal'], 'the type check comes before the position check');
}));

test('versioning-enabled and suspended buckets refuse AppendObject', async () => {
  for (const versioning of [1, 2]) {
    const h = await openHarness();
    try {
      await h.ok(op.createBucket('vbk', 'alice', 1));
      if (versioning === 2) await h.ok(op.versioning('vbk', 2));
      const e = await h.refused(op.append('vbk', 'log', 0n, { chunks: ['v1'] }));
      assert.deepEqual([e.code, e.message], ['InvalidArgument', 'InvalidArgument: appendable objects are not supported in versioned buckets']);
      assert.deepEqual((await listGarbage(h.store, 10)).map((g) => g.chunks[0]?.chunkId), ['v1'], 'the refused bytes are garbage');
    } finally {
      await h.close();
    }
  }
  await withBucket(async (h) => {
    assert.equal((await h.refused(op.append('nope', 'log', 0n))).code, 'NoSuchBucket');
    assert.equal((await h.refused(op.append('app', '', 0n))).code, 'InvalidArgument');
  });
});

test('a part coded with another scheme keeps its own; the same scheme is left to the manifest', () => withBucket(async (h) => {
  await h.ok(op.append('app', 'log', 0n, { scheme: erasure(2, 1), blockSize: 64n }));
  await h.ok(op.append('app', 'log', 10n, { scheme: replicas(3), blockSize: 1024n }));
  await h.ok(op.append('app', 'log', 20n, { scheme: erasure(2, 1), blockSize: 64n }));
  await h.ok(op.append('app', 'log', 30n, { scheme: erasure(2, 1), blockSize: 64n, partScheme: replicas(2), partBlockSize: 512n }));
  await h.ok(op.append('app', 'log', 40n, { scheme: erasure(2, 1), blockSize: 128n }));
  const m = (await get(h, 'log')).version!.manifest!;
  assert.deepEqual([m.scheme?.kind.case, m.blockSize], ['erasure', 64n]);
  assert.deepEqual(m.parts.map((p) => [p.number, p.scheme?.kind.case, p.blockSize]), [
    [1, undefined, 0n], [2, 'replica', 1024n], [3, undefined, 0n], [4, 'replica', 512n], [5, 'erasure', 128n],
  ]);
}));

test('a PutObject or delete replaces an appendable object; then append starts again at 0', () => withBucket(async (h) => {
  await h.ok(op.append('app', 'log', 0n, { chunks: ['a1'] }));
  await h.ok(op.append('app', 'log', 10n, { chunks: ['a2'] }));
  await h.ok(op.put('app', 'log', 'e1', ['p1']));
  assert.deepEqual(await garbage(h), [[GarbageReason.OVERWRITTEN, 'a1,a2']], 'every appended part is garbage once replaced');
  assert.equal((await get(h, 'log')).version?.objectType, 'Normal');
  await h.ok(op.del('app', 'log'));
  await h.ok(op.append('app', 'log', 0n, { chunks: ['b1'] }));
  await h.ok(op.del('app', 'log'));
  assert.deepEqual((await garbage(h)).slice(2), [[GarbageReason.VERSION_DELETED, 'b1']]);
  await assert.rejects(get(h, 'log'), { code: 'NoSuchKey' });
}));
