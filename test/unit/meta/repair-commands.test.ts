// AddRepairedShards: a repaired shard is recorded in its stripe only while the stripe still
// records the anchor chunk and no shard of its index; a retry is no refusal; everything refused
// is garbage in the same command. Also ListParts with include_stripes (what the scan reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op, replicas } from './records-fixture.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  AddRepairedShardsRequestSchema, CreateMultipartUploadRequestSchema, GetObjectRequestSchema, ListPartsRequestSchema,
  PutObjectRequestSchema, PutPartRequestSchema, type AddRepairedShardsResponse, type CreateMultipartUploadResponse,
  type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { StripeSchema, type Stripe } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject } from '../../../services/meta/queries/object-queries.ts';
import { listParts } from '../../../services/meta/queries/upload-queries.ts';
import { listGarbage } from '../../../services/meta/gc/garbage-queue.ts';

/** Two copies of three recorded (indices 0 and 1): a replica write made while a zone was down. */
function twoOfThree(a: string, b: string): Stripe {
  return create(StripeSchema, {
    size: 10n,
    shards: [
      { index: 0, node: 'n1', zone: 'zone-1', chunkId: a, crc32c: 7, size: 10n },
      { index: 1, node: 'n3', zone: 'zone-3', chunkId: b, crc32c: 7, size: 10n },
    ],
  });
}

const putTwoOfThree = (bucket: string, key: string, a: string, b: string): Command['op'] => ({
  case: 'putObject',
  value: create(PutObjectRequestSchema, {
    bucket, key, size: 10n, etag: 'e1',
    manifest: { scheme: replicas(3), blockSize: 1024n, parts: [{ number: 1, size: 10n, etag: 'e1', stripes: [twoOfThree(a, b)] }] },
  }),
});

function repaired(bucket: string, key: string, where: { versionId?: string; uploadId?: string }, shards: Array<{
  part?: number; stripe?: number; index: number; chunkId: string; anchor: string; node?: string; size?: bigint;
}>): Command['op'] {
  return {
    case: 'addRepairedShards',
    value: create(AddRepairedShardsRequestSchema, {
      bucket, key, versionId: where.versionId ?? '', uploadId: where.uploadId ?? '',
      shards: shards.map((s) => ({
        partNumber: s.part ?? 1, stripe: s.stripe ?? 0, anchorChunkId: s.anchor,
        shard: { index: s.index, node: s.node ?? 'n2', zone: 'zone-2', chunkId: s.chunkId, crc32c: 7, size: s.size ?? 10n },
      })),
    }),
  };
}

async function shardsOf(h: MetaHarness, bucket: string, key: string, versionId = ''): Promise<string[]> {
  const got = await getObject(h.store, create(GetObjectRequestSchema, { bucket, key, versionId }));
  return got.version!.manifest!.parts[0]!.stripes[0]!.shards.map((s) => `${s.index}:${s.node}/${s.chunkId}`);
}

async function garbageChunks(h: MetaHarness): Promise<string[]> {
  return (await listGarbage(h.store, 1000)).flatMap((g) => g.chunks.map((c) => `${c.node}/${c.chunkId}`));
}

test('a repaired copy is added to the version, once; a retry is no refusal; conflicting or stray shards are garbage', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('bkt'));
    const put = await h.ok<PutObjectResponse>(putTwoOfThree('bkt', 'k', 'aa01', 'aa02'));
    const versionId = put.version!.versionId;
    const added = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'k', { versionId }, [{ index: 2, chunkId: 'aa03', anchor: 'aa01' }]));
    assert.deepEqual([added.added, added.refused], [1, 0]);
    assert.deepEqual(await shardsOf(h, 'bkt', 'k'), ['0:n1/aa01', '1:n3/aa02', '2:n2/aa03']);
    // The same shard again (an answer lost, the call retried): counted as added, nothing queued.
    const retry = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'k', { versionId }, [{ index: 2, chunkId: 'aa03', anchor: 'aa01' }]));
    assert.deepEqual([retry.added, retry.refused], [1, 0]);
    assert.deepEqual(await garbageChunks(h), []);
    // Index taken, wrong anchor, index beyond the scheme, a part or stripe that is not there, another size.
    const refused = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'k', { versionId }, [
      { index: 2, chunkId: 'bb01', anchor: 'aa01' },
      { index: 2, chunkId: 'bb02', anchor: 'zz' },
      { index: 3, chunkId: 'bb03', anchor: 'aa01' },
      { part: 2, index: 2, chunkId: 'bb04', anchor: 'aa01' },
      { stripe: 1, index: 2, chunkId: 'bb05', anchor: 'aa01' },
      { index: 2, chunkId: 'bb06', anchor: 'aa01', size: 11n },
    ]));
    assert.deepEqual([refused.added, refused.refused], [0, 6]);
    assert.deepEqual(await shardsOf(h, 'bkt', 'k'), ['0:n1/aa01', '1:n3/aa02', '2:n2/aa03']);
    assert.deepEqual((await garbageChunks(h)).sort(), ['bb01', 'bb02', 'bb03', 'bb04', 'bb05', 'bb06'].map((c) => `n2/${c}`));
  } finally {
    await h.close();
  }
});

