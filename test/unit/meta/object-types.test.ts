// Object types: PutObject writes Normal (or Symlink when asked), CompleteMultipartUpload writes
// Multipart, the other types only come from their own commands; listings carry the type; a
// multipart upload completed over an appendable object replaces it like any write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op, stripeOf } from './records-fixture.ts';
import {
  CompleteMultipartUploadRequestSchema, CreateMultipartUploadRequestSchema, GetObjectRequestSchema,
  ListObjectVersionsRequestSchema, ListObjectsRequestSchema, PutPartRequestSchema, type CreateMultipartUploadResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { GarbageReason } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject, listObjectVersions, listObjects } from '../../../services/meta/queries/object-queries.ts';
import { listGarbage } from '../../../services/meta/gc/garbage-queue.ts';

const typeOf = async (h: MetaHarness, key: string) => (await getObject(h.store, create(GetObjectRequestSchema, { bucket: 'types', key }))).version?.objectType;

async function completeUpload(h: MetaHarness, key: string, chunk: string): Promise<void> {
  const { upload } = await h.ok<CreateMultipartUploadResponse>({ case: 'createMultipartUpload', value: create(CreateMultipartUploadRequestSchema, { bucket: 'types', key }) });
  await h.ok({ case: 'putPart', value: create(PutPartRequestSchema, { bucket: 'types', key, uploadId: upload!.uploadId, partNumber: 1, size: 10n, etag: 'e1', stripes: [stripeOf([chunk], 10n)] }) });
  await h.ok({ case: 'completeMultipartUpload', value: create(CompleteMultipartUploadRequestSchema, { bucket: 'types', key, uploadId: upload!.uploadId, parts: [{ partNumber: 1, etag: 'e1' }] }) });
}

test('each command writes its object type; listings return it', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('types', 'alice', 1));
    await h.ok(op.put('types', 'a-plain'));
    await h.ok(op.putTyped('types', 'b-normal', 'Normal'));
    await h.ok(op.putTyped('types', 'c-link', 'Symlink'));
    await completeUpload(h, 'd-multi', 'm1');
    for (const bad of ['Appendable', 'Multipart', 'normal', 'Other']) {
      const e = await h.refused(op.putTyped('types', 'x', bad, [`bad-${bad}`]));
      assert.equal(e.code, 'InvalidArgument', bad);
    }
    assert.deepEqual([await typeOf(h, 'a-plain'), await typeOf(h, 'b-normal'), await typeOf(h, 'c-link'), await typeOf(h, 'd-multi')],
      ['Normal', 'Normal', 'Symlink', 'Multipart']);
    const listed = await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'types' }));
    assert.deepEqual(listed.objects.map((o) => o.objectType), ['Normal', 'Normal', 'Symlink', 'Multipart']);
    await h.ok(op.del('types', 'c-link'));
    const versions = await listObjectVersions(h.store, create(ListObjectVersionsRequestSchema, { bucket: 'types', prefix: 'c-' }));
    assert.deepEqual(versions.versions.map((v) => [v.deleteMarker, v.objectType]), [[true, ''], [false, 'Symlink']]);
  } finally {
    await h.close();
  }
});

test('a multipart upload completed over an appendable object replaces it', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('types'));
    await h.ok(op.append('types', 'log', 0n, { chunks: ['a1'] }));
    await completeUpload(h, 'log', 'm1');
    assert.equal(await typeOf(h, 'log'), 'Multipart');
    const g = (await listGarbage(h.store, 10)).map((x) => [x.reason, x.chunks.map((c) => c.chunkId).join()]);
    assert.deepEqual(g, [[GarbageReason.OVERWRITTEN, 'a1']]);
    assert.equal((await h.refused(op.append('types', 'log', 10n))).code, 'ObjectNotAppendable');
  } finally {
    await h.close();
  }
});
