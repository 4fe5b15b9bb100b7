// Applying KMS commands: keys, their versions, import parameters and aliases. Material arrives
// wrapped by the gateway (the KMS root key never reaches meta) and ids are the proposer's, so
// apply is deterministic; every time-driven rule — a scheduled rotation being due, a deletion
// being due, an import token being unexpired — is decided against the command's time_ms. The
// lifecycle (docs/kms.md):
//   AWS_KMS keys:  Enabled ⇄ Disabled;  Enabled|Disabled → PendingDeletion → (Cancel) Disabled
//   EXTERNAL keys: PendingImport → (import) Enabled; deletion as above, Cancel → PendingImport
//                  while no material was imported
// and PendingDeletion ends with DELETE_DUE once deletion_ms has passed.
import { clone, create, fromBinary } from '@bufbuild/protobuf';
import {
  CreateKmsAliasResponseSchema, CreateKmsKeyResponseSchema, DeleteKmsAliasResponseSchema, ImportKmsKeyMaterialResponseSchema,
  KmsAliasSchema, KmsImportParametersSchema, KmsKeyChange, KmsKeyManager, KmsKeyOrigin, KmsKeySchema, KmsKeyState,
  KmsKeyVersionSchema, PutKmsImportParametersResponseSchema, RotateKmsKeyResponseSchema, UpdateKmsKeyResponseSchema,
  type CreateKmsAliasRequest, type CreateKmsAliasResponse, type CreateKmsKeyRequest, type CreateKmsKeyResponse,
  type DeleteKmsAliasRequest, type DeleteKmsAliasResponse, type ImportKmsKeyMaterialRequest, type ImportKmsKeyMaterialResponse,
  type KmsKey, type PutKmsImportParametersRequest, type PutKmsImportParametersResponse, type RotateKmsKeyRequest,
  type RotateKmsKeyResponse, type UpdateKmsKeyRequest, type UpdateKmsKeyResponse,
} from '../../common/gen/zonestore/meta/v1/kms_pb.ts';
import {
  DEFAULT_KMS_PENDING_WINDOW_DAYS, DEFAULT_KMS_ROTATION_PERIOD_DAYS, MAX_KMS_ALIASES_PER_ACCOUNT, MAX_KMS_DESCRIPTION_CHARS,
  MAX_KMS_KEY_POLICY_BYTES, MAX_KMS_KEY_VERSIONS, MAX_KMS_KEYS_PER_ACCOUNT, MAX_KMS_ON_DEMAND_ROTATIONS,
  MAX_KMS_PENDING_WINDOW_DAYS, MAX_KMS_ROTATION_PERIOD_DAYS, MAX_KMS_WRAPPED_MATERIAL_BYTES,
  MAX_KMS_WRAPPED_PRIVATE_KEY_BYTES, MIN_KMS_PENDING_WINDOW_DAYS, MIN_KMS_ROTATION_PERIOD_DAYS,
} from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { checkAccountRef, ROOT_ACCOUNT_ID } from '../rules/identity-names.ts';
import { checkKmsAliasName, checkKmsKeyId } from '../rules/kms-names.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';

export const DAY_MS = 86_400_000n;

async function requireAccount(ctx: ApplyContext, accountId: string): Promise<void> {
  checkAccountRef(accountId);
  if (accountId === ROOT_ACCOUNT_ID) return;
  if (!(await ctx.getRaw(key.account(accountId)))) throw new MetaError('NoSuchAccount', `account ${accountId} does not exist`, { accountId });
}

async function requireKey(ctx: ApplyContext, keyId: string): Promise<KmsKey> {
  checkKmsKeyId(keyId);
  const k = await ctx.get(KmsKeySchema, key.kmsKey(keyId));
  if (!k) throw new MetaError('NoSuchKmsKey', `key ${keyId} does not exist`, { keyId });
  return k;
}

async function countRange(ctx: ApplyContext, prefix: Uint8Array, limit: number): Promise<number> {
  return (await ctx.store.range({ gte: prefix, lt: prefixEnd(prefix)!, limit })).length;
}

function checkMaterial(wrapped: Uint8Array, what = 'wrapped key material', max = MAX_KMS_WRAPPED_MATERIAL_BYTES): void {
  if (wrapped.length === 0 || wrapped.length > max) throw new MetaError('InvalidArgument', `${what} has 1 to ${max} bytes`);
}

function checkPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_KMS_KEY_POLICY_BYTES) {
    throw new MetaError('InvalidArgument', `a key policy has at most ${MAX_KMS_KEY_POLICY_BYTES} bytes`);
  }
}

function rotationPeriod(days: number, current: number): number {
  const d = days === 0 ? (current || DEFAULT_KMS_ROTATION_PERIOD_DAYS) : days;
  if (d < MIN_KMS_ROTATION_PERIOD_DAYS || d > MAX_KMS_ROTATION_PERIOD_DAYS) {
    throw new MetaError('InvalidArgument', `the rotation period is ${MIN_KMS_ROTATION_PERIOD_DAYS} to ${MAX_KMS_ROTATION_PERIOD_DAYS} days`);
  }
  return d;
}

function invalidState(k: KmsKey, what: string): MetaError {
  return new MetaError('KmsInvalidState', `key ${k.keyId} is ${KmsKeyState[k.state]}: ${what}`, { keyId: k.keyId, state: KmsKeyState[k.state] });
}

export async function applyCreateKmsKey(ctx: ApplyContext, req: CreateKmsKeyRequest): Promise<CreateKmsKeyResponse> {
  const k = req.key;
  if (!k) throw new MetaError('InvalidArgument', 'a key is required');
  checkKmsKeyId(k.keyId);
  await requireAccount(ctx, k.accountId);
  if ([...k.description].length > MAX_KMS_DESCRIPTION_CHARS) throw new MetaError('InvalidArgument', `a description has at most ${MAX_KMS_DESCRIPTION_CHARS} characters`);
  checkPolicy(k.policy);
  if (await ctx.getRaw(key.kmsKey(k.keyId))) throw new MetaError('EntityAlreadyExists', `key ${k.keyId} already exists`, { keyId: k.keyId });
  if (await countRange(ctx, key.kmsKeysOf(k.accountId), MAX_KMS_KEYS_PER_ACCOUNT) >= MAX_KMS_KEYS_PER_ACCOUNT) {
    throw new MetaError('LimitExceeded', `an account has at most ${MAX_KMS_KEYS_PER_ACCOUNT} KMS keys`);
  }
  const now = ctx.stamp.timeMs;
  let state: KmsKeyState;
  let versions = k.versions;
  if (k.origin === KmsKeyOrigin.AWS_KMS) {
    if (versions.length !== 1) throw new MetaError('InvalidArgument', 'a new key has exactly one version of material');
    checkMaterial(versions[0]!.wrappedMaterial);
    versions = [create(KmsKeyVersionSchema, { version: 1, wrappedMaterial: versions[0]!.wrappedMaterial, createdMs: now })];
    state = KmsKeyState.ENABLED;
  } else if (k.origin === KmsKeyOrigin.EXTERNAL) {
    if (versions.length !== 0) throw new MetaError('InvalidArgument', 'a key for imported material starts without material');
    if (k.rotationEnabled) throw new MetaError('InvalidArgument', 'keys with imported material do not rotate automatically');
    state = KmsKeyState.PENDING_IMPORT;
  } else {
    throw new MetaError('InvalidArgument', 'a key has origin AWS_KMS or EXTERNAL');
  }
  if (k.manager === KmsKeyManager.UNSPECIFIED) throw new MetaError('InvalidArgument', 'a key has a manager');
  const period = k.rotationEnabled ? rotationPeriod(k.rotationPeriodDays, 0) : 0;
  const stored = create(KmsKeySchema, {
    keyId: k.keyId, accountId: k.accountId, description: k.description, origin: k.origin, manager: k.manager, state,
    createdMs: now, versions, policy: k.policy, rotationEnabled: k.rotationEnabled, rotationPeriodDays: period || k.rotationPeriodDays,
    nextRotationMs: k.rotationEnabled ? now + BigInt(period) * DAY_MS : 0n,
  });
  if (req.aliasName !== '') {
    checkKmsAliasName(req.aliasName);
    if (await ctx.getRaw(key.kmsAlias(k.accountId, req.aliasName))) {
      throw new MetaError('EntityAlreadyExists', `alias ${req.aliasName} already exists`, { aliasName: req.aliasName });
    }
    ctx.put(key.kmsAlias(k.accountId, req.aliasName), KmsAliasSchema,
      create(KmsAliasSchema, { accountId: k.accountId, aliasName: req.aliasName, keyId: k.keyId, createdMs: now }));
  }
  ctx.put(key.kmsKey(k.keyId), KmsKeySchema, stored);
  ctx.putRaw(key.kmsKeyIndex(k.accountId, k.keyId), new Uint8Array(0));
  return create(CreateKmsKeyResponseSchema, { key: stored });
}

