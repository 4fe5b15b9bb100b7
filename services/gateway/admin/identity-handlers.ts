// The admin API's identity resources: accounts, users, access keys and user policies. A new
// key's secret is made here, shown once in the answer, and sealed before it goes to meta.
import { randomBytes, randomInt } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  AccessKeySchema, AccessKeyStatus, type AccessKey, type Account, type User,
} from '../../common/gen/zonestore/meta/v1/identities_pb.ts';
import { maxPolicyBytes, parsePolicy } from '../authz/index.ts';
import { generateRootCredentials } from '../credentials/root-credentials.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import type { GatewayServices } from '../handlers/request-context.ts';
import type { AdminCaller } from './admin-permissions.ts';
import {
  checkName, createAccountBody, createUserBody, parseJsonBody, POLICY_NAME, updateKeyBody, USER_NAME, validated,
} from './admin-requests.ts';

export interface AdminAnswer {
  status: number;
  /** JSON value, or a string sent as is (a policy document). */
  body?: unknown;
}

export interface AdminCall {
  services: GatewayServices;
  caller: AdminCaller;
  /** The account the request works in (permission already checked). */
  accountId: string;
  params: Record<string, string>;
  body: Buffer;
}

const iso = (ms: bigint) => new Date(Number(ms)).toISOString();
const ACCOUNT_ID_DIGITS = 12;
const USER_ID_BYTES = 12;

export const accountJson = (a: Account) => ({ id: a.id, name: a.name, createdAt: iso(a.createdMs) });
export const userJson = (u: User) => ({
  name: u.name, id: u.id, accountId: u.accountId, arn: `arn:aws:iam::${u.accountId}:user/${u.name}`,
  ramArn: `acs:ram::${u.accountId}:user/${u.name}`, admin: u.admin, createdAt: iso(u.createdMs),
});
export const keyJson = (k: AccessKey) => ({
  accessKeyId: k.accessKeyId, status: k.status === AccessKeyStatus.ACTIVE ? 'Active' : 'Inactive', createdAt: iso(k.createdMs),
  ...(k.userName !== '' ? { userName: k.userName } : {}),
});

function identities(services: GatewayServices) {
  if (!services.identities) throw new StoreError('NotImplemented', 'this gateway has no identity store');
  return services.identities;
}

/** A new key, its secret sealed for meta; the plaintext only in `secretAccessKey`. */
function newKey(services: GatewayServices, accountId: string, userName: string): { record: AccessKey; secretAccessKey: string } {
  const { accessKeyId, secretAccessKey } = generateRootCredentials();
  const encryptedSecret = identities(services).sealer.seal(accessKeyId, secretAccessKey);
  return { record: create(AccessKeySchema, { accessKeyId, accountId, userName, encryptedSecret }), secretAccessKey };
}

const userParam = (c: AdminCall) => checkName(USER_NAME, c.params.user ?? '', 'user name');
const policyParam = (c: AdminCall) => checkName(POLICY_NAME, c.params.policy ?? '', 'policy name');

async function userOf(c: AdminCall): Promise<User> {
  const res = await metaCall(c.services.meta.call('getUser', { accountId: c.accountId, name: userParam(c) }));
  return res.user!;
}

