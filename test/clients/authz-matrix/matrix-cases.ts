// The authorization matrix's cases: principal × action × resource × condition (source address,
// Referer, s3:prefix, presigned vs header-signed, dialect), each with its expected outcome. The
// outcome comes from the small hand-written rules below, read off matrix-setup.ts's documents and
// docs/authorization.md's decision order — never from the product's authorize().
import {
  BUCKETS, CROSS_BUCKET, IP_IN, IP_OUT, BLOCKED_BUCKET, POLICY_BUCKET, PRIVATE_BUCKET, REFERER_BUCKET, REFERERS, SANDBOX_BUCKET, TLS_BUCKET, SOURCE_IPS,
  type BucketSpec, type PrefixSpec, type RefererName, type SourceIp,
} from './matrix-setup.ts';

/**
 * owner: the bucket owner's account key (the root account); anonymous: unsigned. With the admin
 * API: userAllow (alice, ALICE_POLICY), userNone (bob, no policy), userDeny (carol, CAROL_POLICY),
 * all of the owner's account; otherRoot (account B's key), otherUser (dave of B, DAVE_POLICY),
 * otherUserNone (erin of B, no policy).
 */
export type PrincipalName = 'owner' | 'anonymous' | 'userAllow' | 'userNone' | 'userDeny' | 'otherRoot' | 'otherUser' | 'otherUserNone';
export const BASE_PRINCIPALS: readonly PrincipalName[] = ['owner', 'anonymous'];
export const IDENTITY_PRINCIPALS: readonly PrincipalName[] = ['userAllow', 'userNone', 'userDeny', 'otherRoot', 'otherUser', 'otherUserNone'];
const SAME_ACCOUNT_USERS: readonly PrincipalName[] = ['userAllow', 'userNone', 'userDeny'];
const OTHER_ACCOUNT_USERS: readonly PrincipalName[] = ['otherUser', 'otherUserNone'];

export const OBJECT_ACTIONS = ['GetObject', 'HeadObject', 'PutObject', 'DeleteObject', 'GetObjectAcl', 'PutObjectAcl'] as const;
export const BUCKET_ACTIONS = ['GetBucketAcl', 'PutBucketAcl', 'GetBucketPolicy', 'PutBucketPolicy'] as const;
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];
export type Action = ObjectAction | (typeof BUCKET_ACTIONS)[number] | 'ListObjectsV2' | 'ListBuckets';
/**
 * `header`: the SDK signs in the Authorization header (or sends unsigned, for anonymous), over
 * HTTP; `https`: the same over the gateway's HTTPS; `presigned`: a presigned URL; `oss`: ali-oss.
 */
export type Via = 'header' | 'https' | 'presigned' | 'oss';

export interface MatrixCase {
  readonly name: string;
  readonly principal: PrincipalName;
  readonly via: Via;
  readonly sourceIp: SourceIp;
  readonly referer: RefererName;
  readonly action: Action;
  readonly bucket?: BucketSpec;
  readonly prefixSpec?: PrefixSpec;
  /** The object's key (object actions). Writes and deletes get a key of their own. */
  readonly key?: string;
  /** ListObjectsV2's Prefix ('' = none). */
  readonly listPrefix?: string;
  readonly expect: 'allow' | 'deny';
}

/** The facts the rules look at. */
interface Facts {
  readonly action: Action;
  readonly via: Via;
  readonly bucket?: BucketSpec;
  readonly prefix?: string;
  readonly listPrefix?: string;
  readonly sourceIp: SourceIp;
  readonly referer: RefererName;
}

const isObjectAction = (a: Action): a is ObjectAction => (OBJECT_ACTIONS as readonly string[]).includes(a);
/** HeadObject needs GetObject; the other actions are their own permission. */
const permission = (a: Action) => (a === 'HeadObject' ? 'GetObject' : a === 'ListObjectsV2' ? 'ListBucket' : a);

