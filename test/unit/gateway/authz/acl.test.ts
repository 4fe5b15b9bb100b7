// ACLs on their own: canned ACLs in both dialects' names, x-amz-grant-* headers, what a grant
// implies, recognising canned shapes back, and the put-time block-public-access checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  aclGrants, cannedAcl, cannedAclName, combinePublicAccessBlocks, effectiveObjectAcl, isPublicAcl, isPublicPolicy,
  NO_PUBLIC_ACCESS_BLOCK, parseCannedAcl, parseGrantHeaders, refusePublicAcl, refusePublicPolicy, GROUP_URIS,
} from '../../../../services/gateway/authz/index.ts';
import { alice, anonymous, iam, OTHER, otherAccount, owner, OWNER, policy } from './authz-fixtures.ts';

describe('canned ACLs', () => {
  test('private gives the owner FULL_CONTROL only', () => {
    const acl = cannedAcl('private', OWNER);
    assert.equal(aclGrants(acl, owner, 'WRITE_ACP'), 'direct');
    assert.equal(aclGrants(acl, otherAccount, 'READ'), false);
    assert.equal(aclGrants(acl, alice, 'READ'), 'account', 'users of the owner account get delegation, not access');
  });
  test('public-read / public-read-write / authenticated-read', () => {
    assert.equal(aclGrants(cannedAcl('public-read', OWNER), anonymous, 'READ'), 'direct');
    assert.equal(aclGrants(cannedAcl('public-read', OWNER), anonymous, 'WRITE'), false);
    assert.equal(aclGrants(cannedAcl('public-read-write', OWNER), anonymous, 'WRITE'), 'direct');
    assert.equal(aclGrants(cannedAcl('authenticated-read', OWNER), anonymous, 'READ'), false);
    assert.equal(aclGrants(cannedAcl('authenticated-read', OWNER), otherAccount, 'READ'), 'direct');
  });
  test('bucket-owner-read / bucket-owner-full-control add the bucket owner when the object owner differs', () => {
    const acl = cannedAcl('bucket-owner-full-control', OTHER, OWNER);
    assert.equal(aclGrants(acl, owner, 'WRITE_ACP'), 'direct');
    assert.equal(aclGrants(cannedAcl('bucket-owner-read', OTHER, OWNER), owner, 'READ'), 'direct');
    assert.equal(aclGrants(cannedAcl('bucket-owner-read', OTHER, OWNER), owner, 'WRITE'), false);
  });
  test('header values are checked per target; default is an object ACL only', () => {
    assert.equal(parseCannedAcl('public-read', 'bucket'), 'public-read');
    assert.equal(parseCannedAcl('default', 'object'), 'default');
    const bad = parseCannedAcl('default', 'bucket');
    assert.ok(typeof bad !== 'string' && bad.code === 'InvalidArgument');
  });
  test('an object with the default ACL follows its bucket', () => {
    const bucket = cannedAcl('public-read', OWNER);
    assert.equal(effectiveObjectAcl('default', bucket), bucket);
    assert.equal(effectiveObjectAcl(undefined, bucket), bucket);
    const own = cannedAcl('private', OWNER);
    assert.equal(effectiveObjectAcl(own, bucket), own);
  });
  test('cannedAclName recognises canned shapes (OSS GetBucketAcl answers with the name)', () => {
    for (const n of ['private', 'public-read', 'public-read-write'] as const) assert.equal(cannedAclName(cannedAcl(n, OWNER), 'bucket'), n);
    assert.equal(cannedAclName({ owner: OWNER, grants: [] }, 'bucket'), undefined);
  });
});

describe('grant headers', () => {
  test('id and uri grantees, quoted or not, several per header', () => {
    const acl = parseGrantHeaders({ read: `id="${OTHER}", uri="${GROUP_URIS.AllUsers}"`, fullControl: `id=${OWNER}` }, OWNER);
    assert.ok(!('code' in acl));
    assert.equal(aclGrants(acl, otherAccount, 'READ'), 'direct');
    assert.equal(aclGrants(acl, anonymous, 'READ'), 'direct');
    assert.equal(aclGrants(acl, owner, 'WRITE_ACP'), 'direct');
    assert.equal(aclGrants(acl, otherAccount, 'WRITE'), false);
  });
  test('FULL_CONTROL implies every permission', () => {
    const acl = parseGrantHeaders({ fullControl: `id="${OTHER}"` }, OWNER);
    assert.ok(!('code' in acl));
    for (const p of ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'] as const) assert.equal(aclGrants(acl, otherAccount, p), 'direct');
  });
  test('unknown groups, e-mail grantees and garbage are InvalidArgument', () => {
    for (const read of ['uri="http://example.com/group"', 'emailAddress="a@b.test"', 'nonsense', 'id=""']) {
      const r = parseGrantHeaders({ read }, OWNER);
      assert.ok('code' in r && r.code === 'InvalidArgument', read);
    }
  });
});

describe('public: what counts, and block public access at put time', () => {
  test('AllUsers and AuthenticatedUsers grants are public, account grants are not', () => {
    assert.equal(isPublicAcl(cannedAcl('public-read', OWNER)), true);
    assert.equal(isPublicAcl(cannedAcl('authenticated-read', OWNER)), true);
    assert.equal(isPublicAcl(cannedAcl('bucket-owner-full-control', OTHER, OWNER)), false);
  });
  test('a policy is public when an Allow reaches "*" without a narrowing condition', () => {
    const stmt = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    assert.equal(isPublicPolicy(policy(iam(stmt))), true);
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))), false);
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }))), true);
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Condition: { StringLike: { 'aws:Referer': 'https://a.test/*' } } }))), true, 'a Referer is the client\'s to choose');
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER } } }))), false);
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Principal: { AWS: OTHER } }))), false);
    assert.equal(isPublicPolicy(policy(iam({ ...stmt, Effect: 'Deny' }))), false);
  });
  test('BlockPublicPolicy refuses storing a public policy; BlockPublicAcls a public ACL', () => {
    const block = { ...NO_PUBLIC_ACCESS_BLOCK, blockPublicPolicy: true, blockPublicAcls: true };
    const pub = policy(iam({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(refusePublicPolicy(block, pub)?.code, 'AccessDenied');
    assert.equal(refusePublicPolicy(NO_PUBLIC_ACCESS_BLOCK, pub), undefined);
    assert.equal(refusePublicAcl(block, cannedAcl('public-read', OWNER))?.code, 'AccessDenied');
    assert.equal(refusePublicAcl(block, cannedAcl('private', OWNER)), undefined);
  });
  test('account and bucket settings combine: a flag set in either holds', () => {
    const c = combinePublicAccessBlocks({ ...NO_PUBLIC_ACCESS_BLOCK, ignorePublicAcls: true }, undefined, { ...NO_PUBLIC_ACCESS_BLOCK, blockPublicPolicy: true });
    assert.deepEqual(c, { blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false });
  });
});
