import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';
import type { CreateBucketResponse } from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { getBucket, listBuckets } from '../../../services/meta/queries/bucket-queries.ts';
import { create } from '@bufbuild/protobuf';
import { ListBucketsRequestSchema } from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';

test('create, refuse duplicates, refuse deleting a non-empty bucket, delete', async () => {
  const h = await openHarness();
  try {
    const r = await h.ok<CreateBucketResponse>(op.createBucket('photos', 'alice'));
    assert.equal(r.bucket?.name, 'photos');
    assert.equal(r.bucket?.createdMs, BigInt(1_700_000_000_000 + 1), 'creation time is the leader stamp');
    assert.equal((await h.refused(op.createBucket('photos', 'alice'))).code, 'BucketAlreadyOwnedByYou');
    assert.equal((await h.refused(op.createBucket('photos', 'bob'))).code, 'BucketAlreadyExists');
    assert.equal((await h.refused(op.createBucket('Bad_Name'))).code, 'InvalidBucketName');
    await h.ok(op.put('photos', 'a.jpg'));
    assert.equal((await h.refused(op.deleteBucket('photos'))).code, 'BucketNotEmpty');
    await h.ok(op.del('photos', 'a.jpg'));
    await h.ok(op.deleteBucket('photos'));
    assert.equal((await h.refused(op.deleteBucket('photos'))).code, 'NoSuchBucket');
    await assert.rejects(getBucket(h.store, { $typeName: 'zonestore.meta.v1.GetBucketRequest', name: 'photos' }), { code: 'NoSuchBucket' });
  } finally {
    await h.close();
  }
});

test('a delete marker keeps a versioned bucket non-empty', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('vbk', 'alice', 1));
    await h.ok(op.del('vbk', 'ghost'));
    assert.equal((await h.refused(op.deleteBucket('vbk'))).code, 'BucketNotEmpty');
  } finally {
    await h.close();
  }
});

test('list buckets by owner, in name order, paged', async () => {
  const h = await openHarness();
  try {
    for (const n of ['ccc', 'aaa', 'bbb']) await h.ok(op.createBucket(n, 'alice'));
    await h.ok(op.createBucket('ddd', 'bob'));
    const all = await listBuckets(h.store, create(ListBucketsRequestSchema, { owner: 'alice' }));
    assert.deepEqual(all.buckets.map((b) => b.name), ['aaa', 'bbb', 'ccc']);
    const page = await listBuckets(h.store, create(ListBucketsRequestSchema, { startAfter: 'aaa', maxBuckets: 2 }));
    assert.deepEqual(page.buckets.map((b) => b.name), ['bbb', 'ccc']);
    assert.equal(page.isTruncated, true);
  } finally {
    await h.close();
  }
});
