// Applying identity commands: accounts, users, access keys and user policies. Ids and secrets
// come from the proposer (the gateway: random ids, sealed secrets), so apply is deterministic;
// here every reference is checked and every count limit enforced. Deleting a user removes its
// keys and policies in the same batch.
import { create } from '@bufbuild/protobuf';
import {
  AccessKeySchema, AccessKeyStatus, AccountSchema, CreateAccessKeyResponseSchema, CreateAccountResponseSchema,
  CreateUserResponseSchema, DeleteAccessKeyResponseSchema, DeleteUserPolicyResponseSchema, DeleteUserResponseSchema,
  PutUserPolicyResponseSchema, UpdateAccessKeyResponseSchema, UserSchema,
  type AccessKey, type CreateAccessKeyRequest, type CreateAccessKeyResponse, type CreateAccountRequest,
  type CreateAccountResponse, type CreateUserRequest, type CreateUserResponse, type DeleteAccessKeyRequest,
  type DeleteAccessKeyResponse, type DeleteUserPolicyRequest, type DeleteUserPolicyResponse, type DeleteUserRequest,
  type DeleteUserResponse, type PutUserPolicyRequest, type PutUserPolicyResponse, type UpdateAccessKeyRequest,
  type UpdateAccessKeyResponse, type User,
} from '../../common/gen/zonestore/meta/v1/identities_pb.ts';
import {
  MAX_ACCESS_KEYS_PER_USER, MAX_ACCOUNTS, MAX_POLICIES_PER_USER, MAX_SEALED_SECRET_BYTES, MAX_USER_POLICY_BYTES,
  MAX_USERS_PER_ACCOUNT,
} from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import {
  checkAccessKeyId, checkAccountId, checkAccountName, checkAccountRef, checkPolicyName, checkUserId, checkUserName,
  ROOT_ACCOUNT_ID,
} from '../rules/identity-names.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';
import { fromBinary } from '@bufbuild/protobuf';

async function requireAccount(ctx: ApplyContext, accountId: string): Promise<void> {
  checkAccountRef(accountId);
  if (accountId === ROOT_ACCOUNT_ID) return;
  if (!(await ctx.getRaw(key.account(accountId)))) throw new MetaError('NoSuchAccount', `account ${accountId} does not exist`, { accountId });
}

async function requireUser(ctx: ApplyContext, accountId: string, name: string): Promise<User> {
  await requireAccount(ctx, accountId);
  checkUserName(name);
  const u = await ctx.get(UserSchema, key.user(accountId, name));
  if (!u) throw new MetaError('NoSuchUser', `user ${name} does not exist`, { accountId, userName: name });
  return u;
}

async function countRange(ctx: ApplyContext, prefix: Uint8Array, limit: number): Promise<number> {
  return (await ctx.store.range({ gte: prefix, lt: prefixEnd(prefix)!, limit })).length;
}

function checkNewKey(k: AccessKey | undefined): AccessKey {
  if (!k) throw new MetaError('InvalidArgument', 'an access key is required');
  checkAccessKeyId(k.accessKeyId);
  if (k.encryptedSecret.length === 0 || k.encryptedSecret.length > MAX_SEALED_SECRET_BYTES) {
    throw new MetaError('InvalidArgument', `a sealed secret has 1 to ${MAX_SEALED_SECRET_BYTES} bytes`);
  }
  return k;
}

async function storeNewKey(ctx: ApplyContext, k: AccessKey): Promise<AccessKey> {
  if (await ctx.getRaw(key.accessKey(k.accessKeyId))) {
    throw new MetaError('EntityAlreadyExists', `access key ${k.accessKeyId} already exists`, { accessKeyId: k.accessKeyId });
  }
  const stored = create(AccessKeySchema, { ...k, status: AccessKeyStatus.ACTIVE, createdMs: ctx.stamp.timeMs });
  ctx.put(key.accessKey(k.accessKeyId), AccessKeySchema, stored);
  ctx.putRaw(key.keyIndex(k.accountId, k.userName, k.accessKeyId), new Uint8Array(0));
  return stored;
}

export async function applyCreateAccount(ctx: ApplyContext, req: CreateAccountRequest): Promise<CreateAccountResponse> {
  const account = req.account;
  if (!account) throw new MetaError('InvalidArgument', 'an account is required');
  checkAccountId(account.id);
  checkAccountName(account.name);
  const all = await ctx.store.range({ gte: key.accountPrefix(), lt: prefixEnd(key.accountPrefix())! });
  if (all.length >= MAX_ACCOUNTS) throw new MetaError('LimitExceeded', `at most ${MAX_ACCOUNTS} accounts`);
  for (const [, v] of all) {
    const a = fromBinary(AccountSchema, v);
    if (a.id === account.id || a.name === account.name) {
      throw new MetaError('EntityAlreadyExists', `account ${a.name === account.name ? account.name : account.id} already exists`, { accountName: account.name });
    }
  }
  const k = checkNewKey(req.accessKey);
  if (k.accountId !== account.id || k.userName !== '') throw new MetaError('InvalidArgument', "an account's own key belongs to it and to no user");
  const stored = create(AccountSchema, { id: account.id, name: account.name, createdMs: ctx.stamp.timeMs });
  ctx.put(key.account(account.id), AccountSchema, stored);
  const accessKey = await storeNewKey(ctx, k);
  return create(CreateAccountResponseSchema, { account: stored, accessKey });
}

