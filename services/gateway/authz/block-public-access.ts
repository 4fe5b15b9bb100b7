// Block public access (S3's PublicAccessBlockConfiguration; OSS's BlockPublicAccess is the
// four flags at once) and what counts as "public". Two flags act when a request is decided
// (IgnorePublicAcls, RestrictPublicBuckets: see authorize.ts); two act when an ACL or a policy is
// stored (BlockPublicAcls, BlockPublicPolicy: `refusePublicAcl`, `refusePublicPolicy`).
import { StoreError } from '../errors/store-error.ts';
import { isPublicAcl, type AccessControlList } from './acl.ts';
import type { ConditionClause } from './conditions.ts';
import { parseCidr } from './ip-address.ts';
import type { Policy, Statement } from './policy-model.ts';

export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export const NO_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = {
  blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false,
};

/** An account-wide and a bucket setting together: a flag set in either holds. */
export function combinePublicAccessBlocks(...blocks: ReadonlyArray<PublicAccessBlock | undefined>): PublicAccessBlock {
  const on = (k: keyof PublicAccessBlock) => blocks.some((b) => b?.[k] === true);
  return { blockPublicAcls: on('blockPublicAcls'), ignorePublicAcls: on('ignorePublicAcls'), blockPublicPolicy: on('blockPublicPolicy'), restrictPublicBuckets: on('restrictPublicBuckets') };
}

/** Shortest prefixes that still pin a statement to a network rather than the Internet (S3's rule). */
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 32;

/** A condition that limits the statement to fixed principals or a bounded network. Referer and UserAgent do not: they are the client's to choose. */
function isNarrowing(c: ConditionClause): boolean {
  if (c.negated || c.ifExists || c.set !== undefined) return false;
  if (c.family === 'IpAddress') {
    return c.values.every((v) => {
      const b = parseCidr(v.trim());
      return b !== undefined && b.prefixLength >= (b.family === 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX);
    });
  }
  if (c.family === 'String' && (c.base === 'StringEquals' || c.base === 'StringEqualsIgnoreCase')) {
    return c.key.name === 'aws:PrincipalAccount' || c.key.name === 'aws:userid' || c.key.name === 'aws:username';
  }
  return false;
}

/** An Allow statement that reaches principals outside any named account, without a narrowing condition. */
export function isPublicStatement(st: Statement): boolean {
  if (st.effect !== 'Allow' || !st.principals) return false;
  const reachesEveryone = st.notPrincipal || st.principals.some((p) => p.kind === 'any');
  return reachesEveryone && !st.conditions.some(isNarrowing);
}

const PUBLIC = new WeakMap<Policy, boolean>();

export function isPublicPolicy(policy: Policy): boolean {
  let v = PUBLIC.get(policy);
  if (v === undefined) {
    v = policy.statements.some(isPublicStatement);
    PUBLIC.set(policy, v);
  }
  return v;
}

/** PutBucketPolicy under BlockPublicPolicy: a public policy is refused (S3 answers 403 AccessDenied). */
export function refusePublicPolicy(block: PublicAccessBlock, policy: Policy): StoreError | undefined {
  return block.blockPublicPolicy && isPublicPolicy(policy)
    ? new StoreError('AccessDenied', 'Access Denied: public policies are blocked by the BlockPublicPolicy setting')
    : undefined;
}

/** Setting an ACL (canned, grants, or at object creation) under BlockPublicAcls: a public ACL is refused. */
export function refusePublicAcl(block: PublicAccessBlock, acl: AccessControlList): StoreError | undefined {
  return block.blockPublicAcls && isPublicAcl(acl)
    ? new StoreError('AccessDenied', 'Access Denied: public ACLs are blocked by the BlockPublicAcls setting')
    : undefined;
}
