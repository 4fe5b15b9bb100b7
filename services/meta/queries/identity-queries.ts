// Reading identities: one key by id (with its user and the user's policies: what the gateway
// needs to authenticate and authorize in one read), users, keys and accounts.
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  AccessKeySchema, AccountSchema, GetAccessKeyResponseSchema, GetUserResponseSchema, ListAccessKeysResponseSchema,
  ListAccountsResponseSchema, ListUsersResponseSchema, UserSchema,
  type GetAccessKeyRequest, type GetAccessKeyResponse, type GetUserRequest, type GetUserResponse,
  type ListAccessKeysRequest, type ListAccessKeysResponse, type ListAccountsResponse, type ListUsersRequest,
  type ListUsersResponse,
} from '../../common/gen/zonestore/meta/v1/identities_pb.ts';
import { MetaError } from '../meta-error.ts';
import { checkAccountRef, checkUserName, ROOT_ACCOUNT_ID } from '../rules/identity-names.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

async function requireAccount(store: MetaStateStore, accountId: string): Promise<void> {
  checkAccountRef(accountId);
  if (accountId !== ROOT_ACCOUNT_ID && !(await store.getRaw(key.account(accountId)))) {
    throw new MetaError('NoSuchAccount', `account ${accountId} does not exist`, { accountId });
  }
}

export async function getAccessKey(store: MetaStateStore, req: GetAccessKeyRequest): Promise<GetAccessKeyResponse> {
  const accessKey = req.accessKeyId === '' ? undefined : await store.get(AccessKeySchema, key.accessKey(req.accessKeyId));
  if (!accessKey) throw new MetaError('NoSuchAccessKey', `access key ${req.accessKeyId} does not exist`, { accessKeyId: req.accessKeyId });
  const user = accessKey.userName === '' ? undefined : await store.get(UserSchema, key.user(accessKey.accountId, accessKey.userName));
  return create(GetAccessKeyResponseSchema, { accessKey, ...(user ? { user } : {}) });
}

export async function getUser(store: MetaStateStore, req: GetUserRequest): Promise<GetUserResponse> {
  await requireAccount(store, req.accountId);
  checkUserName(req.name);
  const user = await store.get(UserSchema, key.user(req.accountId, req.name));
  if (!user) throw new MetaError('NoSuchUser', `user ${req.name} does not exist`, { accountId: req.accountId, userName: req.name });
  return create(GetUserResponseSchema, { user });
}

export async function listUsers(store: MetaStateStore, req: ListUsersRequest): Promise<ListUsersResponse> {
  await requireAccount(store, req.accountId);
  const prefix = key.usersOf(req.accountId);
  const out = create(ListUsersResponseSchema, {});
  for (const [, v] of await store.range({ gte: prefix, lt: prefixEnd(prefix)! })) out.users.push(fromBinary(UserSchema, v));
  return out;
}

/** A user's keys (or, user name empty, the account's own), in id order. */
export async function listAccessKeys(store: MetaStateStore, req: ListAccessKeysRequest): Promise<ListAccessKeysResponse> {
  if (req.userName !== '') await getUser(store, { accountId: req.accountId, name: req.userName } as GetUserRequest);
  else await requireAccount(store, req.accountId);
  const prefix = key.keysOf(req.accountId, req.userName);
  const out = create(ListAccessKeysResponseSchema, {});
  for (const [k] of await store.range({ gte: prefix, lt: prefixEnd(prefix)! })) {
    const accessKey = await store.get(AccessKeySchema, key.accessKey(Buffer.from(k.subarray(prefix.length)).toString('utf8')));
    if (accessKey) out.accessKeys.push(accessKey);
  }
  return out;
}

export async function listAccounts(store: MetaStateStore): Promise<ListAccountsResponse> {
  const out = create(ListAccountsResponseSchema, {});
  for (const [, v] of await store.range({ gte: key.accountPrefix(), lt: prefixEnd(key.accountPrefix())! })) out.accounts.push(fromBinary(AccountSchema, v));
  return out;
}