export async function applyCreateUser(ctx: ApplyContext, req: CreateUserRequest): Promise<CreateUserResponse> {
  await requireAccount(ctx, req.accountId);
  checkUserName(req.name);
  checkUserId(req.id);
  if (await ctx.getRaw(key.user(req.accountId, req.name))) {
    throw new MetaError('EntityAlreadyExists', `user ${req.name} already exists`, { accountId: req.accountId, userName: req.name });
  }
  if (await countRange(ctx, key.usersOf(req.accountId), MAX_USERS_PER_ACCOUNT) >= MAX_USERS_PER_ACCOUNT) {
    throw new MetaError('LimitExceeded', `an account has at most ${MAX_USERS_PER_ACCOUNT} users`);
  }
  const user = create(UserSchema, { accountId: req.accountId, name: req.name, id: req.id, admin: req.admin, createdMs: ctx.stamp.timeMs });
  ctx.put(key.user(req.accountId, req.name), UserSchema, user);
  return create(CreateUserResponseSchema, { user });
}

export async function applyDeleteUser(ctx: ApplyContext, req: DeleteUserRequest): Promise<DeleteUserResponse> {
  await requireUser(ctx, req.accountId, req.name);
  const prefix = key.keysOf(req.accountId, req.name);
  for (const [k] of await ctx.store.range({ gte: prefix, lt: prefixEnd(prefix)! })) {
    const accessKeyId = Buffer.from(k.subarray(prefix.length)).toString('utf8');
    ctx.del(k);
    ctx.del(key.accessKey(accessKeyId));
  }
  ctx.del(key.user(req.accountId, req.name));
  return create(DeleteUserResponseSchema, {});
}

export async function applyCreateAccessKey(ctx: ApplyContext, req: CreateAccessKeyRequest): Promise<CreateAccessKeyResponse> {
  const k = checkNewKey(req.accessKey);
  if (k.userName === '') await requireAccount(ctx, k.accountId);
  else await requireUser(ctx, k.accountId, k.userName);
  if (k.accountId === ROOT_ACCOUNT_ID && k.userName === '') throw new MetaError('InvalidArgument', "the root account's key is the cluster's root key");
  if (await countRange(ctx, key.keysOf(k.accountId, k.userName), MAX_ACCESS_KEYS_PER_USER) >= MAX_ACCESS_KEYS_PER_USER) {
    throw new MetaError('LimitExceeded', `at most ${MAX_ACCESS_KEYS_PER_USER} access keys each`, { userName: k.userName });
  }
  return create(CreateAccessKeyResponseSchema, { accessKey: await storeNewKey(ctx, k) });
}

async function requireOwnKey(ctx: ApplyContext, accountId: string, userName: string, accessKeyId: string): Promise<AccessKey> {
  if (userName !== '') await requireUser(ctx, accountId, userName);
  else await requireAccount(ctx, accountId);
  const k = await ctx.get(AccessKeySchema, key.accessKey(accessKeyId));
  if (!k || k.accountId !== accountId || k.userName !== userName) {
    throw new MetaError('NoSuchAccessKey', `access key ${accessKeyId} does not exist`, { accessKeyId });
  }
  return k;
}

export async function applyUpdateAccessKey(ctx: ApplyContext, req: UpdateAccessKeyRequest): Promise<UpdateAccessKeyResponse> {
  const k = await requireOwnKey(ctx, req.accountId, req.userName, req.accessKeyId);
  if (req.status !== AccessKeyStatus.ACTIVE && req.status !== AccessKeyStatus.INACTIVE) {
    throw new MetaError('InvalidArgument', 'status is Active or Inactive');
  }
  const updated = create(AccessKeySchema, { ...k, status: req.status });
  ctx.put(key.accessKey(k.accessKeyId), AccessKeySchema, updated);
  return create(UpdateAccessKeyResponseSchema, { accessKey: updated });
}

export async function applyDeleteAccessKey(ctx: ApplyContext, req: DeleteAccessKeyRequest): Promise<DeleteAccessKeyResponse> {
  const k = await requireOwnKey(ctx, req.accountId, req.userName, req.accessKeyId);
  ctx.del(key.accessKey(k.accessKeyId));
  ctx.del(key.keyIndex(k.accountId, k.userName, k.accessKeyId));
  return create(DeleteAccessKeyResponseSchema, {});
}

export async function applyPutUserPolicy(ctx: ApplyContext, req: PutUserPolicyRequest): Promise<PutUserPolicyResponse> {
  const user = await requireUser(ctx, req.accountId, req.userName);
  checkPolicyName(req.policyName);
  if (Buffer.byteLength(req.document, 'utf8') > MAX_USER_POLICY_BYTES) {
    throw new MetaError('InvalidArgument', `a user policy has at most ${MAX_USER_POLICY_BYTES} bytes`);
  }
  if (!(req.policyName in user.policies) && Object.keys(user.policies).length >= MAX_POLICIES_PER_USER) {
    throw new MetaError('LimitExceeded', `a user has at most ${MAX_POLICIES_PER_USER} policies`);
  }
  ctx.put(key.user(req.accountId, req.userName), UserSchema, create(UserSchema, { ...user, policies: { ...user.policies, [req.policyName]: req.document } }));
  return create(PutUserPolicyResponseSchema, {});
}

export async function applyDeleteUserPolicy(ctx: ApplyContext, req: DeleteUserPolicyRequest): Promise<DeleteUserPolicyResponse> {
  const user = await requireUser(ctx, req.accountId, req.userName);
  if (!(req.policyName in user.policies)) throw new MetaError('NoSuchPolicy', `policy ${req.policyName} does not exist`, { policyName: req.policyName });
  const policies = { ...user.policies };
  delete policies[req.policyName];
  ctx.put(key.user(req.accountId, req.userName), UserSchema, create(UserSchema, { ...user, policies }));
  return create(DeleteUserPolicyResponseSchema, {});
}
