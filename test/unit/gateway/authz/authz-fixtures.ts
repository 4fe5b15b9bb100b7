// Shared builders for the authorization tests: principals, facts, a parsed policy (failing the
// test when it does not parse), and a request with defaults that tests override.
import assert from 'node:assert/strict';
import {
  authorize, cannedAcl, parsePolicy, permissionId, permissionInfo,
  type AuthorizationRequest, type BucketAccess, type Decision, type Policy, type PolicyKind, type RequestFacts, type RequestPrincipal,
} from '../../../../services/gateway/authz/index.ts';

export const OWNER = '111122223333';
export const OTHER = '444455556666';
export const owner: RequestPrincipal = { type: 'account', accountId: OWNER };
export const otherAccount: RequestPrincipal = { type: 'account', accountId: OTHER };
export const alice: RequestPrincipal = { type: 'user', accountId: OWNER, userId: 'u-alice', userName: 'alice' };
export const mallory: RequestPrincipal = { type: 'user', accountId: OTHER, userId: 'u-mallory', userName: 'mallory' };
export const anonymous: RequestPrincipal = { type: 'anonymous' };

/** 2026-12-07T12:00:00Z */
export const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
export const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  currentTime: NOW, secureTransport: true, sourceIp: '10.1.2.3', authType: 'REST-HEADER', ...over,
});

export function policy(doc: unknown, kind: PolicyKind = 'bucket'): Policy {
  const r = parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind);
  if (!r.ok) assert.fail(`policy should parse: ${r.error.message}`);
  return r.policy;
}

export function malformed(doc: unknown, kind: PolicyKind = 'bucket'): string {
  const r = parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind);
  if (r.ok) assert.fail('policy should be MalformedPolicy');
  assert.equal(r.error.code, 'MalformedPolicy');
  assert.equal(r.error.status, 400);
  return r.error.message;
}

export const iam = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
export const ram = (...Statement: unknown[]) => ({ Version: '1', Statement });

export function perm(name: string): number {
  const id = permissionId(name);
  assert.ok(id !== undefined, `permission ${name}`);
  return id;
}

export function bucketAccess(over: Partial<BucketAccess> = {}): BucketAccess {
  return { owner: OWNER, acl: cannedAcl('private', OWNER), ...over };
}

export interface Ask {
  principal?: RequestPrincipal;
  action?: string;
  bucket?: string;
  key?: string;
  facts?: Partial<RequestFacts>;
  userPolicies?: Policy[];
  bucketAccess?: BucketAccess | null;
  objectAcl?: AuthorizationRequest['objectAcl'];
}

/** A GetObject of b/photos/cat.jpg by the owner unless told otherwise. */
export function ask(a: Ask = {}): Decision {
  const action = a.action ?? 'GetObject';
  const level = permissionInfo(perm(action)).level;
  return authorize({
    principal: a.principal ?? owner,
    permission: perm(action),
    ...(level === 'service' ? {} : { bucket: a.bucket ?? 'b' }),
    ...(level === 'object' ? { key: a.key ?? 'photos/cat.jpg' } : {}),
    facts: facts(a.facts),
    ...(a.userPolicies ? { userPolicies: a.userPolicies } : {}),
    ...(a.bucketAccess === null || level === 'service' ? {} : { bucketAccess: a.bucketAccess ?? bucketAccess() }),
    ...(a.objectAcl !== undefined ? { objectAcl: a.objectAcl } : {}),
  });
}

export const allowAllUser = (): Policy => policy(iam({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'user');
