// Bucket policies and ACLs stored and read back through the real clients of both dialects
// (@aws-sdk/client-s3 and ali-oss) on a real three-zone cluster: policy CRUD and MalformedPolicy,
// canned and grant-header ACLs at CreateBucket / PutObject and through Put…Acl, XML bodies,
// OSS's canned names (an object's `default`). What the stored documents allow or deny is
// test/clients/anonymous-access.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketAclCommand, GetBucketPolicyCommand, GetObjectAclCommand,
  PutBucketAclCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { errorCode, useS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient, ossErrorCode } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'acl-api';
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

const policyFor = (bucket: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
});

test('S3 bucket policy: NoSuchBucketPolicy, put, get the same text, delete', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  assert.equal(await errorCode(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))), 'NoSuchBucketPolicy');
  const policy = policyFor(BUCKET);
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy }));
  assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy, policy);
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
  assert.equal(await errorCode(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))), 'NoSuchBucketPolicy');
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
});

test('S3 MalformedPolicy: not JSON, unknown action, no Principal, over 16 KiB; the old policy stays', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const good = policyFor(BUCKET);
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: good }));
  const statement = (extra: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: '*', ...extra }] });
  const bad = [
    '{"Version": "2012-10-17", "Statement": [',
    statement({ Action: 's3:NoSuchAction' }),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    statement({ Condition: { IpAddress: { 'aws:SourceIp': 'not-a-cidr' } } }),
    statement({ Sid: 'x'.repeat(17 * 1024) }),
  ];
  for (const Policy of bad) {
    assert.equal(await errorCode(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy }))), 'MalformedPolicy', Policy.slice(0, 80));
  }
  assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy, good);
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
});

test('S3 ACLs: CreateBucket and PutObject with canned ACLs, grant headers, XML bodies, read back', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const groupGrants = (grants: { Grantee?: { URI?: string; ID?: string }; Permission?: string }[] | undefined) =>
    (grants ?? []).map((g) => `${g.Grantee?.URI ?? `id:${g.Grantee?.ID}`}=${g.Permission}`).sort();
  await s3.send(new CreateBucketCommand({ Bucket: 'acl-public', ACL: 'public-read' }));
  const owner = (await s3.send(new GetBucketAclCommand({ Bucket: 'acl-public' }))).Owner?.ID;
  assert.ok(owner);
  assert.deepEqual(groupGrants((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-public' }))).Grants), [`${ALL_USERS}=READ`, `id:${owner}=FULL_CONTROL`]);
  assert.deepEqual(groupGrants((await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }))).Grants), [`id:${owner}=FULL_CONTROL`], 'private by default');

  await s3.send(new PutBucketAclCommand({ Bucket: 'acl-public', ACL: 'private' }));
  assert.deepEqual(groupGrants((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-public' }))).Grants), [`id:${owner}=FULL_CONTROL`]);
  await s3.send(new PutBucketAclCommand({ Bucket: 'acl-public', GrantRead: `uri="${ALL_USERS}"`, GrantFullControl: `id="${owner}"` }));
  assert.deepEqual(groupGrants((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-public' }))).Grants), [`${ALL_USERS}=READ`, `id:${owner}=FULL_CONTROL`]);
  await s3.send(new PutBucketAclCommand({
    Bucket: 'acl-public',
    AccessControlPolicy: {
      Owner: { ID: owner },
      Grants: [{ Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' }, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'WRITE' }],
    },
  }));
  assert.deepEqual(groupGrants((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-public' }))).Grants), [`${ALL_USERS}=WRITE`, `id:${owner}=FULL_CONTROL`]);
  assert.equal(await errorCode(s3.send(new PutBucketAclCommand({ Bucket: 'acl-public', ACL: 'bogus' as never }))), 'InvalidArgument');

  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'pub', Body: 'x', ACL: 'public-read' }));
  assert.deepEqual(groupGrants((await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'pub' }))).Grants), [`${ALL_USERS}=READ`, `id:${owner}=FULL_CONTROL`]);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain', Body: 'x' }));
  assert.deepEqual(groupGrants((await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'plain' }))).Grants), [`id:${owner}=FULL_CONTROL`]);
  await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'plain', ACL: 'public-read-write' }));
  assert.deepEqual(groupGrants((await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'plain' }))).Grants),
    [`${ALL_USERS}=READ`, `${ALL_USERS}=WRITE`, `id:${owner}=FULL_CONTROL`]);
  assert.equal(await errorCode(s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'missing', ACL: 'private' }))), 'NoSuchKey');
});

test('OSS: bucket and object ACLs by canned name (default included), bucket policy CRUD', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const oss = ossClient(suite.c.endpoints[1]!, suite.c.credentials, { bucket: BUCKET });
  assert.equal((await oss.getBucketACL(BUCKET)).acl, 'private');
  await oss.putBucketACL(BUCKET, 'public-read');
  assert.equal((await oss.getBucketACL(BUCKET)).acl, 'public-read');
  await oss.putBucketACL(BUCKET, 'private');
  assert.equal((await oss.getBucketACL(BUCKET)).acl, 'private');

  await oss.put('oss-default', Buffer.from('x'));
  assert.equal((await oss.getACL('oss-default')).acl, 'default', 'an OSS write without an ACL follows the bucket');
  await oss.putACL('oss-default', 'public-read');
  assert.equal((await oss.getACL('oss-default')).acl, 'public-read');
  await oss.putACL('oss-default', 'default' as never);
  assert.equal((await oss.getACL('oss-default')).acl, 'default');
  await oss.put('oss-prw', Buffer.from('x'), { headers: { 'x-oss-object-acl': 'public-read-write' } });
  assert.equal((await oss.getACL('oss-prw')).acl, 'public-read-write');

  // ali-oss's getBucketPolicy does not throw on an error status: it answers policy null.
  const none = async () => {
    const r = await oss.getBucketPolicy(BUCKET);
    assert.equal(r.policy, null);
    assert.equal(r.res.status, 404);
    assert.match(Buffer.from((r.res as unknown as { data: Uint8Array }).data).toString(), /<Code>NoSuchBucketPolicy<\/Code>/);
  };
  await none();
  const policy = {
    Version: '1',
    Statement: [{ Effect: 'Allow' as const, Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${BUCKET}/*`] }],
  };
  await oss.putBucketPolicy(BUCKET, policy);
  const got = await oss.getBucketPolicy(BUCKET);
  assert.deepEqual(got.policy, policy);
  assert.equal(await ossErrorCode(oss.putBucketPolicy(BUCKET, { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:Nope'], Principal: ['*'], Resource: ['*'] }] })), 'MalformedPolicy');
  await oss.deleteBucketPolicy(BUCKET);
  await none();
});
