// Access control lists, both dialects: an owner and grants of READ / WRITE / READ_ACP /
// WRITE_ACP / FULL_CONTROL to an account (canonical id = account id), to everyone (AllUsers)
// or to every signed principal (AuthenticatedUsers). Canned ACLs (S3's and OSS's names) and
// S3's x-amz-grant-* headers build them; an object's ACL may be `default` (OSS): it then
// follows its bucket's.
import { StoreError } from '../errors/store-error.ts';
import type { AclPermission } from './permissions.ts';
import type { RequestPrincipal } from './request-context.ts';

export type AclGroup = 'AllUsers' | 'AuthenticatedUsers' | 'LogDelivery';
export type Grantee =
  | { readonly type: 'CanonicalUser'; readonly id: string }
  | { readonly type: 'Group'; readonly group: AclGroup };

export interface Grant {
  readonly grantee: Grantee;
  readonly permission: AclPermission;
}

export interface AccessControlList {
  /** The owner's account id. */
  readonly owner: string;
  readonly grants: readonly Grant[];
}

/** An object's ACL: its own, or its bucket's. */
export type ObjectAcl = AccessControlList | 'default';

export const BUCKET_CANNED_ACLS = [
  'private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write',
] as const;
export const OBJECT_CANNED_ACLS = [
  'private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control', 'default',
] as const;
export type BucketCannedAcl = (typeof BUCKET_CANNED_ACLS)[number];
export type ObjectCannedAcl = (typeof OBJECT_CANNED_ACLS)[number];

export const GROUP_URIS: Readonly<Record<AclGroup, string>> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

const ALL: Grantee = { type: 'Group', group: 'AllUsers' };
const AUTHENTICATED: Grantee = { type: 'Group', group: 'AuthenticatedUsers' };
const LOG_DELIVERY: Grantee = { type: 'Group', group: 'LogDelivery' };

/** The grants of a canned ACL. `bucketOwner` matters for the bucket-owner-* object ACLs. */
export function cannedAcl(name: BucketCannedAcl | Exclude<ObjectCannedAcl, 'default'>, owner: string, bucketOwner = owner): AccessControlList {
  const full: Grant = { grantee: { type: 'CanonicalUser', id: owner }, permission: 'FULL_CONTROL' };
  const extra: Grant[] = [];
  switch (name) {
    case 'private': break;
    case 'public-read': extra.push({ grantee: ALL, permission: 'READ' }); break;
    case 'public-read-write': extra.push({ grantee: ALL, permission: 'READ' }, { grantee: ALL, permission: 'WRITE' }); break;
    case 'authenticated-read': extra.push({ grantee: AUTHENTICATED, permission: 'READ' }); break;
    case 'log-delivery-write': extra.push({ grantee: LOG_DELIVERY, permission: 'WRITE' }, { grantee: LOG_DELIVERY, permission: 'READ_ACP' }); break;
    case 'bucket-owner-read':
      if (bucketOwner !== owner) extra.push({ grantee: { type: 'CanonicalUser', id: bucketOwner }, permission: 'READ' });
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== owner) extra.push({ grantee: { type: 'CanonicalUser', id: bucketOwner }, permission: 'FULL_CONTROL' });
      break;
  }
  return { owner, grants: [full, ...extra] };
}

/** The `x-amz-acl` / `x-oss-acl` / `x-oss-object-acl` value, checked; InvalidArgument otherwise. */
export function parseCannedAcl(value: string, target: 'bucket'): BucketCannedAcl | StoreError;
export function parseCannedAcl(value: string, target: 'object'): ObjectCannedAcl | StoreError;
export function parseCannedAcl(value: string, target: 'bucket' | 'object'): BucketCannedAcl | ObjectCannedAcl | StoreError {
  const list: readonly string[] = target === 'bucket' ? BUCKET_CANNED_ACLS : OBJECT_CANNED_ACLS;
  const v = value.trim();
  return list.includes(v) ? (v as BucketCannedAcl | ObjectCannedAcl)
    : new StoreError('InvalidArgument', `${JSON.stringify(value)} is not a ${target} ACL`, { ArgumentName: 'x-amz-acl', ArgumentValue: value });
}

/** The x-amz-grant-* headers of a request (undefined: header absent). */
export interface GrantHeaders {
  readonly read?: string;
  readonly write?: string;
  readonly readAcp?: string;
  readonly writeAcp?: string;
  readonly fullControl?: string;
}

