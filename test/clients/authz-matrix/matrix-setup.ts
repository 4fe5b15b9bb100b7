// The world the authorization matrix runs in, as data: buckets with their ACLs, the objects in
// them (one per prefix, with its ACL) and the bucket policies. The expected outcomes in
// matrix-cases.ts are written by hand against these documents and docs/authorization.md; nothing
// here asks the product's authorize().
//
// The two source addresses: every case binds one of them (loopback, both reachable on Linux).
export const IP_IN = '127.0.0.50';
export const IP_OUT = '127.0.0.60';
export const SOURCE_IPS = [IP_IN, IP_OUT] as const;
export type SourceIp = (typeof SOURCE_IPS)[number];

export const GOOD_REFERER = 'https://good.example/page.html';
export const EVIL_REFERER = 'https://evil.example/page.html';
export const REFERERS = { none: undefined, good: GOOD_REFERER, evil: EVIL_REFERER } as const;
export type RefererName = keyof typeof REFERERS;

export type CannedAcl = 'private' | 'public-read' | 'public-read-write';

export interface PrefixSpec {
  /** Every key of the case lives under it; `obj` and `acl-target` exist there. */
  readonly prefix: string;
  /** The canned ACL `obj` and `acl-target` are written with (and PutObjectAcl re-puts). */
  readonly objectAcl: CannedAcl;
  /** `oss`: `obj` is written through ali-oss without an ACL, so it has OSS's `default` (follows the bucket). */
  readonly writtenBy?: 'oss';
}

export interface BucketSpec {
  readonly name: string;
  readonly acl: CannedAcl;
  readonly prefixes: readonly PrefixSpec[];
  /** The ListObjectsV2 prefixes tried ('' = no Prefix parameter). */
  readonly listPrefixes: readonly string[];
}

/** Policy statements everywhere, ACLs private: what the anonymous side gets comes from the policy. */
export const POLICY_BUCKET: BucketSpec = {
  name: 'mx-policy', acl: 'private',
  prefixes: ['pub/', 'pub/secret/', 'ip/', 'notip/', 'ref/', 'upload/', 'denyip/', 'none/'].map((prefix) => ({ prefix, objectAcl: 'private' as const })),
  listPrefixes: ['', 'pub/', 'ip/'],
};
/** A public-read bucket: the ACLs decide (objects public-read, private, and OSS default). */
export const PUBLIC_READ_BUCKET: BucketSpec = {
  name: 'mx-public-read', acl: 'public-read',
  prefixes: [{ prefix: 'open/', objectAcl: 'public-read' }, { prefix: 'closed/', objectAcl: 'private' }, { prefix: 'oss/', objectAcl: 'public-read', writtenBy: 'oss' }],
  listPrefixes: ['', 'open/'],
};
/** A public-read-write bucket with a private object. */
export const PUBLIC_RW_BUCKET: BucketSpec = {
  name: 'mx-public-rw', acl: 'public-read-write',
  prefixes: [{ prefix: 'any/', objectAcl: 'private' }],
  listPrefixes: [''],
};
/** Another bucket of the owner: private, nothing granted. */
export const PRIVATE_BUCKET: BucketSpec = {
  name: 'mx-private', acl: 'private',
  prefixes: [{ prefix: 'any/', objectAcl: 'private' }],
  listPrefixes: [''],
};
/**
 * A public-read bucket with OSS hotlink protection (PutBucketReferer): REFERER_WHITELIST, no
 * empty Referer. It binds anonymous and presigned object requests only (decision step 2).
 */
export const REFERER_BUCKET: BucketSpec = {
  name: 'mx-referer', acl: 'public-read',
  prefixes: [{ prefix: 'img/', objectAcl: 'public-read' }],
  listPrefixes: [''],
};
/** A prefix entry: it accepts GOOD_REFERER, not EVIL_REFERER. */
export const REFERER_WHITELIST = ['https://good.example/'];
/** A public-read bucket in the sandbox (admin API): only the owner's account gets in (step 1). */
export const SANDBOX_BUCKET: BucketSpec = {
  name: 'mx-sandbox', acl: 'public-read',
  prefixes: [{ prefix: 'any/', objectAcl: 'public-read' }],
  listPrefixes: [''],
};
/**
 * Block public access with IgnorePublicAcls and RestrictPublicBuckets (set after the public ACLs
 * and the public policy were stored): the public-read ACLs count for nobody, and the policy's
 * Principal "*" Allow on pol/ only for the owner's account.
 */
export const BLOCKED_BUCKET: BucketSpec = {
  name: 'mx-blocked', acl: 'public-read',
  prefixes: [{ prefix: 'pol/', objectAcl: 'private' }, { prefix: 'acl/', objectAcl: 'public-read' }],
  listPrefixes: [''],
};
export const BUCKETS: readonly BucketSpec[] = [POLICY_BUCKET, PUBLIC_READ_BUCKET, PUBLIC_RW_BUCKET, PRIVATE_BUCKET, REFERER_BUCKET, SANDBOX_BUCKET, BLOCKED_BUCKET];

const arn = (path: string) => `arn:aws:s3:::${path}`;
const P = POLICY_BUCKET.name;

/**
 * mx-policy's statements. Principal "*" throughout: the Denies bind the owner too (step 3), the
 * Allows are what anonymous requests get (step 5).
 */
