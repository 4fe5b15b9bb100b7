// The shapes of identity names and ids (docs/admin-api.md): checked by the state machine so no
// replica stores a name the admin API would refuse, whoever proposed it.
import { MetaError } from '../meta-error.ts';

/** The cluster's own account: always exists, never stored, owns the buckets the root key creates. */
export const ROOT_ACCOUNT_ID = 'root';

const ACCOUNT_ID = /^[0-9]{12}$/;
const ACCOUNT_NAME = /^[a-z0-9-]{1,64}$/;
const USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const POLICY_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
const USER_ID = /^[A-Za-z0-9]{8,64}$/;
const ACCESS_KEY_ID = /^[A-Za-z0-9]{16,128}$/;

function check(ok: boolean, what: string, value: string): void {
  if (!ok) throw new MetaError('InvalidArgument', `invalid ${what} ${JSON.stringify(value.slice(0, 200))}`, { [what.replace(/ (.)/g, (_, c: string) => c.toUpperCase())]: value.slice(0, 200) });
}

export const checkAccountId = (id: string) => check(ACCOUNT_ID.test(id), 'account id', id);
/** Where an account is referred to, root is one too. */
export const checkAccountRef = (id: string) => check(id === ROOT_ACCOUNT_ID || ACCOUNT_ID.test(id), 'account id', id);
export const checkAccountName = (name: string) => check(ACCOUNT_NAME.test(name), 'account name', name);
export const checkUserName = (name: string) => check(USER_NAME.test(name), 'user name', name);
export const checkPolicyName = (name: string) => check(POLICY_NAME.test(name), 'policy name', name);
export const checkUserId = (id: string) => check(USER_ID.test(id), 'user id', id);
export const checkAccessKeyId = (id: string) => check(ACCESS_KEY_ID.test(id), 'access key id', id);

export function isValidUserName(name: string): boolean {
  return USER_NAME.test(name);
}
export function isValidPolicyName(name: string): boolean {
  return POLICY_NAME.test(name);
}
export function isValidAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}
