// The access-control documents a bucket and its objects carry, between their stored form (meta's
// AccessControlList record, the policy text in the bucket's "policy" config document) and the
// authorization core's model: the bucket ACL (private to its owner until one is set), an
// object's ACL ("default" when unset: the bucket's applies), the parsed bucket policy (parsed
// once per text and remembered), and the ACL a request sets through headers.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AccessControlListSchema, type AccessControlList as AclRecord, type Bucket, type ObjectVersion,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  cannedAcl, GROUP_URIS, parseCannedAcl, parseGrantHeaders, parsePolicy,
  type AccessControlList, type AclGroup, type AclPermission, type BucketAccess, type Grant, type GrantHeaders, type ObjectAcl, type Policy,
} from '../authz/index.ts';
import { StoreError } from '../errors/store-error.ts';
import type { AclDocument } from '../s3/index.ts';
import { bucketObjectOwnership, bucketPublicAccessBlock, compiledBucketReferer, refuseRequestedAcl } from './bucket-access-settings.ts';
import { bucketSandbox } from './sandbox-config.ts';

export const ACL_CONFIG = 'acl';
export const POLICY_CONFIG = 'policy';
/** Parsed bucket policies remembered by text, so a request does not re-parse its bucket's. */
const MAX_REMEMBERED_POLICIES = 1000;

export function aclToRecord(acl: AccessControlList): AclRecord {
  return create(AccessControlListSchema, {
    owner: acl.owner,
    grants: acl.grants.map((g) => ({
      grantee: g.grantee.type === 'CanonicalUser' ? { case: 'canonicalUser' as const, value: g.grantee.id } : { case: 'group' as const, value: g.grantee.group },
      permission: g.permission,
    })),
  });
}

export function aclFromRecord(r: AclRecord): AccessControlList {
  return {
    owner: r.owner,
    grants: r.grants.flatMap((g): Grant[] => {
      const permission = g.permission as AclPermission;
      if (g.grantee.case === 'canonicalUser') return [{ grantee: { type: 'CanonicalUser' as const, id: g.grantee.value }, permission }];
      if (g.grantee.case === 'group') return [{ grantee: { type: 'Group' as const, group: g.grantee.value as AclGroup }, permission }];
      return [];
    }),
  };
}

export function bucketAcl(bucket: Bucket): AccessControlList {
  const doc = bucket.configs[ACL_CONFIG];
  return doc && doc.length > 0 ? aclFromRecord(fromBinary(AccessControlListSchema, doc)) : cannedAcl('private', bucket.owner);
}

export function encodeBucketAcl(acl: AccessControlList): Uint8Array {
  return toBinary(AccessControlListSchema, aclToRecord(acl));
}

export function objectAclOf(version: ObjectVersion): ObjectAcl {
  const r = version.attributes?.acl;
  return r ? aclFromRecord(r) : 'default';
}

export function bucketPolicyText(bucket: Bucket): string | undefined {
  const doc = bucket.configs[POLICY_CONFIG];
  return doc && doc.length > 0 ? Buffer.from(doc).toString('utf8') : undefined;
}

const remembered = new Map<string, Policy>();

/** The stored policy, parsed. It was checked when stored; one that no longer parses fails closed. */
export function bucketPolicy(bucket: Bucket): Policy | undefined {
  const text = bucketPolicyText(bucket);
  if (text === undefined) return undefined;
  const hit = remembered.get(text);
  if (hit) return hit;
  const parsed = parsePolicy(text, 'bucket');
  if (!parsed.ok) throw new StoreError('InternalError', `the stored policy of bucket ${bucket.name} does not parse: ${parsed.error.message}`);
  if (remembered.size >= MAX_REMEMBERED_POLICIES) remembered.clear();
  remembered.set(text, parsed.policy);
  return parsed.policy;
}

