// The decision: may this principal do this to this resource, now? One pure function over what
// the gateway already holds (the caller's policies, the bucket's owner, policy, ACLs and
// settings, the request's facts). The order, documented with its table in
// docs/authorization.md:
//   1. sandbox          a sandboxed bucket refuses anonymous and other accounts' requests;
//   2. Referer          hotlink protection refuses anonymous / signed-URL object requests it rejects;
//   3. explicit Deny    a matching Deny in the user's policies or the bucket policy refuses;
//   4. account root     an account may do anything to what it owns (and where nothing is owned yet);
//   5. grants           user policies (identity side), bucket policy and ACLs (resource side):
//                       same account: either side suffices;
//                       another account's user: both sides are needed;
//                       another account's root or anonymous: the resource side;
//                       block public access drops public ACL grants (IgnorePublicAcls) and a public
//                       bucket policy's grants outside the owner's account (RestrictPublicBuckets);
//   6. otherwise        denied (default deny).
import { StoreError } from '../errors/store-error.ts';
import { aclGrants, effectiveObjectAcl, type AccessControlList, type ObjectAcl } from './acl.ts';
import { isPublicPolicy, NO_PUBLIC_ACCESS_BLOCK, type PublicAccessBlock } from './block-public-access.ts';
import { permissionInfo, type PermissionId } from './permissions.ts';
import type { Policy } from './policy-model.ts';
import { evaluatePolicy } from './policy-evaluation.ts';
import { checkReferer, type CompiledRefererConfiguration, type RefererVerdict } from './referer.ts';
import { EvaluationRequest, type RequestFacts, type RequestPrincipal } from './request-context.ts';
import { resourcePath } from './resources.ts';

/** S3 Object Ownership. BucketOwnerEnforced disables ACLs: only policies and ownership decide. */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** What the gateway knows of the bucket a request addresses. */
export interface BucketAccess {
  /** The owning account's id. */
  readonly owner: string;
  readonly policy?: Policy;
  readonly acl: AccessControlList;
  /** Default BucketOwnerPreferred (ACLs apply). */
  readonly objectOwnership?: ObjectOwnership;
  /** The bucket's setting combined with its account's (combinePublicAccessBlocks). */
  readonly publicAccessBlock?: PublicAccessBlock;
  readonly referer?: CompiledRefererConfiguration;
  readonly sandboxed?: boolean;
}

export interface AuthorizationRequest {
  readonly principal: RequestPrincipal;
  readonly permission: PermissionId;
  /** Absent for service-level requests (ListBuckets). */
  readonly bucket?: string;
  /** Present for object-level permissions. */
  readonly key?: string;
  readonly facts: RequestFacts;
  /** The policies attached to the user; ignored for account roots and anonymous requests. */
  readonly userPolicies?: readonly Policy[];
  /** The addressed bucket; absent for service-level requests, CreateBucket, or a bucket that does not exist. */
  readonly bucketAccess?: BucketAccess;
  /** The addressed object's ACL when the object exists; absent: the bucket's ACL applies. */
  readonly objectAcl?: ObjectAcl;
}

export type DecisionReason =
  | 'Sandbox' | 'RefererDenied' | 'ExplicitDeny' | 'ImplicitDeny'
  | 'AccountRoot' | 'UserPolicy' | 'BucketPolicy' | 'Acl';

export interface Decision {
  readonly allowed: boolean;
  readonly reason: DecisionReason;
  /** The deciding statement, when a policy decided: which policy (bucket or user policy index) and which statement. */
  readonly statement?: { readonly policy: 'bucket' | number; readonly index: number; readonly sid?: string };
  readonly referer?: RefererVerdict;
}

const decided = (allowed: boolean, reason: DecisionReason): Decision => ({ allowed, reason });