const CHANGEABLE = new Set([KmsKeyState.ENABLED, KmsKeyState.DISABLED]);

export async function applyUpdateKmsKey(ctx: ApplyContext, req: UpdateKmsKeyRequest): Promise<UpdateKmsKeyResponse> {
  const k = await requireKey(ctx, req.keyId);
  const now = ctx.stamp.timeMs;
  const next = clone(KmsKeySchema, k);
  const customer = k.manager === KmsKeyManager.CUSTOMER;
  switch (req.change) {
    case KmsKeyChange.ENABLE:
    case KmsKeyChange.DISABLE:
      if (!CHANGEABLE.has(k.state)) throw invalidState(k, 'it cannot be enabled or disabled');
      if (!customer) throw invalidState(k, 'a service-managed key cannot be enabled or disabled');
      next.state = req.change === KmsKeyChange.ENABLE ? KmsKeyState.ENABLED : KmsKeyState.DISABLED;
      break;
    case KmsKeyChange.SCHEDULE_DELETION: {
      if (!customer) throw invalidState(k, 'a service-managed key cannot be deleted');
      if (k.state === KmsKeyState.PENDING_DELETION) throw invalidState(k, 'its deletion is already scheduled');
      const days = req.pendingWindowDays === 0 ? DEFAULT_KMS_PENDING_WINDOW_DAYS : req.pendingWindowDays;
      if (days < MIN_KMS_PENDING_WINDOW_DAYS || days > MAX_KMS_PENDING_WINDOW_DAYS) {
        throw new MetaError('InvalidArgument', `the waiting period is ${MIN_KMS_PENDING_WINDOW_DAYS} to ${MAX_KMS_PENDING_WINDOW_DAYS} days`);
      }
      next.state = KmsKeyState.PENDING_DELETION;
      next.pendingWindowDays = days;
      next.deletionMs = now + BigInt(days) * DAY_MS;
      break;
    }
    case KmsKeyChange.CANCEL_DELETION:
      if (k.state !== KmsKeyState.PENDING_DELETION) throw invalidState(k, 'no deletion is scheduled');
      next.state = k.versions.length === 0 ? KmsKeyState.PENDING_IMPORT : KmsKeyState.DISABLED;
      next.deletionMs = 0n;
      next.pendingWindowDays = 0;
      break;
    case KmsKeyChange.ENABLE_ROTATION: {
      if (k.origin !== KmsKeyOrigin.AWS_KMS) throw invalidState(k, 'keys with imported material do not rotate automatically');
      if (k.state !== KmsKeyState.ENABLED) throw invalidState(k, 'only an enabled key can have rotation turned on');
      const period = rotationPeriod(req.rotationPeriodDays, k.rotationPeriodDays);
      const changed = !k.rotationEnabled || period !== k.rotationPeriodDays;
      next.rotationEnabled = true;
      next.rotationPeriodDays = period;
      // Turned on: the first rotation one period from now. A new period on a rotating key: one
      // period after its last rotation (or creation), but not in the past.
      if (!k.rotationEnabled) next.nextRotationMs = now + BigInt(period) * DAY_MS;
      else if (changed) next.nextRotationMs = (k.lastRotationMs || k.createdMs) + BigInt(period) * DAY_MS;
      if (next.nextRotationMs < now) next.nextRotationMs = now;
      break;
    }
    case KmsKeyChange.DISABLE_ROTATION:
      if (k.origin !== KmsKeyOrigin.AWS_KMS) throw invalidState(k, 'keys with imported material do not rotate automatically');
      if (k.state !== KmsKeyState.ENABLED) throw invalidState(k, 'only an enabled key can have rotation turned off');
      next.rotationEnabled = false;
      next.nextRotationMs = 0n;
      break;
    case KmsKeyChange.PUT_POLICY:
      checkPolicy(req.policy);
      next.policy = req.policy;
      break;
    case KmsKeyChange.DELETE_DUE: {
      if (k.state !== KmsKeyState.PENDING_DELETION || now < k.deletionMs) throw invalidState(k, 'its deletion is not due');
      ctx.del(key.kmsKey(k.keyId));
      ctx.del(key.kmsKeyIndex(k.accountId, k.keyId));
      const prefix = key.kmsAliasesOf(k.accountId);
      for (const [ak, v] of await ctx.store.range({ gte: prefix, lt: prefixEnd(prefix)! })) {
        if (fromAlias(v).keyId === k.keyId) ctx.del(ak);
      }
      return create(UpdateKmsKeyResponseSchema, {});
    }
    default:
      throw new MetaError('InvalidArgument', 'unknown key change');
  }
  ctx.put(key.kmsKey(k.keyId), KmsKeySchema, next);
  return create(UpdateKmsKeyResponseSchema, { key: next });
}

