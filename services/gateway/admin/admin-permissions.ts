// Who may call what on the admin API (docs/admin-api.md), as a pure function of the caller.
import type { Authentication } from '../auth/index.ts';
import { ROOT_PRINCIPAL } from '../credentials/root-credentials.ts';

export interface AdminCaller {
  accountId: string;
  /** Set when a user's key signed. */
  userName?: string;
  /** The root account's key: everything, in any account. */
  clusterAdmin: boolean;
  /** May manage its account's users, keys and policies (an account's own key or an admin user). */
  admin: boolean;
}

/** What a route needs: the cluster admin, or an identity manager of the target account. */
export type AdminRequirement = 'any' | 'cluster-admin' | 'account-admin';

export function adminCallerOf(auth: Authentication & { anonymous: false }): AdminCaller {
  const clusterAdmin = auth.principal === ROOT_PRINCIPAL && !auth.user;
  return {
    accountId: auth.principal,
    ...(auth.user ? { userName: auth.user.userName } : {}),
    clusterAdmin,
    admin: clusterAdmin || !auth.user || auth.user.admin,
  };
}

/**
 * The account a request works in: the caller's own, or for the cluster admin the one
 * `?accountId=` names. Undefined when the caller may not choose that account.
 */
export function targetAccountOf(caller: AdminCaller, requested: string | undefined): string | undefined {
  if (requested === undefined || requested === '' || requested === caller.accountId) return caller.accountId;
  return caller.clusterAdmin ? requested : undefined;
}

/** Whether the caller meets a route's requirement. */
export function mayCall(caller: AdminCaller, requirement: AdminRequirement): boolean {
  switch (requirement) {
    case 'any': return true;
    case 'cluster-admin': return caller.clusterAdmin;
    case 'account-admin': return caller.admin;
  }
}