export function authorize(req: AuthorizationRequest): Decision {
  const { principal, bucketAccess: bucket } = req;
  const info = permissionInfo(req.permission);
  // A missing key would make `bucket/*` patterns miss: an Allow would fail closed, but a Deny would fail open.
  if (info.level === 'object' && (req.bucket === undefined || req.key === undefined)) {
    throw new TypeError(`authorize: ${info.name} is an object permission and needs a bucket and a key`);
  }
  if (info.level === 'bucket' && req.bucket === undefined) throw new TypeError(`authorize: ${info.name} needs a bucket`);
  const account = principal.type === 'anonymous' ? undefined : principal.accountId;
  const sameAccount = bucket !== undefined && account === bucket.owner;

  // 1. sandbox
  if (bucket?.sandboxed && !sameAccount) return decided(false, 'Sandbox');

  // 2. Referer hotlink protection: object requests that are anonymous or signed in the URL.
  if (bucket?.referer && info.level === 'object' && (principal.type === 'anonymous' || req.facts.authType === 'REST-QUERY-STRING')) {
    const verdict = checkReferer(bucket.referer, req.facts.referer);
    if (verdict !== 'allowed') return { allowed: false, reason: 'RefererDenied', referer: verdict };
  }

  // Where no bucket exists yet (CreateBucket, ListBuckets) the resource would be the caller's own.
  const r = new EvaluationRequest(principal, req.permission, resourcePath(req.bucket, req.key), bucket?.owner ?? account, req.facts);

  // 3. explicit Deny, and the Allows seen on the way.
  let userAllow: Decision['statement'];
  if (principal.type === 'user' && req.userPolicies) {
    for (let i = 0; i < req.userPolicies.length; i++) {
      const policy = req.userPolicies[i]!;
      const out = evaluatePolicy(policy, r);
      if (out.effect === 'Deny') return { allowed: false, reason: 'ExplicitDeny', statement: ref(policy, i, out.statement) };
      if (out.effect === 'Allow' && !userAllow) userAllow = ref(policy, i, out.statement);
    }
  }
  let policyMatch: 'direct' | 'account' | false = false;
  let policyAllow: Decision['statement'];
  if (bucket?.policy) {
    const out = evaluatePolicy(bucket.policy, r);
    if (out.effect === 'Deny') return { allowed: false, reason: 'ExplicitDeny', statement: ref(bucket.policy, 'bucket', out.statement) };
    const block = bucket.publicAccessBlock ?? NO_PUBLIC_ACCESS_BLOCK;
    if (out.effect === 'Allow' && !(block.restrictPublicBuckets && !sameAccount && isPublicPolicy(bucket.policy))) {
      policyMatch = out.principalMatch;
      policyAllow = ref(bucket.policy, 'bucket', out.statement);
    }
  }

  // 4. the account root
  if (principal.type === 'account' && (bucket === undefined || sameAccount)) return decided(true, 'AccountRoot');

  // 5. grants
  const identity = userAllow !== undefined;
  const aclMatch = bucket ? aclMatchFor(req, bucket) : false;
  const resourceDirect = policyMatch === 'direct' ? 'BucketPolicy' : aclMatch === 'direct' ? 'Acl' : undefined;
  const resourceAny = resourceDirect ?? (policyMatch ? 'BucketPolicy' : aclMatch ? 'Acl' : undefined);
  if (principal.type === 'user') {
    if (bucket === undefined || sameAccount) {
      if (identity) return allowedBy('UserPolicy', userAllow, policyAllow);
      if (resourceDirect) return allowedBy(resourceDirect, userAllow, policyAllow);
    } else if (identity && resourceAny) {
      return allowedBy(resourceAny, userAllow, policyAllow);
    }
  } else if (resourceDirect) {
    return allowedBy(resourceDirect, userAllow, policyAllow);
  }
  // 6. default deny
  return decided(false, 'ImplicitDeny');
}

// Module-level rather than closures inside authorize(): it runs per request, and a closure per call costs (tsx's keepNames wraps each one).
function allowedBy(reason: 'UserPolicy' | 'BucketPolicy' | 'Acl', userAllow: Decision['statement'], policyAllow: Decision['statement']): Decision {
  if (reason === 'Acl') return { allowed: true, reason };
  return { allowed: true, reason, statement: (reason === 'UserPolicy' ? userAllow : policyAllow)! };
}

function ref(policy: Policy, which: 'bucket' | number, index: number): NonNullable<Decision['statement']> {
  const sid = policy.statements[index]?.sid;
  return { policy: which, index, ...(sid !== undefined ? { sid } : {}) };
}

function aclMatchFor(req: AuthorizationRequest, bucket: BucketAccess): 'direct' | 'account' | false {
  const need = permissionInfo(req.permission).acl;
  if (!need || bucket.objectOwnership === 'BucketOwnerEnforced') return false;
  const ignorePublic = (bucket.publicAccessBlock ?? NO_PUBLIC_ACCESS_BLOCK).ignorePublicAcls;
  if (need.on === 'bucket') return aclGrants(bucket.acl, req.principal, need.grant, ignorePublic);
  const objectAcl = effectiveObjectAcl(req.objectAcl, bucket.acl);
  const onObject = aclGrants(objectAcl, req.principal, need.grant, ignorePublic);
  // Writing an object: the bucket's WRITE grant, or the object's own (OSS public-read-write objects).
  if (need.grant === 'WRITE' && onObject !== 'direct' && objectAcl !== bucket.acl) {
    return aclGrants(bucket.acl, req.principal, 'WRITE', ignorePublic) || onObject;
  }
  return onObject;
}

/** OSS's error-center codes (EC) for its hotlink-protection refusals, by verdict. */
const REFERER_DENIAL_EC: Record<Exclude<RefererVerdict, 'allowed'>, string> = {
  'empty-referer-denied': '0003-00000501', blacklisted: '0003-00000502', 'not-whitelisted': '0003-00000503',
};

/** The StoreError a refusal answers with (403 AccessDenied in both dialects; a Referer refusal with OSS's message and EC). */
export function accessDeniedError(decision: Decision, details: Record<string, string> = {}): StoreError {
  if (decision.reason === 'RefererDenied') {
    const ec = decision.referer && decision.referer !== 'allowed' ? REFERER_DENIAL_EC[decision.referer] : undefined;
    return new StoreError('AccessDenied', 'You are denied by bucket referer policy.', { ...details, ...(ec ? { EC: ec } : {}) });
  }
  const why: Record<DecisionReason, string> = {
    Sandbox: 'the bucket is in the sandbox (only its owner\'s signed requests pass)', RefererDenied: 'the Referer is not allowed by the bucket\'s hotlink protection',
    ExplicitDeny: 'an explicit deny in a policy', ImplicitDeny: 'no policy or ACL allows it',
    AccountRoot: '', UserPolicy: '', BucketPolicy: '', Acl: '',
  };
  return new StoreError('AccessDenied', `Access Denied: ${why[decision.reason] || 'denied'}`, details);
}
