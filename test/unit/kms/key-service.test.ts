// The key service's data plane over meta's real state machine: data keys for SSE-KMS and SSE-S3,
// the default key created on first use, disable → DisabledException, rotation keeps old
// versions decryptable, the cache's bound on another gateway's change, callers checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KmsKeyChange } from '../../../services/common/gen/zonestore/meta/v1/kms_pb.ts';
import { KmsError, type KmsCaller } from '../../../services/kms/data-key-service.ts';
import { KeyService } from '../../../services/kms/key-service.ts';
import { openHarness, type MetaHarness } from '../meta/meta-harness.ts';
import { HarnessKmsKeyStore } from './harness-kms-key-store.ts';

const ACCOUNT = 'root';
const allowAll: KmsCaller = { accountId: ACCOUNT, mayDo: () => 'allow' };
const denyAll: KmsCaller = { accountId: ACCOUNT, mayDo: () => 'implicit' };
const DAY = 86_400_000;

async function withService(fn: (s: KeyService, clock: { now: number }, h: MetaHarness) => Promise<void>): Promise<void> {
  const h = await openHarness();
  const clock = { now: 1_800_000_000_000 };
  try {
    const s = new KeyService({ store: new HarnessKmsKeyStore(h, () => clock.now), rootKey: randomBytes(32), region: 'us-east-1', now: () => clock.now });
    await fn(s, clock, h);
  } finally {
    await h.close();
  }
}

async function rejects(p: Promise<unknown>, code: string, awsType?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof KmsError && e.code === code && (awsType === undefined || e.awsType === awsType));
}

test('SSE-KMS data key under the default key, created on first use; decrypts with its context only', () => withService(async (s) => {
  const ctx = { 'aws:s3:arn': 'arn:aws:s3:::b/k' };
  const dk = await s.generateDataKey(allowAll, { context: ctx });
  assert.equal(dk.plaintext.length, 32);
  assert.match(dk.keyArn, /^arn:aws:kms:us-east-1:root:key\/[0-9a-f-]{36}$/);
  const again = await s.generateDataKey(allowAll, { keyId: 'alias/aws/s3', context: ctx });
  assert.equal(again.keyArn, dk.keyArn, 'one default key per account');
  const back = await s.decryptDataKey(allowAll, dk.wrapped, ctx);
  assert.deepEqual(back.plaintext, dk.plaintext);
  await rejects(s.decryptDataKey(allowAll, dk.wrapped, { 'aws:s3:arn': 'arn:aws:s3:::b/other' }), 'InvalidCiphertextException');
  await rejects(s.decryptDataKey(denyAll, dk.wrapped, ctx), 'AccessDeniedException');
  await rejects(s.decryptDataKey(undefined, dk.wrapped, ctx), 'AccessDeniedException');
}));

test('SSE-S3 service key: no caller; a customer cannot decrypt with it', () => withService(async (s) => {
  const dk = await s.generateServiceDataKey({ bucket: 'b' });
  assert.deepEqual((await s.decryptDataKey(undefined, dk.wrapped, { bucket: 'b' })).plaintext, dk.plaintext);
  await rejects(s.decryptDataKey(allowAll, dk.wrapped, { bucket: 'b' }), 'AccessDeniedException');
  assert.equal((await s.generateServiceDataKey({})).keyArn, dk.keyArn);
}));

test('a disabled key refuses GenerateDataKey and Decrypt; enabled again, old blobs decrypt', () => withService(async (s, clock) => {
  const dk = await s.generateDataKey(allowAll, { context: {} });
  const keyId = dk.keyArn.split('/')[1]!;
  // The default key is AWS-managed: customers cannot disable it. Use a customer key through the store.
  await rejects(s.store.updateKey(keyId, KmsKeyChange.DISABLE), 'KMSInvalidStateException');
  const key = await s.managedKey(ACCOUNT, 'alias/app', 1 as never, 'customer');
  assert.ok(key);
  const enc = await s.encrypt(allowAll, 'alias/app', Buffer.from('hello'), {});
  s.remember(await s.store.updateKey(key.keyId, KmsKeyChange.DISABLE));
  await rejects(s.generateDataKey(allowAll, { keyId: 'alias/app', context: {} }), 'DisabledException');
  await rejects(s.decrypt(allowAll, enc.blob, {}), 'DisabledException');
  s.remember(await s.store.updateKey(key.keyId, KmsKeyChange.ENABLE));
  assert.equal((await s.decrypt(allowAll, enc.blob, {})).plaintext.toString(), 'hello');
  clock.now += 1;
}));

