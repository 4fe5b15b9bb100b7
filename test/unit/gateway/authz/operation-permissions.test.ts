// Every gateway operation maps to catalog permissions; versioned and ACL-setting variants, and
// the two-check operations (copy: destination and source).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPERATIONS } from '../../../../services/gateway/dialect/operation.ts';
import { PERMISSIONS, requiredPermissions } from '../../../../services/gateway/authz/index.ts';

test('every operation needs at least one known permission', () => {
  for (const op of OPERATIONS) {
    const checks = requiredPermissions(op);
    assert.ok(checks.length > 0, op);
    for (const c of checks) assert.equal(PERMISSIONS[c.permission]!.name, c.name);
  }
});

test('a versionId switches to the version permission', () => {
  assert.deepEqual(requiredPermissions('GetObject', { versionId: true }).map((c) => c.name), ['GetObjectVersion']);
  assert.deepEqual(requiredPermissions('DeleteObject', { versionId: true }).map((c) => c.name), ['DeleteObjectVersion']);
  assert.deepEqual(requiredPermissions('HeadObject').map((c) => c.name), ['GetObject']);
});

test('copies check the destination write and the source read', () => {
  assert.deepEqual(requiredPermissions('CopyObject', { sourceVersionId: true }).map((c) => [c.name, c.target]), [['PutObject', 'object'], ['GetObjectVersion', 'copy-source']]);
  assert.deepEqual(requiredPermissions('UploadPartCopy').map((c) => c.target), ['object', 'copy-source']);
});

test('setting an ACL on a write also needs PutObjectAcl; listing is ListBucket; DeleteObjects is per key', () => {
  assert.deepEqual(requiredPermissions('PutObject', { setsAcl: true }).map((c) => c.name), ['PutObject', 'PutObjectAcl']);
  assert.deepEqual(requiredPermissions('UploadPart', { setsAcl: true }).map((c) => c.name), ['PutObject']);
  assert.deepEqual(requiredPermissions('CreateBucket', { setsAcl: true }).map((c) => c.name), ['CreateBucket', 'PutBucketAcl']);
  assert.equal(requiredPermissions('ListObjectsV2')[0]!.name, 'ListBucket');
  assert.equal(requiredPermissions('HeadBucket')[0]!.name, 'ListBucket');
  assert.equal(requiredPermissions('DeleteObjects')[0]!.target, 'each-key');
});
