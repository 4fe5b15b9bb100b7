// Multipart uploads: parts, completion rules (order, ETags, minimum size), the multipart ETag,
// garbage from replaced/unused parts and aborts, and ListMultipartUploads paging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op, stripeOf } from './records-fixture.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  CompleteMultipartUploadRequestSchema, CreateMultipartUploadRequestSchema, GetObjectRequestSchema,
  ListMultipartUploadsRequestSchema, ListPartsRequestSchema, PutPartRequestSchema,
  type CompleteMultipartUploadResponse, type CreateMultipartUploadResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { GarbageReason } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { listMultipartUploads, listParts } from '../../../services/meta/queries/upload-queries.ts';
import { getObject } from '../../../services/meta/queries/object-queries.ts';
import { listGarbage } from '../../../services/meta/gc/garbage-queue.ts';

const MIN = 100;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const createUpload = (bucket: string, key: string): Command['op'] => ({ case: 'createMultipartUpload', value: create(CreateMultipartUploadRequestSchema, {
  bucket, key, blockSize: 64n, scheme: { kind: { case: 'erasure', value: { dataShards: 2, parityShards: 1 } } }, attributes: { contentType: 'text/plain' },
}) });
const putPart = (bucket: string, key: string, uploadId: string, partNumber: number, size: number, etag: string, chunk: string): Command['op'] => ({
  case: 'putPart', value: create(PutPartRequestSchema, { bucket, key, uploadId, partNumber, size: BigInt(size), etag, stripes: [stripeOf([chunk], BigInt(size))] }),
});
const complete = (bucket: string, key: string, uploadId: string, parts: Array<[number, string]>): Command['op'] => ({
  case: 'completeMultipartUpload',
  value: create(CompleteMultipartUploadRequestSchema, { bucket, key, uploadId, parts: parts.map(([partNumber, etag]) => ({ partNumber, etag })) }),
});
async function run(h: MetaHarness, o: Command['op']) {
  const r = await h.run(o, { minPartSize: MIN });
  if (!r.ok) throw r.error;
  return r.value;
}
async function refusedCode(h: MetaHarness, o: Command['op']) {
  const r = await h.run(o, { minPartSize: MIN });
  assert.equal(r.ok, false);
  return r.ok ? '' : r.error.code;
}

test('complete: rules, multipart ETag, manifest of the chosen parts, unused parts are garbage', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('mpu'));
    const { upload } = (await run(h, createUpload('mpu', 'big'))) as CreateMultipartUploadResponse;
    const id = upload!.uploadId;
    const e = [md5('1'), md5('2'), md5('3')];
    await run(h, putPart('mpu', 'big', id, 1, MIN, e[0]!, 'p1'));
    await run(h, putPart('mpu', 'big', id, 2, MIN - 1, e[1]!, 'p2'));
    await run(h, putPart('mpu', 'big', id, 3, 10, e[2]!, 'p3'));
    await run(h, putPart('mpu', 'big', id, 4, MIN, md5('4'), 'p4'));
    // Re-uploading part 1 replaces it; the old part's chunks are garbage.
    await run(h, putPart('mpu', 'big', id, 1, MIN, e[0]!, 'p1b'));
    assert.equal(await refusedCode(h, putPart('mpu', 'big', id, 10_001, 1, 'x', 'bad')), 'InvalidArgument');
    assert.equal(await refusedCode(h, putPart('mpu', 'big', 'nope', 1, 1, 'x', 'bad2')), 'NoSuchUpload');

    const parts = await listParts(h.store, create(ListPartsRequestSchema, { bucket: 'mpu', key: 'big', uploadId: id, maxParts: 3 }));
    assert.deepEqual(parts.parts.map((p) => p.number), [1, 2, 3]);
    assert.equal(parts.isTruncated, true);
    assert.equal(parts.nextPartNumberMarker, 3);

    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [])), 'MalformedXML');
    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [[3, e[2]!], [1, e[0]!]])), 'InvalidPartOrder');
    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [[1, md5('x')]])), 'InvalidPart');
    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [[1, e[0]!], [5, e[0]!]])), 'InvalidPart');
    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [[2, e[1]!], [3, e[2]!]])), 'EntityTooSmall');

    const done = (await run(h, complete('mpu', 'big', id, [[1, `"${e[0]}"`], [3, e[2]!]]))) as CompleteMultipartUploadResponse;
    const want = createHash('md5').update(Buffer.concat([Buffer.from(e[0]!, 'hex'), Buffer.from(e[2]!, 'hex')])).digest('hex') + '-2';
    assert.equal(done.version?.etag, want);
    assert.equal(done.version?.size, BigInt(MIN + 10));
    const got = await getObject(h.store, create(GetObjectRequestSchema, { bucket: 'mpu', key: 'big' }));
    assert.deepEqual(got.version?.manifest?.parts.map((p) => p.number), [1, 3]);
    assert.equal(got.version?.manifest?.scheme?.kind.case, 'erasure');
    assert.equal(got.version?.attributes?.contentType, 'text/plain');
    assert.equal(got.version?.partsCount, 2);

    const g = (await listGarbage(h.store, 100)).map((x) => [x.reason, x.chunks.map((c) => c.chunkId).join()]);
    assert.deepEqual(g.filter(([r]) => r === GarbageReason.PART_REPLACED).map(([, c]) => c).sort(), ['p1', 'p2', 'p4']);
    assert.equal(await refusedCode(h, complete('mpu', 'big', id, [[1, e[0]!]])), 'NoSuchUpload');
  } finally {
    await h.close();
  }
});