test('another gateway\'s disable takes effect within the record TTL', () => withService(async (s, clock, h) => {
  const key = await s.managedKey(ACCOUNT, 'alias/app', 1 as never, 'customer');
  const enc = await s.encrypt(allowAll, key.keyId, Buffer.from('x'), {});
  const other = new HarnessKmsKeyStore(h, () => clock.now);
  await other.updateKey(key.keyId, KmsKeyChange.DISABLE);
  assert.equal((await s.decrypt(allowAll, enc.blob, {})).plaintext.toString(), 'x', 'cached record still Enabled');
  clock.now += 2_000;
  await rejects(s.decrypt(allowAll, enc.blob, {}), 'DisabledException');
}));

test('rotation: due keys get a new version on use; every old version still decrypts', () => withService(async (s, clock) => {
  const first = await s.generateDataKey(allowAll, { context: {} });
  clock.now += 366 * DAY;
  const second = await s.generateDataKey(allowAll, { context: {} });
  const key = await s.loadKey(second.keyArn.split('/')[1]!);
  assert.equal(key!.versions.length, 2);
  assert.notDeepEqual(first.wrapped.subarray(0, 44), second.wrapped.subarray(0, 44));
  assert.deepEqual((await s.decryptDataKey(allowAll, first.wrapped, {})).plaintext, first.plaintext);
  assert.deepEqual((await s.decryptDataKey(allowAll, second.wrapped, {})).plaintext, second.plaintext);
  clock.now += 366 * DAY;
  assert.deepEqual(await s.sweepDue(), { rotated: 1, deleted: 0 });
  assert.deepEqual(await s.sweepDue(), { rotated: 0, deleted: 0 });
}));

test('a key past its deletion date is gone', () => withService(async (s, clock) => {
  const key = await s.managedKey(ACCOUNT, 'alias/app', 1 as never, 'customer');
  const enc = await s.encrypt(allowAll, key.keyId, Buffer.from('x'), {});
  s.remember(await s.store.updateKey(key.keyId, KmsKeyChange.SCHEDULE_DELETION, { pendingWindowDays: 7 }));
  await rejects(s.decrypt(allowAll, enc.blob, {}), 'KMSInvalidStateException');
  clock.now += 7 * DAY;
  await rejects(s.decrypt(allowAll, enc.blob, {}), 'NotFoundException');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await s.store.getKey(key.keyId), undefined, 'its deletion was proposed when it was read');
  assert.deepEqual(await s.sweepDue(), { rotated: 0, deleted: 0 });
}));

test('garbage ciphertext is InvalidCiphertextException, never another error', () => withService(async (s) => {
  for (const blob of [Buffer.alloc(0), Buffer.from('ZK'), randomBytes(100), Buffer.from('ZK\x01\x05abcde\x00\x00\x00\x01' + 'x'.repeat(40), 'latin1')]) {
    await assert.rejects(s.decrypt(allowAll, blob, {}), (e: unknown) => e instanceof KmsError && (e.code === 'InvalidCiphertextException' || e.code === 'NotFoundException'));
  }
}));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('no key material in plaintext in meta\'s files', () => withService(async (s, clock, h) => {
  clock.now += 1;
  const dk = await s.generateDataKey(allowAll, { context: {} });
  const key = await s.managedKey(ACCOUNT, 'alias/app', 1 as never, 'customer');
  await s.rotateScheduled(key).catch(() => undefined);
  const materials: Buffer[] = [];
  for (const keyId of [dk.keyArn.split('/')[1]!, key.keyId]) {
    const record = (await s.loadKey(keyId))!;
    for (const v of record.versions) materials.push(s.material(record, v.version));
  }
  assert.ok(materials.length >= 2, 'the test sees the materials it looks for');
  await h.reopen();
  const bytes = filesUnder(h.dir).map((f) => readFileSync(f));
  for (const m of materials) assert.ok(bytes.every((b) => !b.includes(m)), 'material found in a meta file');
  assert.ok(bytes.some((b) => b.includes(Buffer.from(key.keyId))), 'the scan reads the store (the key id is there)');
}));