function fromAlias(v: Uint8Array) {
  return fromBinary(KmsAliasSchema, v);
}

export async function applyRotateKmsKey(ctx: ApplyContext, req: RotateKmsKeyRequest): Promise<RotateKmsKeyResponse> {
  const k = await requireKey(ctx, req.keyId);
  checkMaterial(req.wrappedMaterial);
  const now = ctx.stamp.timeMs;
  const newest = k.versions.at(-1)?.version ?? 0;
  if (k.origin !== KmsKeyOrigin.AWS_KMS) throw invalidState(k, 'keys with imported material cannot be rotated here');
  if (req.onDemand) {
    if (k.state !== KmsKeyState.ENABLED) throw invalidState(k, 'only an enabled key can be rotated');
    // The material was wrapped for version newest+1 (the version is in its associated data).
    if (req.afterVersion !== newest) throw new MetaError('KmsInvalidState', `key ${k.keyId} was rotated concurrently: retry`, { keyId: k.keyId, state: 'ConcurrentRotation' });
    if (k.onDemandRotations >= MAX_KMS_ON_DEMAND_ROTATIONS) throw new MetaError('LimitExceeded', `a key is rotated on demand at most ${MAX_KMS_ON_DEMAND_ROTATIONS} times`);
  } else if (k.state !== KmsKeyState.ENABLED || !k.rotationEnabled || now < k.nextRotationMs || req.afterVersion !== newest) {
    return create(RotateKmsKeyResponseSchema, { key: k, rotated: false });
  }
  if (k.versions.length >= MAX_KMS_KEY_VERSIONS) throw new MetaError('LimitExceeded', `a key keeps at most ${MAX_KMS_KEY_VERSIONS} versions`);
  const next = clone(KmsKeySchema, k);
  next.versions = [...k.versions, create(KmsKeyVersionSchema, { version: newest + 1, wrappedMaterial: req.wrappedMaterial, createdMs: now })];
  next.lastRotationMs = now;
  if (req.onDemand) next.onDemandRotations = k.onDemandRotations + 1;
  else next.nextRotationMs = now + BigInt(k.rotationPeriodDays) * DAY_MS;
  ctx.put(key.kmsKey(k.keyId), KmsKeySchema, next);
  return create(RotateKmsKeyResponseSchema, { key: next, rotated: true });
}

export async function applyPutKmsImportParameters(ctx: ApplyContext, req: PutKmsImportParametersRequest): Promise<PutKmsImportParametersResponse> {
  const k = await requireKey(ctx, req.keyId);
  if (k.origin !== KmsKeyOrigin.EXTERNAL) throw new MetaError('KmsInvalidState', `key ${k.keyId} does not take imported material`, { keyId: k.keyId, state: 'Unsupported' });
  if (k.state !== KmsKeyState.PENDING_IMPORT) throw invalidState(k, 'material is imported only while the key is PendingImport');
  const p = req.import;
  if (!p) throw new MetaError('InvalidArgument', 'import parameters are required');
  checkMaterial(p.wrappedPrivateKey, 'a wrapped import private key', MAX_KMS_WRAPPED_PRIVATE_KEY_BYTES);
  checkMaterial(p.importToken, 'an import token', 256);
  if (p.expiresMs <= ctx.stamp.timeMs) throw new MetaError('InvalidArgument', 'import parameters expire in the future');
  const next = create(KmsKeySchema, { ...k, import: create(KmsImportParametersSchema, p) });
  ctx.put(key.kmsKey(k.keyId), KmsKeySchema, next);
  return create(PutKmsImportParametersResponseSchema, { key: next });
}

