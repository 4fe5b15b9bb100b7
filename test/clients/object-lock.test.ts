// S3 Object Lock through @aws-sdk/client-s3 on a real cluster: a bucket created with object
// lock (versioning on and not suspendable), default retention, per-version COMPLIANCE and
// GOVERNANCE retention, legal hold, the lock headers on HEAD; and every way to remove a
// COMPLIANCE-protected version (delete by id, with and without the bypass header, multi-delete,
// shorten or remove the retention, delete bucket) refused for the root account with the
// version's bytes intact, while GOVERNANCE gives way to the bypass header and a retention a few
// seconds ahead ends on time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand, GetObjectRetentionCommand, HeadObjectCommand, PutBucketVersioningCommand,
  PutObjectCommand, PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { type S3Cluster, bodyBytes, errorCode, s3Client, seededBytes, startS3Cluster } from './s3-cluster-fixture.ts';
import { AdminClient } from '../../services/cli/admin/admin-client.ts';

const SUITE_TIMEOUT_MS = 300_000;
const B = 'lock-bucket';
let c: S3Cluster;
let s3: S3Client;
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('base64');

before(async () => {
  c = await startS3Cluster();
  s3 = s3Client(c.endpoints[0]!, c.credentials);
  await s3.send(new CreateBucketCommand({ Bucket: B, ObjectLockEnabledForBucket: true }));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

test('object-lock bucket: configuration, default retention, versioning cannot be suspended', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cfg = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: B }));
  assert.equal(cfg.ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
  assert.equal(await errorCode(s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }))), 'InvalidBucketState');
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: B, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
  const got = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: B }));
  assert.deepEqual(got.ObjectLockConfiguration?.Rule?.DefaultRetention, { Mode: 'GOVERNANCE', Days: 1 });
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'defaulted', Body: 'x' }));
  const r = await s3.send(new GetObjectRetentionCommand({ Bucket: B, Key: 'defaulted', VersionId: put.VersionId }));
  assert.equal(r.Retention?.Mode, 'GOVERNANCE');
  assert.ok(r.Retention!.RetainUntilDate!.getTime() > Date.now() + 23 * 3600_000);
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: B, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  await s3.send(new CreateBucketCommand({ Bucket: 'plain-bucket' }));
  assert.equal(await errorCode(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain-bucket' }))), 'ObjectLockConfigurationNotFoundError');
});

test('COMPLIANCE: no removal by root, with or without bypass, by any path; bytes and versions intact', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = seededBytes(50_000, 7);
  const until = new Date(Date.now() + 24 * 3600_000);
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'c', Body: body, ContentMD5: md5(body), ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }));
  const v = put.VersionId!;
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c', VersionId: v }));
  assert.equal(head.ObjectLockMode, 'COMPLIANCE');
  assert.equal(head.ObjectLockRetainUntilDate?.toISOString(), new Date(Math.floor(until.getTime())).toISOString());
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'c', VersionId: v }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'c', VersionId: v, BypassGovernanceRetention: true }))), 'AccessDenied');
  const multi = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'c', VersionId: v }] } }));
  assert.equal(multi.Errors?.[0]?.Code, 'AccessDenied');
  assert.ok(!(multi.Deleted ?? []).some((d) => d.VersionId === v));
  const shorter = new Date(Date.now() + 3600_000);
  assert.equal(await errorCode(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'c', VersionId: v, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: shorter }, BypassGovernanceRetention: true }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'c', VersionId: v, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until }, BypassGovernanceRetention: true }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new DeleteBucketCommand({ Bucket: B }))), 'BucketNotEmpty');
  // A plain DELETE only adds a delete marker; removing the marker brings the version back.
  const marker = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'c' }));
  assert.equal(marker.DeleteMarker, true);
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'c', VersionId: marker.VersionId }));
  assert.deepEqual(await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'c' }))).Body), body, 'bytes intact');
  assert.deepEqual(await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'c', VersionId: v }))).Body), body, 'the version itself intact');
  // Extending is allowed.
  await s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'c', VersionId: v, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(until.getTime() + 3600_000) } }));
});