const GRANT_HEADER_PERMISSIONS: ReadonlyArray<readonly [keyof GrantHeaders, AclPermission, string]> = [
  ['read', 'READ', 'x-amz-grant-read'], ['write', 'WRITE', 'x-amz-grant-write'],
  ['readAcp', 'READ_ACP', 'x-amz-grant-read-acp'], ['writeAcp', 'WRITE_ACP', 'x-amz-grant-write-acp'],
  ['fullControl', 'FULL_CONTROL', 'x-amz-grant-full-control'],
];
const GRANTEE_ITEM = /^\s*(id|uri|emailAddress)\s*=\s*(?:"([^"]*)"|([^,\s"]+))\s*$/i;

/**
 * The ACL a request's grant headers set: `id="<account>"`, `uri="<group URI>"` items separated
 * by commas. The owner keeps nothing implicit (as in S3, the headers replace the ACL);
 * emailAddress grantees are not supported. InvalidArgument on anything else.
 */
export function parseGrantHeaders(headers: GrantHeaders, owner: string): AccessControlList | StoreError {
  const grants: Grant[] = [];
  for (const [field, permission, header] of GRANT_HEADER_PERMISSIONS) {
    const value = headers[field];
    if (value === undefined) continue;
    for (const item of value.split(',')) {
      const m = GRANTEE_ITEM.exec(item);
      const bad = (why: string) => new StoreError('InvalidArgument', `${header}: ${why}`, { ArgumentName: header, ArgumentValue: value });
      if (!m) return bad(`${JSON.stringify(item.trim())} is not id="…" or uri="…"`);
      const type = m[1]!.toLowerCase();
      const v = m[2] ?? m[3] ?? '';
      if (type === 'emailaddress') return bad('grantees by e-mail address are not supported');
      if (type === 'id') {
        if (v === '') return bad('empty id');
        grants.push({ grantee: { type: 'CanonicalUser', id: v }, permission });
      } else {
        const group = (Object.keys(GROUP_URIS) as AclGroup[]).find((g) => GROUP_URIS[g] === v);
        if (!group) return bad(`unknown group ${JSON.stringify(v)}`);
        grants.push({ grantee: { type: 'Group', group }, permission });
      }
    }
  }
  return { owner, grants };
}

function implies(granted: AclPermission, needed: AclPermission): boolean {
  return granted === needed || granted === 'FULL_CONTROL';
}

export function isPublicGrantee(g: Grantee): boolean {
  return g.type === 'Group' && (g.group === 'AllUsers' || g.group === 'AuthenticatedUsers');
}

/**
 * Whether the ACL gives `needed` to the principal: `direct` through everyone / every signed
 * principal, `account` through a grant to the principal's account (which a user's own policies
 * must confirm), false otherwise. `ignorePublic` drops AllUsers and AuthenticatedUsers grants
 * (block public access).
 */
export function aclGrants(acl: AccessControlList, p: RequestPrincipal, needed: AclPermission, ignorePublic = false): 'direct' | 'account' | false {
  let best: 'direct' | 'account' | false = false;
  for (const g of acl.grants) {
    if (!implies(g.permission, needed)) continue;
    const e = g.grantee;
    if (e.type === 'Group') {
      if (ignorePublic && isPublicGrantee(e)) continue;
      if (e.group === 'AllUsers' || (e.group === 'AuthenticatedUsers' && p.type !== 'anonymous')) return 'direct';
    } else if (p.type !== 'anonymous' && e.id === p.accountId) {
      if (p.type === 'account') return 'direct';
      best = 'account';
    }
  }
  return best;
}

/** Whether any grant goes to AllUsers or AuthenticatedUsers. */
export function isPublicAcl(acl: AccessControlList): boolean {
  return acl.grants.some((g) => isPublicGrantee(g.grantee));
}

/** The effective ACL of an object: its own, or the bucket's when `default` or unknown. */
export function effectiveObjectAcl(objectAcl: ObjectAcl | undefined, bucketAcl: AccessControlList): AccessControlList {
  return objectAcl === undefined || objectAcl === 'default' ? bucketAcl : objectAcl;
}

/** The canned name whose grants the ACL has exactly (for OSS's GetBucketAcl), if any. */
export function cannedAclName(acl: AccessControlList, target: 'bucket' | 'object', bucketOwner = acl.owner): string | undefined {
  const key = (gs: readonly Grant[]) => gs.map((g) => `${g.grantee.type === 'Group' ? g.grantee.group : `id:${g.grantee.id}`}=${g.permission}`).sort().join(',');
  const wanted = key(acl.grants);
  const names = target === 'bucket' ? BUCKET_CANNED_ACLS : OBJECT_CANNED_ACLS.filter((n) => n !== 'default');
  return names.find((n) => key(cannedAcl(n, acl.owner, bucketOwner).grants) === wanted);
}
