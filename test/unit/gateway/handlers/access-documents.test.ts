// The stored forms of ACLs and policies and the ACL a request's headers set: round trips through
// meta's record, the private default, OSS's `default`, canned vs grant headers, XML documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { BucketSchema, ObjectVersionSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { cannedAcl, GROUP_URIS, parseGrantHeaders, type AccessControlList } from '../../../../services/gateway/authz/index.ts';
import {
  aclFromHeaders, aclFromRecord, aclToRecord, bucketAccessOf, bucketAcl, encodeBucketAcl, fromAclDocument, newObjectAcl,
  objectAclOf, toAclDocument,
} from '../../../../services/gateway/handlers/access-documents.ts';
import { parseAccessControlPolicy, renderAccessControlPolicy } from '../../../../services/gateway/s3/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isStoreError(err)) return err.code;
    throw err;
  }
  return 'no error';
};

test('ACLs survive meta\'s record; a bucket without one is private to its owner; an object without one is default', () => {
  const acl = parseGrantHeaders({ read: `uri="${GROUP_URIS.AllUsers}", id="bob"`, fullControl: 'id="alice"' }, 'alice') as AccessControlList;
  assert.deepEqual(aclFromRecord(aclToRecord(acl)), acl);
  const bare = create(BucketSchema, { name: 'b', owner: 'alice' });
  assert.deepEqual(bucketAcl(bare), cannedAcl('private', 'alice'));
  const withAcl = create(BucketSchema, { name: 'b', owner: 'alice', configs: { acl: encodeBucketAcl(cannedAcl('public-read', 'alice')) } });
  assert.deepEqual(bucketAcl(withAcl), cannedAcl('public-read', 'alice'));
  assert.equal(objectAclOf(create(ObjectVersionSchema, { key: 'k' })), 'default');
  assert.deepEqual(objectAclOf(create(ObjectVersionSchema, { key: 'k', attributes: { acl: aclToRecord(acl) } })), acl);
});

test('a stored policy is parsed once into the bucket\'s access; no policy, none', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] });
  const b = create(BucketSchema, { name: 'b', owner: 'alice', configs: { policy: Buffer.from(text) } });
  const a1 = bucketAccessOf(b);
  assert.equal(a1.policy?.statements.length, 1);
  assert.equal(bucketAccessOf(b).policy, a1.policy, 'remembered by text');
  assert.equal(bucketAccessOf(create(BucketSchema, { name: 'b', owner: 'alice' })).policy, undefined);
});

test('request headers: canned names per target, grant headers, both is InvalidRequest, none is undefined', () => {
  assert.equal(aclFromHeaders({}, 'bucket', 'alice'), undefined);
  assert.deepEqual(aclFromHeaders({ 'x-amz-acl': 'public-read' }, 'bucket', 'alice'), cannedAcl('public-read', 'alice'));
  assert.deepEqual(aclFromHeaders({ 'x-oss-acl': 'public-read-write' }, 'bucket', 'alice'), cannedAcl('public-read-write', 'alice'));
  assert.equal(aclFromHeaders({ 'x-oss-object-acl': 'default' }, 'object', 'alice'), 'default');
  assert.equal(code(() => aclFromHeaders({ 'x-amz-acl': 'default' }, 'bucket', 'alice')), 'InvalidArgument');
  assert.equal(code(() => aclFromHeaders({ 'x-amz-acl': 'nope' }, 'object', 'alice')), 'InvalidArgument');
  assert.equal(code(() => aclFromHeaders({ 'x-amz-acl': 'private', 'x-amz-grant-read': 'id="bob"' }, 'object', 'alice')), 'InvalidRequest');
  assert.deepEqual(aclFromHeaders({ 'x-amz-grant-read': 'id="bob"' }, 'object', 'alice'),
    { owner: 'alice', grants: [{ grantee: { type: 'CanonicalUser', id: 'bob' }, permission: 'READ' }] });
  // A new object: S3 writes are private, OSS writes follow the bucket unless they say otherwise.
  const alices = create(BucketSchema, { name: 'b', owner: 'alice' });
  assert.deepEqual(aclFromRecord(newObjectAcl({}, 's3', alices)!), cannedAcl('private', 'alice'));
  assert.equal(newObjectAcl({}, 'oss', alices), undefined);
  assert.deepEqual(aclFromRecord(newObjectAcl({ 'x-oss-object-acl': 'public-read' }, 'oss', alices)!), cannedAcl('public-read', 'alice'));
});

test('AccessControlPolicy XML: rendered grants parse back to the same ACL; unknown groups and e-mail grantees are refused', () => {
  const acl = cannedAcl('public-read-write', 'alice');
  const xml = renderAccessControlPolicy(toAclDocument(acl));
  assert.match(xml, /xsi:type="Group"><URI>http:\/\/acs\.amazonaws\.com\/groups\/global\/AllUsers<\/URI>/);
  assert.deepEqual(fromAclDocument(parseAccessControlPolicy(xml), 'alice'), acl);
  const doc = (grantee: string) => `<AccessControlPolicy><Owner><ID>alice</ID></Owner><AccessControlList><Grant>${grantee}<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`;
  assert.equal(code(() => fromAclDocument(parseAccessControlPolicy(doc('<Grantee><URI>http://example.com/group</URI></Grantee>')), 'alice')), 'InvalidArgument');
  assert.equal(code(() => parseAccessControlPolicy(doc('<Grantee><EmailAddress>a@b</EmailAddress></Grantee>'))), 'InvalidArgument');
  assert.equal(code(() => parseAccessControlPolicy(doc('<Grantee></Grantee>'))), 'MalformedXML');
  assert.equal(code(() => parseAccessControlPolicy('<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>a</ID></Grantee><Permission>ALL</Permission></Grant></AccessControlList></AccessControlPolicy>')), 'MalformedXML');
  assert.equal(code(() => parseAccessControlPolicy('')), 'MissingRequestBodyError');
});
