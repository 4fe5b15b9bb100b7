// KMS keys in the state machine: the lifecycle's transitions and refusals, scheduled rotation
// applied only when due by the command's time (and once, whoever proposes), deletion only
// when due (taking the key's aliases), BYOK import tokens, aliases, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  CreateKmsAliasRequestSchema, CreateKmsKeyRequestSchema, DeleteKmsAliasRequestSchema, ImportKmsKeyMaterialRequestSchema,
  KmsKeyChange, KmsKeyManager, KmsKeyOrigin, KmsKeySchema, KmsKeyState, PutKmsImportParametersRequestSchema,
  RotateKmsKeyRequestSchema, UpdateKmsKeyRequestSchema, type KmsKey, type RotateKmsKeyResponse, type UpdateKmsKeyResponse,
} from '../../../services/common/gen/zonestore/meta/v1/kms_pb.ts';
import { getKmsKey, listKmsAliases, listKmsKeys } from '../../../services/meta/queries/kms-queries.ts';
import { openHarness, type MetaHarness } from './meta-harness.ts';

const K1 = '11111111-1111-4111-8111-111111111111';
const K2 = '22222222-2222-4222-8222-222222222222';
const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
const mat = Uint8Array.of(1, 2, 3);

const key = (keyId: string, o: MessageInitShape<typeof KmsKeySchema> = {}) => create(KmsKeySchema, {
  keyId, accountId: 'root', origin: KmsKeyOrigin.AWS_KMS, manager: KmsKeyManager.CUSTOMER,
  versions: [{ version: 1, wrappedMaterial: mat }], ...o,
});
const op = {
  create: (k: KmsKey, aliasName = ''): Command['op'] => ({ case: 'createKmsKey', value: create(CreateKmsKeyRequestSchema, { key: k, aliasName }) }),
  update: (keyId: string, change: KmsKeyChange, o: { pendingWindowDays?: number; rotationPeriodDays?: number; policy?: string } = {}): Command['op'] =>
    ({ case: 'updateKmsKey', value: create(UpdateKmsKeyRequestSchema, { keyId, change, ...o }) }),
  rotate: (keyId: string, onDemand: boolean, afterVersion: number): Command['op'] =>
    ({ case: 'rotateKmsKey', value: create(RotateKmsKeyRequestSchema, { keyId, wrappedMaterial: mat, onDemand, afterVersion }) }),
  params: (keyId: string, token: number, expiresMs: number): Command['op'] => ({ case: 'putKmsImportParameters', value: create(PutKmsImportParametersRequestSchema, {
    keyId, import: { wrappedPrivateKey: mat, importToken: Uint8Array.of(token), expiresMs: BigInt(expiresMs), wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' },
  }) }),
  import: (keyId: string, token: number): Command['op'] => ({ case: 'importKmsKeyMaterial', value: create(ImportKmsKeyMaterialRequestSchema, { keyId, importToken: Uint8Array.of(token), wrappedMaterial: mat }) }),
  alias: (aliasName: string, keyId: string, accountId = 'root'): Command['op'] => ({ case: 'createKmsAlias', value: create(CreateKmsAliasRequestSchema, { alias: { accountId, aliasName, keyId } }) }),
  deleteAlias: (aliasName: string): Command['op'] => ({ case: 'deleteKmsAlias', value: create(DeleteKmsAliasRequestSchema, { accountId: 'root', aliasName }) }),
};

async function withHarness(fn: (h: MetaHarness, at: (op: Command['op'], timeMs: number) => Promise<{ ok: boolean; value?: unknown; code?: string }>) => Promise<void>): Promise<void> {
  const h = await openHarness();
  const at = async (o: Command['op'], timeMs: number) => {
    const r = await h.run(o, { timeMs });
    return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.error.code };
  };
  try {
    await fn(h, at);
  } finally {
    await h.close();
  }
}

const stateOf = async (h: MetaHarness, keyId: string) => (await getKmsKey(h.store, { keyId, accountId: '', aliasName: '' } as never)).key!.state;

