// Identities in the state machine: accounts, users, keys and user policies; duplicates and
// dangling references refused; deleting a user takes its keys and policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  AccessKeySchema, AccessKeyStatus, AccountSchema, CreateAccessKeyRequestSchema, CreateAccountRequestSchema,
  CreateUserRequestSchema, DeleteAccessKeyRequestSchema, DeleteUserPolicyRequestSchema, DeleteUserRequestSchema,
  PutUserPolicyRequestSchema, UpdateAccessKeyRequestSchema,
} from '../../../services/common/gen/zonestore/meta/v1/identities_pb.ts';
import { getAccessKey, getUser, listAccessKeys, listAccounts, listUsers } from '../../../services/meta/queries/identity-queries.ts';
import { MAX_ACCESS_KEYS_PER_USER } from '../../../services/meta/limits.ts';

const ACCOUNT = '123456789012';
const secret = Uint8Array.of(1, 2, 3, 4);
const keyOf = (accessKeyId: string, accountId: string, userName = '') =>
  create(AccessKeySchema, { accessKeyId, accountId, userName, encryptedSecret: secret });
const op = {
  account: (id: string, name: string, keyId: string): Command['op'] => ({ case: 'createAccount', value: create(CreateAccountRequestSchema, { account: create(AccountSchema, { id, name }), accessKey: keyOf(keyId, id) }) }),
  user: (accountId: string, name: string, admin = false): Command['op'] => ({ case: 'createUser', value: create(CreateUserRequestSchema, { accountId, name, id: `U${name.replace(/[^A-Za-z0-9]/g, '')}00000000`, admin }) }),
  deleteUser: (accountId: string, name: string): Command['op'] => ({ case: 'deleteUser', value: create(DeleteUserRequestSchema, { accountId, name }) }),
  key: (accessKeyId: string, accountId: string, userName: string): Command['op'] => ({ case: 'createAccessKey', value: create(CreateAccessKeyRequestSchema, { accessKey: keyOf(accessKeyId, accountId, userName) }) }),
  status: (accountId: string, userName: string, accessKeyId: string, status: AccessKeyStatus): Command['op'] => ({ case: 'updateAccessKey', value: create(UpdateAccessKeyRequestSchema, { accountId, userName, accessKeyId, status }) }),
  deleteKey: (accountId: string, userName: string, accessKeyId: string): Command['op'] => ({ case: 'deleteAccessKey', value: create(DeleteAccessKeyRequestSchema, { accountId, userName, accessKeyId }) }),
  policy: (accountId: string, userName: string, policyName: string, document: string): Command['op'] => ({ case: 'putUserPolicy', value: create(PutUserPolicyRequestSchema, { accountId, userName, policyName, document }) }),
  deletePolicy: (accountId: string, userName: string, policyName: string): Command['op'] => ({ case: 'deleteUserPolicy', value: create(DeleteUserPolicyRequestSchema, { accountId, userName, policyName }) }),
};