/** What the authorization core needs of the bucket: owner, ACL, policy, and the access settings (bucket-access-settings.ts, sandbox-config.ts). */
export function bucketAccessOf(bucket: Bucket): BucketAccess {
  const policy = bucketPolicy(bucket);
  const referer = compiledBucketReferer(bucket);
  const publicAccessBlock = bucketPublicAccessBlock(bucket);
  const objectOwnership = bucketObjectOwnership(bucket);
  return {
    owner: bucket.owner, acl: bucketAcl(bucket),
    ...(policy ? { policy } : {}),
    ...(referer ? { referer } : {}),
    ...(publicAccessBlock ? { publicAccessBlock } : {}),
    ...(objectOwnership ? { objectOwnership } : {}),
    ...(bucketSandbox(bucket) ? { sandboxed: true } : {}),
  };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;
function one(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The ACL a request sets through headers (S3's `x-amz-acl` or `x-amz-grant-*`, OSS's `x-oss-acl`
 * or `x-oss-object-acl`), or undefined when it sets none. InvalidArgument for an unknown canned
 * name, InvalidRequest for a canned ACL together with grant headers.
 */
export function aclFromHeaders(headers: Headers, target: 'bucket' | 'object', owner: string): AccessControlList | 'default' | undefined {
  const canned = one(headers, 'x-amz-acl') ?? (target === 'object' ? one(headers, 'x-oss-object-acl') ?? one(headers, 'x-oss-acl') : one(headers, 'x-oss-acl'));
  const grants: GrantHeaders = {
    read: one(headers, 'x-amz-grant-read'), write: one(headers, 'x-amz-grant-write'), readAcp: one(headers, 'x-amz-grant-read-acp'),
    writeAcp: one(headers, 'x-amz-grant-write-acp'), fullControl: one(headers, 'x-amz-grant-full-control'),
  };
  const anyGrant = Object.values(grants).some((v) => v !== undefined);
  if (canned !== undefined && anyGrant) {
    throw new StoreError('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (canned !== undefined) {
    const name = target === 'bucket' ? parseCannedAcl(canned, 'bucket') : parseCannedAcl(canned, 'object');
    if (name instanceof StoreError) throw name;
    return name === 'default' ? 'default' : cannedAcl(name, owner);
  }
  if (!anyGrant) return undefined;
  const acl = parseGrantHeaders(grants, owner);
  if (acl instanceof StoreError) throw acl;
  return acl;
}

/**
 * The ACL for a new object's attributes: the request's, else S3's private (OSS: default, the
 * bucket's). A requested ACL the bucket's settings refuse throws (refuseRequestedAcl).
 */
export function newObjectAcl(headers: Headers, dialect: 's3' | 'oss', bucket: Bucket): AclRecord | undefined {
  const owner = bucket.owner;
  const requested = aclFromHeaders(headers, 'object', owner);
  if (requested !== undefined) refuseRequestedAcl(bucket, requested);
  const acl = requested ?? (dialect === 's3' ? cannedAcl('private', owner) : 'default');
  return acl === 'default' ? undefined : aclToRecord(acl);
}

export function toAclDocument(acl: AccessControlList): AclDocument {
  return {
    owner: acl.owner,
    grants: acl.grants.map((g) => ({
      grantee: g.grantee.type === 'CanonicalUser' ? { type: 'CanonicalUser' as const, id: g.grantee.id } : { type: 'Group' as const, uri: GROUP_URIS[g.grantee.group] },
      permission: g.permission,
    })),
  };
}

export function fromAclDocument(doc: AclDocument, owner: string): AccessControlList {
  return {
    owner,
    grants: doc.grants.map((g) => {
      const permission = g.permission as AclPermission;
      if (g.grantee.type === 'CanonicalUser') return { grantee: { type: 'CanonicalUser' as const, id: g.grantee.id }, permission };
      const uri = g.grantee.uri;
      const group = (Object.keys(GROUP_URIS) as AclGroup[]).find((k) => GROUP_URIS[k] === uri);
      if (!group) throw new StoreError('InvalidArgument', `unknown grantee group ${JSON.stringify(uri)}`, { ArgumentName: 'URI', ArgumentValue: uri });
      return { grantee: { type: 'Group' as const, group }, permission };
    }),
  };
}
