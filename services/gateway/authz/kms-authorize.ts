// The decision for a key-service action (issue #12), pure like authorize(): the caller's
// IAM/RAM policies (identity side) and the key's policy (resource side), AWS KMS's way:
//   1. explicit Deny     a matching Deny in the user's policies or the key policy refuses;
//   2. account root      an account may do anything to its own keys;
//   3. key policy        a statement naming the principal itself allows (another account's root
//                        too); one naming the principal's account ("arn:aws:iam::<acct>:root",
//                        what the default policy says) only lets the account's IAM policies decide:
//                        the user's own policies must allow as well;
//   4. another account's user needs both: the key policy (either way) and its own policies;
//   5. otherwise         denied.
// A key without a policy has the default one: its account (root) has full access, so its users
// are governed by their IAM policies. Account-level actions (CreateKey, ListKeys, ListAliases)
// have no key: the account root may, a user needs its own policies.
import type { Policy } from './policy-model.ts';
import { evaluatePolicy } from './policy-evaluation.ts';
import { permissionId, type PermissionId } from './permissions.ts';
import { EvaluationRequest, type RequestFacts, type RequestPrincipal } from './request-context.ts';

export interface KmsKeyTarget {
  readonly accountId: string;
  readonly keyId: string;
  /** The key's parsed policy; undefined: the default policy. */
  readonly policy?: Policy;
}

export interface KmsAuthorizationRequest {
  readonly principal: RequestPrincipal;
  /** `kms:Encrypt` … */
  readonly action: string;
  /** Absent for account-level actions. */
  readonly key?: KmsKeyTarget;
  /** The account an account-level action acts in (the caller's own). */
  readonly accountId?: string;
  readonly userPolicies?: readonly Policy[];
  readonly facts: RequestFacts;
}

export type KmsDecision = { readonly allowed: boolean; readonly reason: 'ExplicitDeny' | 'ImplicitDeny' | 'AccountRoot' | 'KeyPolicy' | 'UserPolicy' };

export function kmsPermissionId(action: string): PermissionId {
  const id = permissionId(action);
  if (id === undefined) throw new TypeError(`no kms permission ${action}`);
  return id;
}

export function authorizeKms(req: KmsAuthorizationRequest): KmsDecision {
  const { principal } = req;
  if (principal.type === 'anonymous') return { allowed: false, reason: 'ImplicitDeny' };
  const owner = req.key?.accountId ?? req.accountId ?? principal.accountId;
  const r = new EvaluationRequest(principal, kmsPermissionId(req.action), req.key ? `key/${req.key.keyId}` : '', owner, req.facts);
  let identity = false;
  if (principal.type === 'user') {
    for (const p of req.userPolicies ?? []) {
      const out = evaluatePolicy(p, r);
      if (out.effect === 'Deny') return { allowed: false, reason: 'ExplicitDeny' };
      if (out.effect === 'Allow') identity = true;
    }
  }
  const sameAccount = principal.accountId === owner;
  if (!req.key) {
    if (principal.type === 'account' && sameAccount) return { allowed: true, reason: 'AccountRoot' };
    return identity && sameAccount ? { allowed: true, reason: 'UserPolicy' } : { allowed: false, reason: 'ImplicitDeny' };
  }
  let resource: 'direct' | 'account' | false;
  if (req.key.policy) {
    const out = evaluatePolicy(req.key.policy, r);
    if (out.effect === 'Deny') return { allowed: false, reason: 'ExplicitDeny' };
    resource = out.effect === 'Allow' ? out.principalMatch : false;
  } else {
    resource = sameAccount ? 'account' : false;
  }
  if (principal.type === 'account') {
    if (sameAccount || resource) return { allowed: true, reason: sameAccount ? 'AccountRoot' : 'KeyPolicy' };
    return { allowed: false, reason: 'ImplicitDeny' };
  }
  if (sameAccount) {
    if (resource === 'direct') return { allowed: true, reason: 'KeyPolicy' };
    if (resource === 'account' && identity) return { allowed: true, reason: 'UserPolicy' };
    return { allowed: false, reason: 'ImplicitDeny' };
  }
  return resource && identity ? { allowed: true, reason: 'KeyPolicy' } : { allowed: false, reason: 'ImplicitDeny' };
}
