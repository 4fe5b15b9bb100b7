// The admin API's routes: method and path (under /_zonestore/admin/v1/) → handler and the
// permission it needs. Path segments are percent-decoded once, here.
import type { AdminRequirement } from './admin-permissions.ts';

export type AdminRouteName =
  | 'whoami' | 'createAccount' | 'listAccounts'
  | 'createUser' | 'listUsers' | 'getUser' | 'deleteUser'
  | 'createKey' | 'listKeys' | 'updateKey' | 'deleteKey'
  | 'putPolicy' | 'listPolicies' | 'getPolicy' | 'deletePolicy'
  | 'putSandbox' | 'getSandbox' | 'deleteSandbox'
  | 'queryLogs';

export interface AdminRoute {
  name: AdminRouteName;
  requirement: AdminRequirement;
  /** Decoded path parameters: user, keyId, policy, bucket. */
  params: Record<string, string>;
}

export const ADMIN_API_BASE = '/_zonestore/admin/v1';

type Table = Array<[method: string, pattern: string, name: AdminRouteName, requirement: AdminRequirement]>;
const ROUTES: Table = [
  ['GET', '/whoami', 'whoami', 'any'],
  ['POST', '/accounts', 'createAccount', 'cluster-admin'],
  ['GET', '/accounts', 'listAccounts', 'cluster-admin'],
  ['POST', '/users', 'createUser', 'account-admin'],
  ['GET', '/users', 'listUsers', 'account-admin'],
  ['GET', '/users/:user', 'getUser', 'account-admin'],
  ['DELETE', '/users/:user', 'deleteUser', 'account-admin'],
  ['POST', '/users/:user/keys', 'createKey', 'account-admin'],
  ['GET', '/users/:user/keys', 'listKeys', 'account-admin'],
  ['PATCH', '/users/:user/keys/:keyId', 'updateKey', 'account-admin'],
  ['DELETE', '/users/:user/keys/:keyId', 'deleteKey', 'account-admin'],
  ['PUT', '/users/:user/policies/:policy', 'putPolicy', 'account-admin'],
  ['GET', '/users/:user/policies', 'listPolicies', 'account-admin'],
  ['GET', '/users/:user/policies/:policy', 'getPolicy', 'account-admin'],
  ['DELETE', '/users/:user/policies/:policy', 'deletePolicy', 'account-admin'],
  ['PUT', '/buckets/:bucket/sandbox', 'putSandbox', 'cluster-admin'],
  ['GET', '/buckets/:bucket/sandbox', 'getSandbox', 'cluster-admin'],
  ['DELETE', '/buckets/:bucket/sandbox', 'deleteSandbox', 'cluster-admin'],
  ['POST', '/logs/query', 'queryLogs', 'cluster-admin'],
];

export type RouteMatch = { route: AdminRoute } | { error: 'NotFound' | 'MethodNotAllowed' };

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.startsWith(':')) {
      if (segments[i] === '') return undefined;
      params[p.slice(1)] = segments[i]!;
    } else if (p !== segments[i]) return undefined;
  }
  return params;
}

/** The route of `method` `path` (the path below the base, raw). */
export function matchAdminRoute(method: string, rawPath: string): RouteMatch {
  if (!rawPath.startsWith(ADMIN_API_BASE + '/')) return { error: 'NotFound' };
  let segments: string[];
  try {
    segments = rawPath.slice(ADMIN_API_BASE.length + 1).replace(/\/$/, '').split('/').map((s) => decodeURIComponent(s));
  } catch {
    return { error: 'NotFound' };
  }
  let pathMatched = false;
  for (const [m, pattern, name, requirement] of ROUTES) {
    const params = matchPattern(pattern, segments);
    if (!params) continue;
    pathMatched = true;
    if (m === method) return { route: { name, requirement, params } };
  }
  return { error: pathMatched ? 'MethodNotAllowed' : 'NotFound' };
}
