// Object ACLs: replaced in place on one version like tags (no new version, same time and
// sequence), unset meaning "default" (the bucket's ACL), shape checks, and the usual refusals.
// Bucket ACLs and policies are Bucket config documents ("acl", "policy"), written by PutBucketConfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  GetObjectRequestSchema, ListObjectsRequestSchema, PutBucketConfigRequestSchema, PutObjectAclRequestSchema,
  type PutBucketConfigResponse, type PutObjectAclResponse, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { AccessControlListSchema, ChangeKind, type AccessControlList } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject, listObjects } from '../../../services/meta/queries/object-queries.ts';
import { readFeed } from '../../../services/meta/feed/change-feed.ts';

const get = async (h: MetaHarness, key: string, versionId = '') =>
  (await getObject(h.store, create(GetObjectRequestSchema, { bucket: 'acls', key, versionId }))).version!;

const publicRead = (owner = 'alice'): AccessControlList => create(AccessControlListSchema, {
  owner,
  grants: [
    { grantee: { case: 'canonicalUser', value: owner }, permission: 'FULL_CONTROL' },
    { grantee: { case: 'group', value: 'AllUsers' }, permission: 'READ' },
  ],
});

const putAcl = (key: string, acl: AccessControlList | undefined, versionId = '', bucket = 'acls'): Command['op'] =>
  ({ case: 'putObjectAcl', value: create(PutObjectAclRequestSchema, { bucket, key, versionId, ...(acl ? { acl } : {}) }) });

async function withBucket(versioning: number, fn: (h: MetaHarness) => Promise<void>): Promise<void> {
  const h = await openHarness();
  try {
    await h.ok(op.createBucket('acls', 'alice', versioning));
    await fn(h);
  } finally {
    await h.close();
  }
}

test('an object ACL replaces in place; unset returns it to default; listings and the feed see it', () => withBucket(0, async (h) => {
  await h.ok(op.put('acls', 'k'));
  const before = await get(h, 'k');
  assert.equal(before.attributes?.acl, undefined, 'written without one: default');
  const r = await h.ok<PutObjectAclResponse>(putAcl('k', publicRead()));
  assert.equal(r.versionId, 'null');
  const after = await get(h, 'k');
  assert.deepEqual(after.attributes?.acl, publicRead());
  assert.deepEqual([after.lastModifiedMs, after.sequence, after.etag], [before.lastModifiedMs, before.sequence, before.etag]);
  const listed = await listObjects(h.store, create(ListObjectsRequestSchema, { bucket: 'acls' }));
  assert.deepEqual(listed.objects[0]?.attributes?.acl, publicRead());
  assert.deepEqual((await readFeed(h.store, h.index, h.index, 1)).changes.map((c) => [c.kind, c.key]), [[ChangeKind.OBJECT_ACL_CHANGED, 'k']]);
  await h.ok(op.tag('acls', 'k', { a: '1' }));
  assert.deepEqual((await get(h, 'k')).attributes?.acl, publicRead(), 'tagging keeps the ACL');
  await h.ok(putAcl('k', undefined));
  const reset = await get(h, 'k');
  assert.equal(reset.attributes?.acl, undefined);
  assert.deepEqual(reset.attributes?.tags, { a: '1' }, 'an ACL change keeps the tags');
}));

test('versioned: one version by id; refusals as for tagging; malformed grants are InvalidArgument', () => withBucket(1, async (h) => {
  const v1 = (await h.ok<PutObjectResponse>(op.put('acls', 'k', 'e1'))).version!;
  await h.ok(op.put('acls', 'k', 'e2'));
  await h.ok(putAcl('k', publicRead(), v1.versionId));
  assert.deepEqual((await get(h, 'k', v1.versionId)).attributes?.acl, publicRead());
  assert.equal((await get(h, 'k')).attributes?.acl, undefined, 'the current version keeps its own');
  assert.equal((await h.refused(putAcl('k', publicRead(), '', 'nobucket'))).code, 'NoSuchBucket');
  assert.equal((await h.refused(putAcl('missing', publicRead()))).code, 'NoSuchKey');
  assert.equal((await h.refused(putAcl('k', publicRead(), 'bogus'))).code, 'InvalidArgument');
  const bad = [
    create(AccessControlListSchema, { owner: 'alice', grants: [{ grantee: { case: 'group', value: 'Everyone' }, permission: 'READ' }] }),
    create(AccessControlListSchema, { owner: 'alice', grants: [{ grantee: { case: 'canonicalUser', value: 'bob' }, permission: 'ALL' }] }),
    create(AccessControlListSchema, { owner: 'alice', grants: [{ permission: 'READ' }] }),
    create(AccessControlListSchema, { owner: 'alice', grants: Array.from({ length: 101 }, () => ({ grantee: { case: 'canonicalUser' as const, value: 'b' }, permission: 'READ' })) }),
  ];
  for (const acl of bad) assert.equal((await h.refused(putAcl('k', acl))).code, 'InvalidArgument');
  await h.ok(op.del('acls', 'k'));
  assert.equal((await h.refused(putAcl('k', publicRead()))).code, 'MethodNotAllowed', 'a delete marker');
}));

test('the bucket ACL and policy are config documents: set, replaced, removed', () => withBucket(0, async (h) => {
  const config = (kind: string, document: Uint8Array): Command['op'] =>
    ({ case: 'putBucketConfig', value: create(PutBucketConfigRequestSchema, { bucket: 'acls', kind, document }) });
  const policy = new TextEncoder().encode('{"Version":"2012-10-17","Statement":[]}');
  let r = await h.ok<PutBucketConfigResponse>(config('policy', policy));
  assert.deepEqual(r.bucket?.configs.policy, policy);
  r = await h.ok<PutBucketConfigResponse>(config('policy', new Uint8Array()));
  assert.equal(r.bucket?.configs.policy, undefined);
  assert.equal((await h.refused(config('policy', new Uint8Array(256 * 1024 + 1)))).code, 'InvalidArgument');
}));
