// Authorization of every request, after authentication and header normalization: the request's
// principal (an account's key, or anonymous for an unsigned request), its facts and the
// permission checks of its operation (requiredPermissions) go to the pure authorize() once per
// check, with the addressed bucket's owner, ACL and policy and, where an ACL grant could decide,
// the object's own ACL. DeleteObjects names its keys in the body: its handler checks each key
// through the returned authorizer. Bucket records come from the gateway's short bucket cache
// (BUCKET_CACHE_MS), so a policy or ACL change reaches other gateways within that time.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { Authentication } from '../auth/index.ts';
import {
  accessDeniedError, authorize, permissionId, permissionInfo, requestFacts, requiredPermissions,
  type AuthType, type ObjectAcl, type PermissionCheck, type RequestFacts, type RequestPrincipal,
  parsePolicy, type Policy,
} from '../authz/index.ts';
import type { ParsedRequest } from '../dialect/operation.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { isStoreError } from '../errors/store-error.ts';
import { bucketAccessOf, objectAclOf } from '../handlers/access-documents.ts';
import type { GatewayServices } from '../handlers/request-context.ts';
import { parseCopySource } from '../s3/index.ts';

const ACL_HEADERS = ['x-amz-acl', 'x-oss-acl', 'x-oss-object-acl', 'x-amz-grant-read', 'x-amz-grant-write',
  'x-amz-grant-read-acp', 'x-amz-grant-write-acp', 'x-amz-grant-full-control'];

/** What DeleteObjects' handler asks per key of its body. */
export interface RequestAuthorizer {
  /** Throws AccessDenied unless the request may delete this key (version). */
  checkEachKey(key: string, versionId: string | undefined): Promise<void>;
  /** Whether the caller holds `permission` on the request's bucket (and `key`), without refusing. */
  allows(permission: string, key?: string): Promise<boolean>;
}

export interface AuthorizationInput {
  readonly request: ParsedRequest;
  readonly auth: Authentication;
  readonly req: IncomingMessage;
  readonly services: GatewayServices;
}

export function principalOf(auth: Authentication): RequestPrincipal {
  if (auth.anonymous) return { type: 'anonymous' };
  if (auth.user) return { type: 'user', accountId: auth.principal, userId: auth.user.userId, userName: auth.user.userName };
  return { type: 'account', accountId: auth.principal };
}

/** Parsed user policies by document text: a policy is parsed once, not per request. */
const parsedUserPolicies = new Map<string, Policy | undefined>();
/** Most documents kept parsed (oldest dropped first). */
export const MAX_PARSED_USER_POLICIES = 10_000;

/** The signing user's policies, parsed (a document that no longer parses counts as absent). */
export function userPoliciesOf(auth: Authentication): Policy[] {
  if (auth.anonymous || !auth.user) return [];
  const out: Policy[] = [];
  for (const text of Object.values(auth.user.policies)) {
    let p = parsedUserPolicies.get(text);
    if (!parsedUserPolicies.has(text)) {
      const r = parsePolicy(text, 'user');
      p = r.ok ? r.policy : undefined;
      if (parsedUserPolicies.size >= MAX_PARSED_USER_POLICIES) parsedUserPolicies.delete(parsedUserPolicies.keys().next().value!);
      parsedUserPolicies.set(text, p);
    }
    if (p) out.push(p);
  }
  return out;
}