test('abort queues every part; uploads list in key then initiation order, paged with markers', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('mpu2'));
    const ids: string[] = [];
    for (const k of ['b', 'a', 'b', 'dir/x', 'dir/y']) ids.push(((await run(h, createUpload('mpu2', k))) as CreateMultipartUploadResponse).upload!.uploadId);
    await run(h, putPart('mpu2', 'a', ids[1]!, 1, 5, 'e', 'ap1'));
    const list = async (max: number, keyMarker = '', uploadIdMarker = '', delimiter = '') =>
      listMultipartUploads(h.store, create(ListMultipartUploadsRequestSchema, { bucket: 'mpu2', maxUploads: max, keyMarker, uploadIdMarker, delimiter }));
    const all = await list(10);
    assert.deepEqual(all.uploads.map((u) => u.key), ['a', 'b', 'b', 'dir/x', 'dir/y']);
    assert.deepEqual(all.uploads.filter((u) => u.key === 'b').map((u) => u.uploadId), [ids[0], ids[2]]);
    const p1 = await list(2);
    assert.deepEqual([p1.isTruncated, p1.nextKeyMarker, p1.nextUploadIdMarker], [true, 'b', ids[0]]);
    const p2 = await list(2, p1.nextKeyMarker, p1.nextUploadIdMarker);
    assert.deepEqual(p2.uploads.map((u) => u.uploadId), [ids[2], ids[3]]);
    const rolled = await list(10, '', '', '/');
    assert.deepEqual([rolled.uploads.map((u) => u.key), rolled.commonPrefixes], [['a', 'b', 'b'], ['dir/']]);

    await run(h, { case: 'abortMultipartUpload', value: { $typeName: 'zonestore.meta.v1.AbortMultipartUploadRequest', bucket: 'mpu2', key: 'a', uploadId: ids[1]! } });
    const g = await listGarbage(h.store, 100);
    assert.deepEqual(g.map((x) => [x.reason, x.chunks[0]?.chunkId]), [[GarbageReason.UPLOAD_ABORTED, 'ap1']]);
    assert.deepEqual((await list(10)).uploads.map((u) => u.key), ['b', 'b', 'dir/x', 'dir/y']);
    // Deleting the bucket aborts what is left.
    await h.ok(op.deleteBucket('mpu2'));
  } finally {
    await h.close();
  }
});