test('GOVERNANCE gives way only to the bypass header; legal hold to nothing; a short retention ends on time', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = Buffer.from('governed');
  const g = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 'g', Body: body, ContentMD5: md5(body), ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 3600_000) }))).VersionId!;
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: g }))), 'AccessDenied');
  await s3.send(new PutObjectLegalHoldCommand({ Bucket: B, Key: 'g', VersionId: g, LegalHold: { Status: 'ON' } }));
  assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket: B, Key: 'g', VersionId: g }))).LegalHold?.Status, 'ON');
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: g, BypassGovernanceRetention: true }))), 'AccessDenied');
  await s3.send(new PutObjectLegalHoldCommand({ Bucket: B, Key: 'g', VersionId: g, LegalHold: { Status: 'OFF' } }));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: g, BypassGovernanceRetention: true }));
  assert.equal(await errorCode(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'g', VersionId: g }))), 'NotFound');

  const s = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 's', Body: body, ContentMD5: md5(body), ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 3000) }))).VersionId!;
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 's', VersionId: s }))), 'AccessDenied');
  await new Promise((r) => setTimeout(r, 3500));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 's', VersionId: s }));
  // Lock headers on CreateMultipartUpload reach the completed object.
  const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'm', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 3600_000) }));
  const part = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'm', UploadId: mpu.UploadId, PartNumber: 1, Body: body }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'm', UploadId: mpu.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'm', VersionId: done.VersionId }))).ObjectLockMode, 'COMPLIANCE');
  assert.equal(await errorCode(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'm', VersionId: done.VersionId, BypassGovernanceRetention: true }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'p', Body: body, ContentMD5: md5(body), ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 3000) }))), 'InvalidRequest');
});

test('GOVERNANCE bypass needs s3:BypassGovernanceRetention as well as the header (a user without it is refused)', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const root = new AdminClient({ endpoint: c.endpoints[0]!, ...c.credentials });
  await root.call('POST', '/users', { name: 'gov' });
  const key = ((await root.call('POST', '/users/gov/keys')).body as { accessKey: { accessKeyId: string; secretAccessKey: string } }).accessKey;
  const policy = (actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`] }] });
  const base = ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'];
  await root.call('PUT', '/users/gov/policies/p', policy(base));
  const user = s3Client(c.endpoints[0]!, { ...c.credentials, ...key });
  const body = Buffer.from('gov');
  const v = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 'gu', Body: body, ContentMD5: md5(body), ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 3600_000) }))).VersionId!;
  assert.equal(await errorCode(user.send(new DeleteObjectCommand({ Bucket: B, Key: 'gu', VersionId: v, BypassGovernanceRetention: true }))), 'AccessDenied');
  assert.equal(await text(user, 'gu', v), 'gov', 'still there');
  await root.call('PUT', '/users/gov/policies/p', policy([...base, 's3:BypassGovernanceRetention']));
  assert.equal(await errorCode(user.send(new DeleteObjectCommand({ Bucket: B, Key: 'gu', VersionId: v }))), 'AccessDenied', 'the permission alone is not enough');
  // Gateways cache a key's identity and policies briefly: retry until the new policy is seen.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const code = await errorCode(user.send(new DeleteObjectCommand({ Bucket: B, Key: 'gu', VersionId: v, BypassGovernanceRetention: true }))).catch(() => 'ok');
    if (code === 'ok') break;
    assert.equal(code, 'AccessDenied');
    assert.ok(Date.now() < deadline, 'the bypass with the permission succeeds within 30 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(await errorCode(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'gu', VersionId: v }))), 'NotFound');
});

async function text(client: S3Client, key: string, versionId: string): Promise<string> {
  return (await bodyBytes((await client.send(new GetObjectCommand({ Bucket: B, Key: key, VersionId: versionId }))).Body)).toString();
}