/** Step 3: mx-policy's Deny statements (Principal "*": they bind the owner too). */
function explicitlyDenied(f: Facts): boolean {
  if (f.bucket !== POLICY_BUCKET) return false;
  const p = permission(f.action);
  if (f.prefix === 'pub/secret/' && ['GetObject', 'PutObject', 'DeleteObject'].includes(p)) return true; // DenySecret
  if (f.prefix === 'denyip/' && isObjectAction(f.action) && f.sourceIp === IP_OUT) return true; // DenyFromOut
  if (p === 'GetBucketPolicy' && f.sourceIp === IP_OUT) return true; // DenyPolicyReadFromOut
  return false;
}

/** Step 5 for anonymous requests: a grant to everyone, from mx-policy's Allows or a public ACL. */
function grantedToEveryone(f: Facts): boolean {
  const p = permission(f.action);
  if (f.bucket === POLICY_BUCKET) {
    switch (p) {
      case 'GetObject':
        return f.prefix === 'pub/' || f.prefix === 'pub/secret/' || f.prefix === 'denyip/' // ReadPub
          || (f.prefix === 'ip/' && f.sourceIp === IP_IN) // ReadIpIn
          || (f.prefix === 'notip/' && f.sourceIp !== IP_IN) // ReadNotIpIn
          || (f.prefix === 'ref/' && f.referer === 'good'); // ReadGoodReferer
      case 'PutObject': case 'DeleteObject': return f.prefix === 'upload/'; // WriteUpload
      // StringNotLike: true when the Referer is absent, false only for the evil one.
      case 'GetObjectAcl': return (f.prefix === 'pub/' || f.prefix === 'pub/secret/') && f.referer !== 'evil'; // AclNotEvil
      case 'ListBucket': return f.listPrefix === 'pub/'; // ListPub: an absent s3:prefix fails StringLike
      case 'GetBucketAcl': return f.sourceIp === IP_IN; // BucketAclIpIn
      case 'GetBucketPolicy': return f.referer === 'good'; // PolicyGoodReferer
      default: return false;
    }
  }
  // The ACL buckets: AllUsers READ gives GetObject (the object's effective ACL) and ListBucket
  // (the bucket's); AllUsers WRITE on the bucket gives PutObject and DeleteObject. No canned ACL
  // gives READ_ACP or WRITE_ACP, nor any policy permission.
  const bucketAcl = f.bucket?.acl;
  const objectAcl = (spec: BucketSpec, prefix: string | undefined) => {
    const s = spec.prefixes.find((x) => x.prefix === prefix);
    return s?.writtenBy === 'oss' ? spec.acl : s?.objectAcl; // OSS `default` follows the bucket
  };
  switch (p) {
    case 'GetObject': { const acl = objectAcl(f.bucket!, f.prefix); return acl === 'public-read' || acl === 'public-read-write'; }
    case 'PutObject': case 'DeleteObject': return bucketAcl === 'public-read-write';
    case 'ListBucket': return bucketAcl === 'public-read' || bucketAcl === 'public-read-write';
    default: return false;
  }
}

/** The identity side: an Allow in the principal's user policies (matrix-setup.ts). */
function identityAllows(principal: PrincipalName, f: Facts): boolean {
  const p = permission(f.action);
  switch (principal) {
    case 'userAllow': return f.bucket === PRIVATE_BUCKET && ['GetObject', 'PutObject', 'ListBucket'].includes(p);
    case 'userDeny': return true; // s3:* on *
    case 'otherUser': return p === 'GetObject';
    default: return false;
  }
}

/** A Deny in the principal's user policies: carol may not read mx-private's objects. */
const identityDenies = (principal: PrincipalName, f: Facts) =>
  principal === 'userDeny' && f.bucket === PRIVATE_BUCKET && permission(f.action) === 'GetObject';

/** mx-cross's grants: bob by name (direct); account B (through the account). */
const crossNamesBob = (f: Facts) => f.bucket === CROSS_BUCKET && permission(f.action) === 'GetObject' && f.prefix === 'shared/';
const crossNamesAccountB = (f: Facts) => f.bucket === CROSS_BUCKET
  && ((permission(f.action) === 'GetObject' && f.prefix === 'shared/') || permission(f.action) === 'ListBucket');