function one(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function authTypeOf(auth: Authentication, req: IncomingMessage): AuthType | undefined {
  if (auth.anonymous) return undefined;
  return one(req, 'authorization') !== undefined ? 'REST-HEADER' : 'REST-QUERY-STRING';
}

function signatureVersionOf(auth: Authentication, req: IncomingMessage, query: ReadonlyMap<string, string>): string | undefined {
  if (auth.anonymous) return undefined;
  const scheme = one(req, 'authorization')?.trim().split(/[\s:]/)[0];
  if (scheme) return scheme;
  const alg = query.get('X-Amz-Algorithm') ?? query.get('x-oss-signature-version');
  return alg ?? (query.has('OSSAccessKeyId') ? 'OSS' : undefined);
}

/** The bucket record, or undefined when it does not exist (authorize() then decides without one). */
async function bucketOrNone(services: GatewayServices, name: string): Promise<Bucket | undefined> {
  try {
    return await services.buckets.get(name);
  } catch (raw) {
    if (isStoreError(raw) && raw.code === 'NoSuchBucket') return undefined;
    const mapped = raw;
    if (isStoreError(mapped) && mapped.code === 'InvalidBucketName') return undefined;
    throw raw;
  }
}

/** The object's own ACL when an ACL grant on it could decide the check; undefined otherwise or when it does not exist. */
async function objectAclFor(services: GatewayServices, bucket: Bucket, key: string, versionId: string): Promise<ObjectAcl | undefined> {
  try {
    const { version } = await metaCall(services.meta.call('getObject', { bucket: bucket.name, key, versionId }));
    return version && !version.deleteMarker ? objectAclOf(version) : undefined;
  } catch (err) {
    if (isStoreError(err) && (err.code === 'NoSuchKey' || err.code === 'NoSuchVersion' || err.code === 'InvalidArgument' || err.code === 'MethodNotAllowed')) return undefined;
    throw err;
  }
}

/** What policy conditions see of a request: transport, source, signature form, headers, query. */
export function requestFactsOf(auth: Authentication, req: IncomingMessage, query: ReadonlyMap<string, string>, nowMs: number): RequestFacts {
  return requestFacts({
    currentTime: nowMs,
    secureTransport: (req.socket as Partial<TLSSocket>).encrypted === true,
    sourceIp: req.socket.remoteAddress,
    authType: authTypeOf(auth, req),
    signatureVersion: signatureVersionOf(auth, req, query),
    headers: req.headers,
    query,
  });
}

/**
 * Decides the request; throws AccessDenied (or a lookup failure) when any check is refused.
 * `nowMs` is the clock's reading for time conditions.
 */
export async function authorizeRequest(input: AuthorizationInput, nowMs: number): Promise<RequestAuthorizer> {
  const { request, auth, req, services } = input;
  const principal = principalOf(auth);
  const userPolicies = userPoliciesOf(auth);
  const facts = requestFactsOf(auth, req, request.query, nowMs);
  const copyHeader = one(req, 'x-amz-copy-source');
  const copySource = copyHeader !== undefined && (request.operation === 'CopyObject' || request.operation === 'UploadPartCopy')
    ? parseCopySource(copyHeader) : undefined;
  const checks = requiredPermissions(request.operation, {
    versionId: request.query.has('versionId'),
    sourceVersionId: copySource?.versionId !== undefined,
    setsAcl: ACL_HEADERS.some((h) => req.headers[h] !== undefined),
  });
  const buckets = new Map<string, Promise<Bucket | undefined>>();
  const bucketNamed = (name: string) => {
    let p = buckets.get(name);
    if (!p) buckets.set(name, p = bucketOrNone(services, name));
    return p;
  };

  const decide = async (check: PermissionCheck, bucketName: string | undefined, key: string | undefined, versionId: string): Promise<void> => {
    const level = permissionInfo(check.permission).level;
    // CreateBucket is decided where nothing is owned yet (the account root may; anonymous may not).
    const bucket = level === 'service' || bucketName === undefined || request.operation === 'CreateBucket' ? undefined : await bucketNamed(bucketName);
    const access = bucket ? bucketAccessOf(bucket) : undefined;
    const ownRoot = principal.type === 'account' && bucket !== undefined && bucket.owner === principal.accountId;
    const aclOnObject = permissionInfo(check.permission).acl?.on === 'object';
    const objectAcl = bucket && key !== undefined && aclOnObject && !ownRoot ? await objectAclFor(services, bucket, key, versionId) : undefined;
    const d = authorize({
      principal, permission: check.permission, facts, userPolicies,
      ...(level !== 'service' && bucketName !== undefined ? { bucket: bucketName } : {}),
      ...(level === 'object' && key !== undefined ? { key } : {}),
      ...(access ? { bucketAccess: access } : {}),
      ...(objectAcl !== undefined ? { objectAcl } : {}),
    });
    if (!d.allowed) {
      services.log.debug({ operation: request.operation, permission: check.name, reason: d.reason, statement: d.statement }, 'request denied');
      throw accessDeniedError(d, bucketName === undefined ? {} : { BucketName: bucketName, ...(key !== undefined ? { Key: key } : {}) });
    }
  };

  const versionId = request.query.get('versionId') ?? '';
  for (const check of checks) {
    if (check.target === 'each-key') continue;
    if (check.target === 'copy-source') {
      await decide(check, copySource!.bucket, copySource!.key, copySource!.versionId ?? '');
    } else {
      // An object permission with no key (a malformed request) is left to the handler's own refusal.
      const level = permissionInfo(check.permission).level;
      if (level === 'object' && (request.key === undefined || request.key === '')) continue;
      if (level === 'bucket' && request.bucket === undefined) continue;
      await decide(check, request.bucket, level === 'object' ? request.key : undefined, versionId);
    }
  }
  const eachKey = checks.filter((c) => c.target === 'each-key');
  return {
    async allows(name, key) {
      const permission = permissionId(name);
      if (permission === undefined) return false;
      try {
        await decide({ permission, name, target: 'object' }, request.bucket, key ?? request.key, versionId);
        return true;
      } catch (err) {
        if (isStoreError(err, 'AccessDenied')) return false;
        throw err;
      }
    },
    async checkEachKey(key, keyVersionId) {
      for (const check of eachKey) {
        const c = keyVersionId ? requiredPermissions('DeleteObject', { versionId: true })[0]! : check;
        await decide(c, request.bucket, key, keyVersionId ?? '');
      }
    },
  };
}