async function withHarness(fn: (h: MetaHarness) => Promise<void>): Promise<void> {
  const h = await openHarness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('accounts: created with their own key; names and ids are unique', () => withHarness(async (h) => {
  await h.ok(op.account(ACCOUNT, 'team-a', 'AKIDTEAMA0000000001'));
  assert.equal((await h.refused(op.account(ACCOUNT, 'team-b', 'AKIDTEAMB0000000001'))).code, 'EntityAlreadyExists');
  assert.equal((await h.refused(op.account('999999999999', 'team-a', 'AKIDTEAMB0000000001'))).code, 'EntityAlreadyExists');
  assert.equal((await h.refused(op.account('12345', 'team-c', 'AKIDTEAMC0000000001'))).code, 'InvalidArgument');
  assert.deepEqual((await listAccounts(h.store)).accounts.map((a) => a.name), ['team-a']);
  const own = await getAccessKey(h.store, { accessKeyId: 'AKIDTEAMA0000000001' } as never);
  assert.equal(own.accessKey?.accountId, ACCOUNT);
  assert.equal(own.accessKey?.status, AccessKeyStatus.ACTIVE);
  assert.equal(own.user, undefined);
}));

test('users, keys and policies; a user deleted takes its keys and policies', () => withHarness(async (h) => {
  await h.ok(op.account(ACCOUNT, 'team-a', 'AKIDTEAMA0000000001'));
  await h.ok(op.user(ACCOUNT, 'alice', true));
  assert.equal((await h.refused(op.user(ACCOUNT, 'alice'))).code, 'EntityAlreadyExists');
  assert.equal((await h.refused(op.user('999999999999', 'bob'))).code, 'NoSuchAccount');
  await h.ok(op.user('root', 'ops'));
  assert.equal((await h.refused(op.key('AKIDALICE0000000001', ACCOUNT, 'nobody'))).code, 'NoSuchUser');
  await h.ok(op.key('AKIDALICE0000000001', ACCOUNT, 'alice'));
  assert.equal((await h.refused(op.key('AKIDALICE0000000001', ACCOUNT, 'alice'))).code, 'EntityAlreadyExists');
  for (let i = 2; i <= MAX_ACCESS_KEYS_PER_USER; i++) await h.ok(op.key(`AKIDALICE000000000${i}`, ACCOUNT, 'alice'));
  assert.equal((await h.refused(op.key('AKIDALICE0000000009', ACCOUNT, 'alice'))).code, 'LimitExceeded');
  await h.ok(op.policy(ACCOUNT, 'alice', 'read', '{"Version":"1"}'));
  assert.equal((await h.refused(op.policy(ACCOUNT, 'alice', 'big', 'x'.repeat(6 * 1024 + 1)))).code, 'InvalidArgument');
  assert.equal((await h.refused(op.deletePolicy(ACCOUNT, 'alice', 'nope'))).code, 'NoSuchPolicy');
  const withKey = await getAccessKey(h.store, { accessKeyId: 'AKIDALICE0000000001' } as never);
  assert.deepEqual([withKey.user?.name, withKey.user?.admin, withKey.user?.policies], ['alice', true, { read: '{"Version":"1"}' }]);

  await h.ok(op.status(ACCOUNT, 'alice', 'AKIDALICE0000000001', AccessKeyStatus.INACTIVE));
  assert.equal((await getAccessKey(h.store, { accessKeyId: 'AKIDALICE0000000001' } as never)).accessKey?.status, AccessKeyStatus.INACTIVE);
  assert.equal((await h.refused(op.status(ACCOUNT, '', 'AKIDALICE0000000001', AccessKeyStatus.ACTIVE))).code, 'NoSuchAccessKey', 'not the account\'s own key');
  await h.ok(op.deleteKey(ACCOUNT, 'alice', 'AKIDALICE0000000002'));
  assert.equal((await listAccessKeys(h.store, { accountId: ACCOUNT, userName: 'alice' } as never)).accessKeys.length, MAX_ACCESS_KEYS_PER_USER - 1);
  assert.deepEqual((await listAccessKeys(h.store, { accountId: ACCOUNT, userName: '' } as never)).accessKeys.map((k) => k.accessKeyId), ['AKIDTEAMA0000000001']);

  await h.ok(op.deleteUser(ACCOUNT, 'alice'));
  await assert.rejects(getAccessKey(h.store, { accessKeyId: 'AKIDALICE0000000001' } as never), { code: 'NoSuchAccessKey' });
  await assert.rejects(getUser(h.store, { accountId: ACCOUNT, name: 'alice' } as never), { code: 'NoSuchUser' });
  await h.ok(op.user(ACCOUNT, 'alice'));
  assert.deepEqual((await getUser(h.store, { accountId: ACCOUNT, name: 'alice' } as never)).user?.policies, {}, 'a new user of the same name starts clean');
  assert.equal((await listAccessKeys(h.store, { accountId: ACCOUNT, userName: 'alice' } as never)).accessKeys.length, 0);
  assert.deepEqual((await listUsers(h.store, { accountId: 'root' } as never)).users.map((u) => u.name), ['ops']);
}));