/** The decision order of docs/authorization.md, for the principals of this matrix. */
export function expectedOutcome(principal: PrincipalName, f: Facts): 'allow' | 'deny' {
  if (f.action === 'ListBuckets') {
    // No bucket: an account's own key may (step 4); a user as its policies say; anonymous never.
    if (principal === 'owner' || principal === 'otherRoot') return 'allow';
    return principal === 'userDeny' ? 'allow' : 'deny';
  }
  // Step 1: the sandbox lets in only the owner's account.
  if (f.bucket === SANDBOX_BUCKET && (principal === 'anonymous' || principal === 'otherRoot' || OTHER_ACCOUNT_USERS.includes(principal))) return 'deny';
  // Step 2: mx-referer's hotlink protection, for object requests anonymous or signed in the URL.
  if (f.bucket === REFERER_BUCKET && isObjectAction(f.action) && (principal === 'anonymous' || f.via === 'presigned') && f.referer !== 'good') return 'deny';
  if (f.bucket === TLS_BUCKET && permission(f.action) === 'PutObject' && f.via !== 'https') return 'deny'; // NoPlainWrites
  if (explicitlyDenied(f) || identityDenies(principal, f)) return 'deny'; // step 3
  if (principal === 'owner') return 'allow'; // step 4: the account root owns every bucket here
  // mx-blocked: IgnorePublicAcls drops the AllUsers grants, RestrictPublicBuckets keeps the public policy's Allow for the owner's account.
  const direct = f.bucket === TLS_BUCKET ? permission(f.action) === 'GetObject' && f.via === 'https' // ReadOverTls
    : f.bucket === BLOCKED_BUCKET
    ? SAME_ACCOUNT_USERS.includes(principal) && permission(f.action) === 'GetObject' && f.prefix === 'pol/'
    : grantedToEveryone(f) || (principal === 'userNone' && crossNamesBob(f));
  if (principal === 'anonymous') return direct ? 'allow' : 'deny';
  // Another account's root: naming its account names it.
  if (principal === 'otherRoot') return direct || crossNamesAccountB(f) ? 'allow' : 'deny';
  if (SAME_ACCOUNT_USERS.includes(principal)) return identityAllows(principal, f) || direct ? 'allow' : 'deny';
  if (OTHER_ACCOUNT_USERS.includes(principal)) return identityAllows(principal, f) && (direct || crossNamesAccountB(f)) ? 'allow' : 'deny';
  throw new Error(`no rule for ${principal}`);
}

function caseName(c: Omit<MatrixCase, 'name' | 'expect'>): string {
  const target = c.action === 'ListBuckets' ? '/'
    : c.action === 'ListObjectsV2' ? `${c.bucket!.name}?prefix=${c.listPrefix}`
      : c.key !== undefined ? `${c.bucket!.name}/${c.key}` : c.bucket!.name;
  return `${c.principal}/${c.via} ${c.action} ${target} from ${c.sourceIp} referer=${c.referer}`;
}

/** Writes and deletes address a key of their own, so no case changes what another reads. */
function keyFor(action: ObjectAction, prefix: string, n: number): string {
  switch (action) {
    case 'PutObject': return `${prefix}put-${n}`;
    case 'DeleteObject': return `${prefix}del-${n}`; // never written: S3 answers 204 when allowed
    case 'PutObjectAcl': return `${prefix}acl-target`;
    default: return `${prefix}obj`;
  }
}

