// Principal / NotPrincipal of bucket policies, both syntaxes:
//   IAM: "*", {"AWS": "*" | "123456789012" | "arn:aws:iam::<account>:root" | "arn:aws:iam::<account>:user/<path/>name"},
//        {"CanonicalUser": "<account>"}; {"Service"|"Federated": …} are accepted and never match.
//   RAM: "*", ["*"], ["<account or user id>"], {"RAM": ["acs:ram::<account>:root" | "acs:ram::<account>:user/<name>"]}.
// A match is `direct` (the principal itself, or everyone) or `account` (through its account):
// the decision treats an account-wide grant to a user as delegation, which the user's own
// policies must confirm.
import { PolicySyntaxError } from './policy-syntax-error.ts';
import type { RequestPrincipal } from './request-context.ts';

export type PrincipalEntry =
  | { readonly kind: 'any' }
  | { readonly kind: 'account'; readonly accountId: string }
  | { readonly kind: 'user'; readonly accountId: string; readonly userName: string }
  /** A bare RAM id: an account id or a user id. */
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'never'; readonly what: string };

export type PrincipalMatch = 'direct' | 'account' | false;

const IAM_ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::([^:]+):(root|user\/(?:[^/]+\/)*([^/]+))$/;
const RAM_ARN = /^acs:ram::([^:]+):(root|user\/([^/]+))$/;
const BARE_ID = /^[A-Za-z0-9._@-]{1,128}$/;

/** Throws PolicySyntaxError on anything it does not recognise. */
export function parsePrincipal(value: unknown): PrincipalEntry[] {
  if (value === '*') return [{ kind: 'any' }];
  if (Array.isArray(value)) return stringList(value, 'Principal').map(parseRamPrincipal);
  if (typeof value !== 'object' || value === null) throw new PolicySyntaxError('Principal must be "*", a list of ids or an object');
  const out: PrincipalEntry[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new PolicySyntaxError('Principal must name at least one principal');
  for (const [type, ids] of entries) {
    const list = typeof ids === 'string' ? [ids] : stringList(ids, `Principal ${type}`);
    switch (type) {
      case 'AWS': out.push(...list.map(parseIamPrincipal)); break;
      case 'RAM': out.push(...list.map(parseRamPrincipal)); break;
      case 'CanonicalUser': out.push(...list.map((id) => bareId(id, 'CanonicalUser'))); break;
      case 'Service': case 'Federated': out.push(...list.map((id) => ({ kind: 'never', what: `${type}:${id}` }) as const)); break;
      default: throw new PolicySyntaxError(`unknown principal type ${JSON.stringify(type)}`);
    }
  }
  return out;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new PolicySyntaxError(`${what} must be a string or a non-empty list of strings`);
  }
  return value as string[];
}

function bareId(id: string, what: string): PrincipalEntry {
  if (id === '*') return { kind: 'any' };
  if (!BARE_ID.test(id)) throw new PolicySyntaxError(`${what} principal ${JSON.stringify(id)} is not an id`);
  return { kind: 'id', id };
}

function parseIamPrincipal(id: string): PrincipalEntry {
  if (id === '*') return { kind: 'any' };
  if (IAM_ACCOUNT_ID.test(id)) return { kind: 'account', accountId: id };
  const m = IAM_ARN.exec(id);
  if (m) return m[2] === 'root' ? { kind: 'account', accountId: m[1]! } : { kind: 'user', accountId: m[1]!, userName: m[3]! };
  return bareId(id, 'AWS');
}

function parseRamPrincipal(id: string): PrincipalEntry {
  if (id === '*') return { kind: 'any' };
  const m = RAM_ARN.exec(id);
  if (m) return m[2] === 'root' ? { kind: 'account', accountId: m[1]! } : { kind: 'user', accountId: m[1]!, userName: m[3]! };
  if (id.startsWith('arn:')) return parseIamPrincipal(id);
  return bareId(id, 'RAM');
}

export function matchPrincipalEntry(entry: PrincipalEntry, p: RequestPrincipal): PrincipalMatch {
  switch (entry.kind) {
    case 'any': return 'direct';
    case 'never': return false;
    case 'account':
      if (p.type === 'anonymous' || p.accountId !== entry.accountId) return false;
      return p.type === 'account' ? 'direct' : 'account';
    case 'user':
      return p.type === 'user' && p.accountId === entry.accountId && p.userName === entry.userName ? 'direct' : false;
    case 'id':
      if (p.type === 'anonymous') return false;
      if (p.type === 'user' && p.userId === entry.id) return 'direct';
      if (p.accountId !== entry.id) return false;
      return p.type === 'account' ? 'direct' : 'account';
  }
}

/** The strongest match among the entries. */
export function matchPrincipals(entries: readonly PrincipalEntry[], p: RequestPrincipal): PrincipalMatch {
  let best: PrincipalMatch = false;
  for (const e of entries) {
    const m = matchPrincipalEntry(e, p);
    if (m === 'direct') return m;
    if (m) best = m;
  }
  return best;
}