export const identityHandlers = {
  async whoami(c: AdminCall): Promise<AdminAnswer> {
    const { caller } = c;
    const arn = caller.userName !== undefined ? `arn:aws:iam::${caller.accountId}:user/${caller.userName}` : `arn:aws:iam::${caller.accountId}:root`;
    return { status: 200, body: { accountId: caller.accountId, ...(caller.userName !== undefined ? { userName: caller.userName } : {}), arn, clusterAdmin: caller.clusterAdmin, admin: caller.admin } };
  },

  async createAccount(c: AdminCall): Promise<AdminAnswer> {
    const { name } = validated(createAccountBody, parseJsonBody(c.body));
    let id = '';
    for (let i = 0; i < ACCOUNT_ID_DIGITS; i++) id += String(randomInt(i === 0 ? 1 : 0, 10));
    const key = newKey(c.services, id, '');
    const res = await metaCall(c.services.meta.call('createAccount', { account: { id, name }, accessKey: key.record }));
    return { status: 201, body: { account: accountJson(res.account!), accessKey: { ...keyJson(res.accessKey!), secretAccessKey: key.secretAccessKey } } };
  },

  async listAccounts(c: AdminCall): Promise<AdminAnswer> {
    const res = await metaCall(c.services.meta.call('listAccounts', {}));
    return { status: 200, body: { accounts: res.accounts.map(accountJson) } };
  },

  async createUser(c: AdminCall): Promise<AdminAnswer> {
    const { name, admin } = validated(createUserBody, parseJsonBody(c.body));
    const id = 'U' + randomBytes(USER_ID_BYTES).toString('hex').toUpperCase();
    const res = await metaCall(c.services.meta.call('createUser', { accountId: c.accountId, name, id, admin: admin ?? false }));
    return { status: 201, body: { user: userJson(res.user!) } };
  },

  async listUsers(c: AdminCall): Promise<AdminAnswer> {
    const res = await metaCall(c.services.meta.call('listUsers', { accountId: c.accountId }));
    return { status: 200, body: { users: res.users.map(userJson) } };
  },

  async getUser(c: AdminCall): Promise<AdminAnswer> {
    return { status: 200, body: { user: userJson(await userOf(c)) } };
  },

  async deleteUser(c: AdminCall): Promise<AdminAnswer> {
    const userName = userParam(c);
    const keys = await metaCall(c.services.meta.call('listAccessKeys', { accountId: c.accountId, userName }));
    await metaCall(c.services.meta.call('deleteUser', { accountId: c.accountId, name: userName }));
    for (const k of keys.accessKeys) identities(c.services).forget(k.accessKeyId);
    return { status: 204 };
  },

  async createKey(c: AdminCall): Promise<AdminAnswer> {
    const key = newKey(c.services, c.accountId, userParam(c));
    const res = await metaCall(c.services.meta.call('createAccessKey', { accessKey: key.record }));
    return { status: 201, body: { accessKey: { ...keyJson(res.accessKey!), secretAccessKey: key.secretAccessKey } } };
  },

  async listKeys(c: AdminCall): Promise<AdminAnswer> {
    const res = await metaCall(c.services.meta.call('listAccessKeys', { accountId: c.accountId, userName: userParam(c) }));
    return { status: 200, body: { accessKeys: res.accessKeys.map(keyJson) } };
  },

  async updateKey(c: AdminCall): Promise<AdminAnswer> {
    const { status } = validated(updateKeyBody, parseJsonBody(c.body));
    const accessKeyId = c.params.keyId ?? '';
    const res = await metaCall(c.services.meta.call('updateAccessKey', {
      accountId: c.accountId, userName: userParam(c), accessKeyId,
      status: status === 'Active' ? AccessKeyStatus.ACTIVE : AccessKeyStatus.INACTIVE,
    }));
    identities(c.services).forget(accessKeyId);
    return { status: 200, body: { accessKey: keyJson(res.accessKey!) } };
  },

  async deleteKey(c: AdminCall): Promise<AdminAnswer> {
    const accessKeyId = c.params.keyId ?? '';
    await metaCall(c.services.meta.call('deleteAccessKey', { accountId: c.accountId, userName: userParam(c), accessKeyId }));
    identities(c.services).forget(accessKeyId);
    return { status: 204 };
  },

  async putPolicy(c: AdminCall): Promise<AdminAnswer> {
    const policyName = policyParam(c);
    if (c.body.length > maxPolicyBytes('user')) throw new StoreError('EntityTooLarge', `a user policy has at most ${maxPolicyBytes('user')} bytes`);
    const document = c.body.toString('utf8');
    const parsed = parsePolicy(document, 'user');
    if (!parsed.ok) throw parsed.error;
    await metaCall(c.services.meta.call('putUserPolicy', { accountId: c.accountId, userName: userParam(c), policyName, document }));
    return { status: 204 };
  },

  async listPolicies(c: AdminCall): Promise<AdminAnswer> {
    return { status: 200, body: { policies: Object.keys((await userOf(c)).policies).sort() } };
  },

  async getPolicy(c: AdminCall): Promise<AdminAnswer> {
    const name = policyParam(c);
    const doc = (await userOf(c)).policies[name];
    if (doc === undefined) throw new StoreError('NoSuchPolicy', `policy ${name} does not exist`);
    return { status: 200, body: doc };
  },

  async deletePolicy(c: AdminCall): Promise<AdminAnswer> {
    await metaCall(c.services.meta.call('deleteUserPolicy', { accountId: c.accountId, userName: userParam(c), policyName: policyParam(c) }));
    return { status: 204 };
  },
};