/** `identities`: the admin API made the users and account B (matrix-identities.ts). */
export function buildCases(o: { identities: boolean }): MatrixCase[] {
  const out: MatrixCase[] = [];
  const add = (c: Omit<MatrixCase, 'name' | 'expect'>): void => {
    const expect = expectedOutcome(c.principal, { ...c, prefix: c.prefixSpec?.prefix });
    out.push({ ...c, name: caseName(c), expect });
  };
  const principals = o.identities ? [...BASE_PRINCIPALS, ...IDENTITY_PRINCIPALS] : BASE_PRINCIPALS;
  for (const principal of principals) {
    // The Referer matters only to the anonymous grants; the users try the two extremes.
    const referers: RefererName[] = BASE_PRINCIPALS.includes(principal) ? ['none', 'good', 'evil'] : ['none'];
    for (const sourceIp of SOURCE_IPS) {
      for (const referer of referers) {
        const base = { principal, via: 'header' as const, sourceIp, referer };
        add({ ...base, action: 'ListBuckets' });
        for (const bucket of BUCKETS) {
          for (const prefixSpec of bucket.prefixes) {
            for (const action of OBJECT_ACTIONS) add({ ...base, action, bucket, prefixSpec, key: keyFor(action, prefixSpec.prefix, out.length) });
          }
          for (const listPrefix of bucket.listPrefixes) add({ ...base, action: 'ListObjectsV2', bucket, listPrefix });
          for (const action of BUCKET_ACTIONS) add({ ...base, action, bucket });
        }
      }
    }
  }
  // mx-cross: cross-account grants (bucket policy naming account B and bob).
  if (o.identities) {
    for (const principal of principals) {
      for (const sourceIp of SOURCE_IPS) {
        const base = { principal, via: 'header' as const, sourceIp, referer: 'none' as const, bucket: CROSS_BUCKET };
        for (const prefixSpec of CROSS_BUCKET.prefixes) {
          for (const action of ['GetObject', 'HeadObject', 'PutObject', 'DeleteObject'] as const) add({ ...base, action, prefixSpec, key: keyFor(action, prefixSpec.prefix, out.length) });
        }
        add({ ...base, action: 'ListObjectsV2', listPrefix: '' });
      }
    }
  }
  // mx-tls: aws:SecureTransport, over HTTP and HTTPS.
  for (const principal of principals) {
    for (const via of ['header', 'https'] as const) {
      for (const sourceIp of SOURCE_IPS) {
        const prefixSpec = TLS_BUCKET.prefixes[0]!;
        for (const action of ['GetObject', 'HeadObject', 'PutObject', 'GetObjectAcl'] as const) {
          add({ principal, via, sourceIp, referer: 'none', action, bucket: TLS_BUCKET, prefixSpec, key: keyFor(action, prefixSpec.prefix, out.length) });
        }
      }
    }
  }
  // Presigned URLs signed by the owner: the query-string signature is the same principal.
  for (const sourceIp of SOURCE_IPS) {
    for (const referer of Object.keys(REFERERS) as RefererName[]) {
      for (const bucket of BUCKETS) {
        for (const prefixSpec of bucket.prefixes) {
          for (const action of ['GetObject', 'PutObject'] as const) {
            add({ principal: 'owner', via: 'presigned', sourceIp, referer, action, bucket, prefixSpec, key: keyFor(action, prefixSpec.prefix, out.length) });
          }
        }
      }
    }
  }
  // The OSS dialect through ali-oss: the owner's decisions are the same (s3:* and oss:* name one permission).
  for (const sourceIp of SOURCE_IPS) {
    for (const bucket of BUCKETS) {
      for (const prefixSpec of bucket.prefixes) {
        for (const action of ['GetObject', 'HeadObject', 'PutObject', 'DeleteObject', 'GetObjectAcl'] as const) {
          add({ principal: 'owner', via: 'oss', sourceIp, referer: 'none', action, bucket, prefixSpec, key: keyFor(action, prefixSpec.prefix, out.length) });
        }
      }
      for (const listPrefix of bucket.listPrefixes) add({ principal: 'owner', via: 'oss', sourceIp, referer: 'none', action: 'ListObjectsV2', bucket, listPrefix });
      add({ principal: 'owner', via: 'oss', sourceIp, referer: 'none', action: 'GetBucketAcl', bucket });
    }
  }
  return out;
}