test('a shard rebuilt from an object since overwritten or deleted is refused and queued as garbage', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('bkt'));
    await h.ok(putTwoOfThree('bkt', 'k', 'aa01', 'aa02'));
    // Unversioned: the overwrite is the "null" version again, with other chunks.
    await h.ok(putTwoOfThree('bkt', 'k', 'cc01', 'cc02'));
    const r = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'k', { versionId: 'null' }, [{ index: 2, chunkId: 'aa03', anchor: 'aa01' }]));
    assert.deepEqual([r.added, r.refused], [0, 1]);
    assert.deepEqual(await shardsOf(h, 'bkt', 'k'), ['0:n1/cc01', '1:n3/cc02']);
    await h.ok(op.del('bkt', 'k'));
    const gone = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'k', { versionId: 'null' }, [{ index: 2, chunkId: 'cc03', anchor: 'cc01' }]));
    assert.deepEqual([gone.added, gone.refused], [0, 1]);
    assert.ok((await garbageChunks(h)).includes('n2/aa03'));
    assert.ok((await garbageChunks(h)).includes('n2/cc03'));
    // Naming both or neither of version and upload is malformed; its chunks are still garbage.
    const bad = await h.refused(repaired('bkt', 'k', {}, [{ index: 2, chunkId: 'dd03', anchor: 'cc01' }]));
    assert.equal(bad.code, 'InvalidArgument');
    assert.ok((await garbageChunks(h)).includes('n2/dd03'));
  } finally {
    await h.close();
  }
});

test('a part of an in-progress upload gets its repaired copy; ListParts shows stripes only when asked', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('bkt'));
    const { upload } = await h.ok<CreateMultipartUploadResponse>({
      case: 'createMultipartUpload', value: create(CreateMultipartUploadRequestSchema, { bucket: 'bkt', key: 'mp', scheme: replicas(3), blockSize: 1024n }),
    });
    const uploadId = upload!.uploadId;
    await h.ok({ case: 'putPart', value: create(PutPartRequestSchema, { bucket: 'bkt', key: 'mp', uploadId, partNumber: 1, size: 10n, etag: 'p1', stripes: [twoOfThree('pa01', 'pa02')] }) });
    const r = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'mp', { uploadId }, [
      { index: 2, chunkId: 'pa03', anchor: 'pa01' },
      { part: 2, index: 2, chunkId: 'pb03', anchor: 'pb01' },
    ]));
    assert.deepEqual([r.added, r.refused], [1, 1]);
    const plain = await listParts(h.store, create(ListPartsRequestSchema, { bucket: 'bkt', key: 'mp', uploadId }));
    assert.equal(plain.parts[0]!.data, undefined);
    const full = await listParts(h.store, create(ListPartsRequestSchema, { bucket: 'bkt', key: 'mp', uploadId, includeStripes: true }));
    assert.deepEqual(full.parts[0]!.data!.stripes[0]!.shards.map((s) => `${s.index}:${s.chunkId}`), ['0:pa01', '1:pa02', '2:pa03']);
    assert.deepEqual(await garbageChunks(h), ['n2/pb03']);
    // An upload that is gone refuses everything.
    const none = await h.ok<AddRepairedShardsResponse>(repaired('bkt', 'mp', { uploadId: 'nope' }, [{ index: 2, chunkId: 'pc03', anchor: 'pa01' }]));
    assert.deepEqual([none.added, none.refused], [0, 1]);
  } finally {
    await h.close();
  }
});