test('lifecycle: enable/disable, schedule deletion 7–30 days, cancel → Disabled; refusals by state', () => withHarness(async (h, at) => {
  await at(op.create(key(K1)), T0);
  assert.equal(await stateOf(h, K1), KmsKeyState.ENABLED);
  assert.equal((await h.refused(op.create(key(K1)))).code, 'EntityAlreadyExists');
  await h.ok(op.update(K1, KmsKeyChange.DISABLE));
  assert.equal(await stateOf(h, K1), KmsKeyState.DISABLED);
  await h.ok(op.update(K1, KmsKeyChange.ENABLE));
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.SCHEDULE_DELETION, { pendingWindowDays: 6 }))).code, 'InvalidArgument');
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.SCHEDULE_DELETION, { pendingWindowDays: 31 }))).code, 'InvalidArgument');
  const r = await at(op.update(K1, KmsKeyChange.SCHEDULE_DELETION), T0);
  assert.equal((r.value as UpdateKmsKeyResponse).key!.deletionMs, BigInt(T0 + 30 * DAY), 'default waiting period 30 days');
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.SCHEDULE_DELETION))).code, 'KmsInvalidState');
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.ENABLE))).code, 'KmsInvalidState');
  await h.ok(op.update(K1, KmsKeyChange.CANCEL_DELETION));
  assert.equal(await stateOf(h, K1), KmsKeyState.DISABLED);
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.CANCEL_DELETION))).code, 'KmsInvalidState');
  assert.equal((await h.refused(op.update('33333333-3333-4333-8333-333333333333', KmsKeyChange.ENABLE))).code, 'NoSuchKmsKey');
  assert.equal((await h.refused(op.update('not-a-key', KmsKeyChange.ENABLE))).code, 'InvalidArgument');
}));

test('service-managed keys cannot be disabled or deleted', () => withHarness(async (h) => {
  await h.ok(op.create(key(K1, { manager: KmsKeyManager.AWS, rotationEnabled: true }), 'alias/aws/s3'));
  assert.equal((await h.refused(op.create(key(K2, { manager: KmsKeyManager.AWS }), 'alias/aws/s3'))).code, 'EntityAlreadyExists', 'one default key: the racer loses');
  assert.equal((await getKmsKey(h.store, { keyId: '', accountId: 'root', aliasName: 'alias/aws/s3' } as never)).key!.keyId, K1);
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.DISABLE))).code, 'KmsInvalidState');
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.SCHEDULE_DELETION))).code, 'KmsInvalidState');
}));

test('deletion only when due by the command time; takes the key\'s aliases', () => withHarness(async (h, at) => {
  await at(op.create(key(K1)), T0);
  await h.ok(op.alias('alias/a', K1));
  await h.ok(op.alias('alias/b', K1));
  await at(op.update(K1, KmsKeyChange.SCHEDULE_DELETION, { pendingWindowDays: 7 }), T0);
  assert.equal((await at(op.update(K1, KmsKeyChange.DELETE_DUE), T0 + 7 * DAY - 1)).code, 'KmsInvalidState');
  assert.ok((await at(op.update(K1, KmsKeyChange.DELETE_DUE), T0 + 7 * DAY)).ok);
  assert.deepEqual((await listKmsKeys(h.store, { accountId: 'root' } as never)).keys, []);
  assert.deepEqual((await listKmsAliases(h.store, { accountId: 'root', keyId: '' } as never)).aliases, []);
}));

test('rotation: scheduled only when due and once; on demand any time; versions accumulate', () => withHarness(async (h, at) => {
  await at(op.create(key(K1, { rotationEnabled: true, rotationPeriodDays: 1 })), T0);
  const early = await at(op.rotate(K1, false, 1), T0 + DAY - 1);
  assert.equal((early.value as RotateKmsKeyResponse).rotated, false, 'not due yet');
  const due = await at(op.rotate(K1, false, 1), T0 + DAY);
  assert.equal((due.value as RotateKmsKeyResponse).rotated, true);
  const racer = await at(op.rotate(K1, false, 1), T0 + DAY + 5);
  assert.equal((racer.value as RotateKmsKeyResponse).rotated, false, 'a second gateway racing adds no version');
  const onDemand = await at(op.rotate(K1, true, 2), T0 + DAY + 10);
  const k = (onDemand.value as RotateKmsKeyResponse).key!;
  assert.deepEqual(k.versions.map((v) => v.version), [1, 2, 3]);
  assert.equal(k.onDemandRotations, 1);
  assert.equal((await at(op.rotate(K1, true, 2), T0 + DAY + 20)).code, 'KmsInvalidState', 'on demand after a stale version');
  await h.ok(op.update(K1, KmsKeyChange.DISABLE_ROTATION));
  assert.equal(((await at(op.rotate(K1, false, 3), T0 + 10 * DAY)).value as RotateKmsKeyResponse).rotated, false);
  assert.equal((await h.refused(op.update(K1, KmsKeyChange.ENABLE_ROTATION, { rotationPeriodDays: 2561 }))).code, 'InvalidArgument');
  await h.ok(op.update(K1, KmsKeyChange.DISABLE));
  assert.equal((await h.refused(op.rotate(K1, true, 3))).code, 'KmsInvalidState', 'a disabled key is not rotated');
}));