export const POLICY_BUCKET_STATEMENTS: readonly object[] = [
  { Sid: 'DenySecret', Effect: 'Deny', Principal: '*', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: arn(`${P}/pub/secret/*`) },
  { Sid: 'DenyFromOut', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: arn(`${P}/denyip/*`), Condition: { IpAddress: { 'aws:SourceIp': `${IP_OUT}/32` } } },
  { Sid: 'DenyPolicyReadFromOut', Effect: 'Deny', Principal: '*', Action: 's3:GetBucketPolicy', Resource: arn(P), Condition: { IpAddress: { 'aws:SourceIp': `${IP_OUT}/32` } } },
  { Sid: 'ReadPub', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: [arn(`${P}/pub/*`), arn(`${P}/denyip/*`)] },
  { Sid: 'ReadIpIn', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: arn(`${P}/ip/*`), Condition: { IpAddress: { 'aws:SourceIp': [`${IP_IN}/32`, '10.9.0.0/16'] } } },
  { Sid: 'ReadNotIpIn', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: arn(`${P}/notip/*`), Condition: { NotIpAddress: { 'aws:SourceIp': `${IP_IN}/32` } } },
  { Sid: 'ReadGoodReferer', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: arn(`${P}/ref/*`), Condition: { StringLike: { 'aws:Referer': 'https://good.example/*' } } },
  { Sid: 'WriteUpload', Effect: 'Allow', Principal: '*', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: arn(`${P}/upload/*`) },
  { Sid: 'AclNotEvil', Effect: 'Allow', Principal: '*', Action: 's3:GetObjectAcl', Resource: arn(`${P}/pub/*`), Condition: { StringNotLike: { 'aws:Referer': 'https://evil.example/*' } } },
  { Sid: 'ListPub', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: arn(P), Condition: { StringLike: { 's3:prefix': 'pub/*' } } },
  { Sid: 'BucketAclIpIn', Effect: 'Allow', Principal: '*', Action: 's3:GetBucketAcl', Resource: arn(P), Condition: { IpAddress: { 'aws:SourceIp': `${IP_IN}/32` } } },
  { Sid: 'PolicyGoodReferer', Effect: 'Allow', Principal: '*', Action: 's3:GetBucketPolicy', Resource: arn(P), Condition: { StringLike: { 'aws:Referer': 'https://good.example/*' } } },
];

/** A statement that matches nobody here, so GetBucketPolicy has a document to return in the ACL buckets. */
const inertStatement = (bucket: string) =>
  ({ Sid: 'Inert', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:GetObject', Resource: arn(`${bucket}/*`) });

export function bucketPolicy(bucket: BucketSpec): string {
  const statements = bucket === POLICY_BUCKET ? POLICY_BUCKET_STATEMENTS
    : bucket.name === 'mx-blocked' ? [{ Sid: 'PublicPol', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: arn(`${bucket.name}/pol/*`) }]
      : [inertStatement(bucket.name)];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The cross-account bucket (built once identities exist, since its policy names them): account
 * B's root is granted reads of shared/ and the listing; the owner's policy-less user bob is
 * named directly for shared/.
 */
export const CROSS_BUCKET: BucketSpec = {
  name: 'mx-cross', acl: 'private',
  prefixes: [{ prefix: 'shared/', objectAcl: 'private' }, { prefix: 'other/', objectAcl: 'private' }],
  listPrefixes: [''],
};

export function crossBucketPolicy(otherAccountId: string, bobArn: string): string {
  const C = CROSS_BUCKET.name;
  return JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'AccountBReadsShared', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${otherAccountId}:root` }, Action: 's3:GetObject', Resource: arn(`${C}/shared/*`) },
    { Sid: 'AccountBLists', Effect: 'Allow', Principal: { AWS: otherAccountId }, Action: 's3:ListBucket', Resource: arn(C) },
    { Sid: 'BobReadsShared', Effect: 'Allow', Principal: { AWS: bobArn }, Action: 's3:GetObject', Resource: arn(`${C}/shared/*`) },
  ] });
}

/** User policies (identity side). alice: reads, writes and lists mx-private only. */
export const ALICE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [arn(PRIVATE_BUCKET.name), arn(`${PRIVATE_BUCKET.name}/*`)] },
] });
/** carol: everything, but an explicit Deny on reading mx-private's objects. */
export const CAROL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Allow', Action: 's3:*', Resource: '*' },
  { Effect: 'Deny', Action: 's3:GetObject', Resource: arn(`${PRIVATE_BUCKET.name}/*`) },
] });
/** dave (account B): reads any object; the bucket's side must still grant it. */
export const DAVE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
] });

/** aws:SecureTransport: reads only over HTTPS; no writes over plain HTTP, not even the owner's. */
export const TLS_BUCKET: BucketSpec = {
  name: 'mx-tls', acl: 'private',
  prefixes: [{ prefix: 'any/', objectAcl: 'private' }],
  listPrefixes: [],
};
export const TLS_BUCKET_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Sid: 'ReadOverTls', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: arn(`${TLS_BUCKET.name}/any/*`), Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
  { Sid: 'NoPlainWrites', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: arn(`${TLS_BUCKET.name}/any/*`), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
] });
