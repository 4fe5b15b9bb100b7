// The bucket access settings beside the ACL and the policy, each a JSON document in the bucket
// record's configs map (present = set): "referer" (OSS hotlink protection), "publicAccessBlock"
// (S3's four flags; OSS's BlockPublicAccess is all four) and "ownershipControls" (S3 Object
// Ownership). Read here into the authorization core's model, and the store-time refusals an ACL
// meets under them: BlockPublicAcls refuses a public ACL (403 AccessDenied), BucketOwnerEnforced
// refuses any ACL but the owner's full control (400 AccessControlListNotSupported), as S3 does.
// A stored document that no longer parses fails closed: the strictest setting applies.
import { z } from 'zod';
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  compileRefererConfiguration, NO_PUBLIC_ACCESS_BLOCK, refusePublicAcl,
  type AccessControlList, type CompiledRefererConfiguration, type ObjectOwnership, type PublicAccessBlock, type RefererConfiguration,
} from '../authz/index.ts';
import { StoreError } from '../errors/store-error.ts';

// Config kinds are meta's lowercase-and-dash names (bucket-commands.ts CONFIG_KIND): a camelCase
// kind is refused there as InvalidArgument.
export const REFERER_CONFIG = 'referer';
export const PUBLIC_ACCESS_BLOCK_CONFIG = 'public-access-block';
export const OWNERSHIP_CONFIG = 'ownership-controls';
/** Compiled Referer configurations remembered by their stored text, so a request does not recompile its bucket's. */
const MAX_REMEMBERED_REFERER_CONFIGURATIONS = 1000;

const refererSchema = z.object({
  allowEmptyReferer: z.boolean(), allowTruncateQueryString: z.boolean(), truncatePath: z.boolean(),
  whitelist: z.array(z.string()), blacklist: z.array(z.string()),
}).strict();
const publicAccessBlockSchema = z.object({
  blockPublicAcls: z.boolean(), ignorePublicAcls: z.boolean(), blockPublicPolicy: z.boolean(), restrictPublicBuckets: z.boolean(),
}).strict();
const ownershipSchema = z.object({ objectOwnership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']) }).strict();

const ALL_BLOCKED: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
/** Everything refused but an empty Referer: what an unreadable stored configuration falls back to. */
const DENY_ALL_REFERERS: RefererConfiguration = { allowEmptyReferer: false, allowTruncateQueryString: true, truncatePath: false, whitelist: [], blacklist: ['*'] };

function documentText(bucket: Bucket, kind: string): string | undefined {
  const doc = bucket.configs[kind];
  return doc && doc.length > 0 ? Buffer.from(doc).toString('utf8') : undefined;
}

function parsed<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export function encodeSetting(value: object): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function bucketRefererConfiguration(bucket: Bucket): RefererConfiguration | undefined {
  const text = documentText(bucket, REFERER_CONFIG);
  return text === undefined ? undefined : parsed(text, refererSchema) ?? DENY_ALL_REFERERS;
}

const compiledReferers = new Map<string, CompiledRefererConfiguration>();

export function compiledBucketReferer(bucket: Bucket): CompiledRefererConfiguration | undefined {
  const text = documentText(bucket, REFERER_CONFIG);
  if (text === undefined) return undefined;
  const hit = compiledReferers.get(text);
  if (hit) return hit;
  let compiled = compileRefererConfiguration(parsed(text, refererSchema) ?? DENY_ALL_REFERERS);
  if (compiled instanceof StoreError) compiled = compileRefererConfiguration(DENY_ALL_REFERERS) as CompiledRefererConfiguration;
  if (compiledReferers.size >= MAX_REMEMBERED_REFERER_CONFIGURATIONS) compiledReferers.clear();
  compiledReferers.set(text, compiled);
  return compiled;
}

export function bucketPublicAccessBlock(bucket: Bucket): PublicAccessBlock | undefined {
  const text = documentText(bucket, PUBLIC_ACCESS_BLOCK_CONFIG);
  return text === undefined ? undefined : parsed(text, publicAccessBlockSchema) ?? ALL_BLOCKED;
}

export function bucketObjectOwnership(bucket: Bucket): ObjectOwnership | undefined {
  const text = documentText(bucket, OWNERSHIP_CONFIG);
  return text === undefined ? undefined : parsed(text, ownershipSchema)?.objectOwnership ?? 'BucketOwnerEnforced';
}

/** ACLs under BucketOwnerEnforced may only give the bucket owner full control (private, bucket-owner-full-control). */
function ownerFullControlOnly(acl: AccessControlList, bucketOwner: string): boolean {
  return acl.grants.every((g) => g.grantee.type === 'CanonicalUser' && g.grantee.id === bucketOwner && g.permission === 'FULL_CONTROL');
}

/** Throws when the bucket's settings refuse storing this ACL (set by a request: PutBucketAcl, PutObjectAcl, a write with ACL headers). */
export function refuseRequestedAcl(bucket: Bucket, acl: AccessControlList | 'default'): void {
  if (acl === 'default') return;
  if (bucketObjectOwnership(bucket) === 'BucketOwnerEnforced' && !ownerFullControlOnly(acl, bucket.owner)) {
    throw new StoreError('AccessControlListNotSupported', 'The bucket does not allow ACLs', { BucketName: bucket.name });
  }
  const refused = refusePublicAcl(bucketPublicAccessBlock(bucket) ?? NO_PUBLIC_ACCESS_BLOCK, acl);
  if (refused) throw refused;
}
