// The lifecycle transition command: the storage class changes in place (same version, time,
// sequence), only from the class the worker saw, only to a transition class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness } from '../meta-harness.ts';
import { op } from '../records-fixture.ts';
import { GetObjectRequestSchema } from '../../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { TransitionObjectRequestSchema, type TransitionObjectResponse } from '../../../../services/common/gen/zonestore/meta/v1/lifecycle_pb.ts';
import type { Command } from '../../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import { getObject } from '../../../../services/meta/queries/object-queries.ts';

const transition = (key: string, storageClass: string, fromStorageClass: string): Command['op'] =>
  ({ case: 'transitionObject', value: create(TransitionObjectRequestSchema, { bucket: 'lc-bucket', key, storageClass, fromStorageClass }) });

test('transition: in place, guarded by the class seen, only to STANDARD_IA or GLACIER', async () => {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('lc-bucket'));
    await h.ok(op.put('lc-bucket', 'k'));
    const get = async () => (await getObject(h.store, create(GetObjectRequestSchema, { bucket: 'lc-bucket', key: 'k' }))).version!;
    const before = await get();
    const r = await h.ok<TransitionObjectResponse>(transition('k', 'STANDARD_IA', ''));
    assert.equal(r.transitioned, true);
    const after = await get();
    assert.equal(after.attributes?.storageClass, 'STANDARD_IA');
    assert.deepEqual([after.versionId, after.sequence, after.lastModifiedMs, after.etag], [before.versionId, before.sequence, before.lastModifiedMs, before.etag]);
    // A stale decision (it saw STANDARD, the version is IA now) changes nothing.
    const stale = await h.ok<TransitionObjectResponse>(transition('k', 'GLACIER', 'STANDARD'));
    assert.equal(stale.transitioned, false);
    assert.equal((await get()).attributes?.storageClass, 'STANDARD_IA');
    assert.equal((await h.ok<TransitionObjectResponse>(transition('k', 'GLACIER', 'STANDARD_IA'))).transitioned, true);
    assert.equal((await get()).attributes?.storageClass, 'GLACIER');
    assert.equal((await h.refused(transition('k', 'STANDARD', 'GLACIER'))).code, 'InvalidArgument');
    assert.equal((await h.refused(transition('missing', 'GLACIER', ''))).code, 'NoSuchKey');
  } finally {
    await h.close();
  }
});
