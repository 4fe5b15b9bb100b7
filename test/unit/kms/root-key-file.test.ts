// The KMS root key file: created once (32 random bytes, base64, mode 0600, directory 0700),
// reused after; a malformed file or variable is a clear error, never a short key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmsRootKeyFromEnv, loadOrCreateKmsRootKey, readKmsRootKey } from '../../../services/kms/root-key-file.ts';

test('created on first use with mode 0600, then reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-kms-root-'));
  try {
    const file = join(dir, 'kms', 'root.key');
    const first = loadOrCreateKmsRootKey(file);
    assert.equal(first.created, true);
    assert.equal(first.key.length, 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'kms')).mode & 0o777, 0o700);
    assert.equal(readFileSync(file, 'utf8').trim(), first.key.toString('base64'));
    const second = loadOrCreateKmsRootKey(file);
    assert.deepEqual([second.created, second.key], [false, first.key]);
    assert.deepEqual(readKmsRootKey(file), first.key);
    writeFileSync(file, 'c2hvcnQ=\n');
    assert.throws(() => readKmsRootKey(file), /must hold 32 random bytes as base64/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('from the environment', () => {
  const key = Buffer.alloc(32, 7);
  assert.deepEqual(kmsRootKeyFromEnv({ ZONESTORE_KMS_ROOT_KEY: key.toString('base64') }), key);
  assert.equal(kmsRootKeyFromEnv({}), undefined);
  assert.throws(() => kmsRootKeyFromEnv({ ZONESTORE_KMS_ROOT_KEY: 'not base64!' }), /ZONESTORE_KMS_ROOT_KEY/);
});