export async function applyImportKmsKeyMaterial(ctx: ApplyContext, req: ImportKmsKeyMaterialRequest): Promise<ImportKmsKeyMaterialResponse> {
  const k = await requireKey(ctx, req.keyId);
  if (k.origin !== KmsKeyOrigin.EXTERNAL) throw new MetaError('KmsInvalidState', `key ${k.keyId} does not take imported material`, { keyId: k.keyId, state: 'Unsupported' });
  if (k.state !== KmsKeyState.PENDING_IMPORT) throw invalidState(k, 'material is imported only while the key is PendingImport');
  checkMaterial(req.wrappedMaterial);
  const p = k.import;
  if (!p || !Buffer.from(p.importToken).equals(Buffer.from(req.importToken))) {
    throw new MetaError('InvalidArgument', 'the import token is not this key\'s current one', { reason: 'InvalidImportToken' });
  }
  if (ctx.stamp.timeMs > p.expiresMs) throw new MetaError('InvalidArgument', 'the import token has expired', { reason: 'ExpiredImportToken' });
  const next = create(KmsKeySchema, {
    ...k, state: KmsKeyState.ENABLED, import: undefined,
    versions: [create(KmsKeyVersionSchema, { version: 1, wrappedMaterial: req.wrappedMaterial, createdMs: ctx.stamp.timeMs })],
  });
  ctx.put(key.kmsKey(k.keyId), KmsKeySchema, next);
  return create(ImportKmsKeyMaterialResponseSchema, { key: next });
}

export async function applyCreateKmsAlias(ctx: ApplyContext, req: CreateKmsAliasRequest): Promise<CreateKmsAliasResponse> {
  const a = req.alias;
  if (!a) throw new MetaError('InvalidArgument', 'an alias is required');
  checkKmsAliasName(a.aliasName);
  const k = await requireKey(ctx, a.keyId);
  if (k.accountId !== a.accountId) throw new MetaError('NoSuchKmsKey', `key ${a.keyId} does not exist`, { keyId: a.keyId });
  if (k.state === KmsKeyState.PENDING_DELETION) throw invalidState(k, 'a key pending deletion gets no alias');
  if (await ctx.getRaw(key.kmsAlias(a.accountId, a.aliasName))) {
    throw new MetaError('EntityAlreadyExists', `alias ${a.aliasName} already exists`, { aliasName: a.aliasName });
  }
  if (await countRange(ctx, key.kmsAliasesOf(a.accountId), MAX_KMS_ALIASES_PER_ACCOUNT) >= MAX_KMS_ALIASES_PER_ACCOUNT) {
    throw new MetaError('LimitExceeded', `an account has at most ${MAX_KMS_ALIASES_PER_ACCOUNT} aliases`);
  }
  const stored = create(KmsAliasSchema, { accountId: a.accountId, aliasName: a.aliasName, keyId: a.keyId, createdMs: ctx.stamp.timeMs });
  ctx.put(key.kmsAlias(a.accountId, a.aliasName), KmsAliasSchema, stored);
  return create(CreateKmsAliasResponseSchema, { alias: stored });
}

export async function applyDeleteKmsAlias(ctx: ApplyContext, req: DeleteKmsAliasRequest): Promise<DeleteKmsAliasResponse> {
  checkAccountRef(req.accountId);
  checkKmsAliasName(req.aliasName);
  if (!(await ctx.getRaw(key.kmsAlias(req.accountId, req.aliasName)))) {
    throw new MetaError('NoSuchKmsKey', `alias ${req.aliasName} does not exist`, { aliasName: req.aliasName });
  }
  ctx.del(key.kmsAlias(req.accountId, req.aliasName));
  return create(DeleteKmsAliasResponseSchema, {});
}