test('BYOK: PendingImport until material arrives with the current, unexpired token', () => withHarness(async (h, at) => {
  await at(op.create(key(K1, { origin: KmsKeyOrigin.EXTERNAL, versions: [] })), T0);
  assert.equal(await stateOf(h, K1), KmsKeyState.PENDING_IMPORT);
  assert.equal((await h.refused(op.create(key(K2, { origin: KmsKeyOrigin.EXTERNAL })))).code, 'InvalidArgument', 'no material at creation');
  assert.equal((await h.refused(op.rotate(K1, true, 0))).code, 'KmsInvalidState');
  assert.equal((await h.refused(op.import(K1, 1))).code, 'InvalidArgument', 'no parameters yet');
  await at(op.params(K1, 1, T0 + DAY), T0);
  await at(op.params(K1, 2, T0 + DAY), T0 + 1);
  assert.equal((await at(op.import(K1, 1), T0 + 2)).code, 'InvalidArgument', 'an older token');
  assert.equal((await at(op.import(K1, 2), T0 + DAY + 1)).code, 'InvalidArgument', 'an expired token');
  assert.ok((await at(op.import(K1, 2), T0 + 3)).ok);
  const k = (await getKmsKey(h.store, { keyId: K1, accountId: '', aliasName: '' } as never)).key!;
  assert.deepEqual([k.state, k.versions.length, k.import], [KmsKeyState.ENABLED, 1, undefined]);
  assert.equal((await h.refused(op.params(K1, 3, T0 + 2 * DAY))).code, 'KmsInvalidState');
  await at(op.create(key(K2)), T0);
  assert.equal((await h.refused(op.params(K2, 1, T0 + 2 * DAY))).code, 'KmsInvalidState', 'AWS_KMS keys take no import');
}));

test('aliases: shape, uniqueness, own account only, deletion', () => withHarness(async (h) => {
  await h.ok(op.create(key(K1)));
  assert.equal((await h.refused(op.alias('app', K1))).code, 'InvalidArgument');
  await h.ok(op.alias('alias/app', K1));
  assert.equal((await h.refused(op.alias('alias/app', K1))).code, 'EntityAlreadyExists');
  assert.equal((await h.refused(op.alias('alias/x', K2))).code, 'NoSuchKmsKey');
  assert.equal((await h.refused(op.alias('alias/x', K1, '123456789012'))).code, 'NoSuchKmsKey', 'another account\'s key');
  assert.equal((await getKmsKey(h.store, { keyId: '', accountId: 'root', aliasName: 'alias/app' } as never)).key!.keyId, K1);
  await h.ok(op.deleteAlias('alias/app'));
  assert.equal((await h.refused(op.deleteAlias('alias/app'))).code, 'NoSuchKmsKey');
  await assert.rejects(getKmsKey(h.store, { keyId: '', accountId: 'root', aliasName: 'alias/app' } as never), /NoSuchKmsKey/);
}));

test('keys need an existing account; key state survives a reopen', () => withHarness(async (h) => {
  assert.equal((await h.refused(op.create(key(K1, { accountId: '123456789012' })))).code, 'NoSuchAccount');
  await h.ok(op.create(key(K1)));
  await h.ok(op.update(K1, KmsKeyChange.DISABLE));
  await h.reopen();
  assert.equal(await stateOf(h, K1), KmsKeyState.DISABLED);
}));

test('rotation turned on schedules one period from then, not from the key\'s creation', () => withHarness(async (_h, at) => {
  await at(op.create(key(K1)), T0);
  const on = await at(op.update(K1, KmsKeyChange.ENABLE_ROTATION, { rotationPeriodDays: 10 }), T0 + 100 * DAY);
  assert.equal((on.value as UpdateKmsKeyResponse).key!.nextRotationMs, BigInt(T0 + 110 * DAY));
  const shorter = await at(op.update(K1, KmsKeyChange.ENABLE_ROTATION, { rotationPeriodDays: 5 }), T0 + 101 * DAY);
  assert.equal((shorter.value as UpdateKmsKeyResponse).key!.nextRotationMs, BigInt(T0 + 101 * DAY), 'one period after creation is past: due now');
  const defaults = await at(op.update(K1, KmsKeyChange.ENABLE_ROTATION), T0 + 102 * DAY);
  assert.equal((defaults.value as UpdateKmsKeyResponse).key!.rotationPeriodDays, 5, 'no period given keeps the key\'s');
}));
