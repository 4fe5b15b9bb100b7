// The catalog of permissions a request can need, with the name each dialect's policies use for
// it (`s3:ListBucket` and `oss:ListObjects` are one permission). Policies of either syntax are
// compiled against this one list, so the evaluator compares small integers, never strings.
// `level` says what the permission's resource is; `acl` is the ACL grant that can also give it.

export type PermissionLevel = 'service' | 'bucket' | 'object' | 'kms';
export type AclPermission = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'FULL_CONTROL';

export interface PermissionInfo {
  readonly name: string;
  readonly level: PermissionLevel;
  /** `s3:` action name without the prefix, if S3/IAM has one. */
  readonly s3?: string;
  /** `oss:` action name without the prefix, if OSS/RAM has one. */
  readonly oss?: string;
  /** `kms:` action name without the prefix (IAM and RAM both write `kms:<name>`). */
  readonly kms?: string;
  /** The ACL grant that gives it: on the bucket's ACL, or on the object's effective ACL. */
  readonly acl?: { readonly on: 'bucket' | 'object'; readonly grant: Exclude<AclPermission, 'FULL_CONTROL'> };
}

type Row = readonly [name: string, level: PermissionLevel, s3: string | null, oss: string | null, acl?: PermissionInfo['acl']];
const same = (name: string, level: PermissionLevel, acl?: PermissionInfo['acl']): Row => [name, level, name, name, acl];
const s3Only = (name: string, level: PermissionLevel): Row => [name, level, name, null];
const ossOnly = (name: string, level: PermissionLevel): Row => [name, level, null, name];
const BUCKET_READ = { on: 'bucket', grant: 'READ' } as const;
const BUCKET_WRITE = { on: 'bucket', grant: 'WRITE' } as const;
const OBJECT_READ = { on: 'object', grant: 'READ' } as const;
// Writes of an object: the bucket's WRITE grant, or (OSS) the object's own public-read-write ACL.
const OBJECT_WRITE = { on: 'object', grant: 'WRITE' } as const;

const ROWS: readonly Row[] = [
  // service
  ['ListAllMyBuckets', 'service', 'ListAllMyBuckets', 'ListBuckets'],
  ['CreateBucket', 'bucket', 'CreateBucket', 'PutBucket'],
  // bucket
  same('DeleteBucket', 'bucket'),
  ['ListBucket', 'bucket', 'ListBucket', 'ListObjects', BUCKET_READ],
  ['ListBucketVersions', 'bucket', 'ListBucketVersions', 'ListObjectVersions', BUCKET_READ],
  ['ListBucketMultipartUploads', 'bucket', 'ListBucketMultipartUploads', 'ListMultipartUploads', BUCKET_READ],
  same('GetBucketLocation', 'bucket'),
  same('GetBucketVersioning', 'bucket'),
  same('PutBucketVersioning', 'bucket'),
  same('GetBucketAcl', 'bucket', { on: 'bucket', grant: 'READ_ACP' }),
  same('PutBucketAcl', 'bucket', { on: 'bucket', grant: 'WRITE_ACP' }),
  same('GetBucketPolicy', 'bucket'),
  same('PutBucketPolicy', 'bucket'),
  same('DeleteBucketPolicy', 'bucket'),
  ['GetBucketPolicyStatus', 'bucket', 'GetBucketPolicyStatus', 'GetBucketPolicyStatus'],
  same('GetBucketPublicAccessBlock', 'bucket'),
  same('PutBucketPublicAccessBlock', 'bucket'),
  ossOnly('DeleteBucketPublicAccessBlock', 'bucket'),
  s3Only('GetBucketOwnershipControls', 'bucket'),
  s3Only('PutBucketOwnershipControls', 'bucket'),
  ossOnly('GetBucketReferer', 'bucket'),
  ossOnly('PutBucketReferer', 'bucket'),
  // OSS WORM retention policy steps beyond Initiate/Get (those are PutBucketWorm/GetBucketWorm below).
  ossOnly('CompleteBucketWorm', 'bucket'),
  ossOnly('AbortBucketWorm', 'bucket'),
  ossOnly('ExtendBucketWorm', 'bucket'),
  ossOnly('GetBucketInfo', 'bucket'),
  ossOnly('GetBucketStat', 'bucket'),
  same('GetBucketTagging', 'bucket'),
  same('PutBucketTagging', 'bucket'),
  ossOnly('DeleteBucketTagging', 'bucket'),
  ['GetBucketCors', 'bucket', 'GetBucketCORS', 'GetBucketCors'],
  ['PutBucketCors', 'bucket', 'PutBucketCORS', 'PutBucketCors'],
  ossOnly('DeleteBucketCors', 'bucket'),
  ['GetBucketLifecycle', 'bucket', 'GetLifecycleConfiguration', 'GetBucketLifecycle'],
  ['PutBucketLifecycle', 'bucket', 'PutLifecycleConfiguration', 'PutBucketLifecycle'],
  ossOnly('DeleteBucketLifecycle', 'bucket'),
  same('GetBucketLogging', 'bucket'),
  same('PutBucketLogging', 'bucket'),
  ossOnly('DeleteBucketLogging', 'bucket'),
  ['GetBucketEncryption', 'bucket', 'GetEncryptionConfiguration', 'GetBucketEncryption'],
  ['PutBucketEncryption', 'bucket', 'PutEncryptionConfiguration', 'PutBucketEncryption'],
  ossOnly('DeleteBucketEncryption', 'bucket'),
  same('GetBucketWebsite', 'bucket'),
  same('PutBucketWebsite', 'bucket'),
  same('DeleteBucketWebsite', 'bucket'),
  ['GetBucketReplication', 'bucket', 'GetReplicationConfiguration', 'GetBucketReplication'],
  ['PutBucketReplication', 'bucket', 'PutReplicationConfiguration', 'PutBucketReplication'],
  ['GetBucketNotification', 'bucket', 'GetBucketNotification', null],
  ['PutBucketNotification', 'bucket', 'PutBucketNotification', null],
  ['GetBucketWorm', 'bucket', 'GetBucketObjectLockConfiguration', 'GetBucketWorm'],
  ['PutBucketWorm', 'bucket', 'PutBucketObjectLockConfiguration', 'InitiateBucketWorm'],
  // object
  same('GetObject', 'object', OBJECT_READ),
  same('GetObjectVersion', 'object', OBJECT_READ),
  s3Only('GetObjectAttributes', 'object'),
  same('PutObject', 'object', OBJECT_WRITE),
  same('DeleteObject', 'object', OBJECT_WRITE),
  same('DeleteObjectVersion', 'object', OBJECT_WRITE),
  same('AbortMultipartUpload', 'object', BUCKET_WRITE),
  ['ListMultipartUploadParts', 'object', 'ListMultipartUploadParts', 'ListParts', BUCKET_READ],
  same('GetObjectAcl', 'object', { on: 'object', grant: 'READ_ACP' }),
  same('PutObjectAcl', 'object', { on: 'object', grant: 'WRITE_ACP' }),
  same('GetObjectVersionAcl', 'object', { on: 'object', grant: 'READ_ACP' }),
  same('PutObjectVersionAcl', 'object', { on: 'object', grant: 'WRITE_ACP' }),
  same('GetObjectTagging', 'object'),
  same('PutObjectTagging', 'object'),
  same('DeleteObjectTagging', 'object'),
  same('GetObjectVersionTagging', 'object'),
  same('PutObjectVersionTagging', 'object'),
  same('DeleteObjectVersionTagging', 'object'),
  same('RestoreObject', 'object'),
  s3Only('GetObjectRetention', 'object'),
  s3Only('PutObjectRetention', 'object'),
  s3Only('GetObjectLegalHold', 'object'),
  s3Only('PutObjectLegalHold', 'object'),
  s3Only('BypassGovernanceRetention', 'object'),
];

/** The object store's permissions (s3:/oss:). */
export const PERMISSIONS: readonly PermissionInfo[] = ROWS.map(([name, level, s3, oss, acl]) => ({
  name, level, ...(s3 ? { s3 } : {}), ...(oss ? { oss } : {}), ...(acl ? { acl } : {}),
}));

/** The key service's actions (issue #12), after PERMISSIONS in id order; named `kms:<Action>`. */
export const KMS_ACTIONS = [
  'CreateKey', 'DescribeKey', 'ListKeys', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion',
  'EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'GetParametersForImport',
  'ImportKeyMaterial', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'Encrypt', 'Decrypt', 'ReEncryptFrom',
  'ReEncryptTo', 'PutKeyPolicy', 'GetKeyPolicy', 'CreateAlias', 'DeleteAlias', 'ListAliases',
] as const;

export const KMS_PERMISSIONS: readonly PermissionInfo[] = KMS_ACTIONS.map((a) => ({ name: `kms:${a}`, level: 'kms', kms: a }));

const ALL_PERMISSIONS: readonly PermissionInfo[] = [...PERMISSIONS, ...KMS_PERMISSIONS];

export type PermissionName = string;
/** Index into the catalog (PERMISSIONS, then KMS_PERMISSIONS): what compiled policies and requests carry. */
export type PermissionId = number;

export const PERMISSION_COUNT = ALL_PERMISSIONS.length;
/** Ids at or above this are kms: permissions. */
export const FIRST_KMS_PERMISSION = PERMISSIONS.length;

const BY_NAME = new Map(ALL_PERMISSIONS.map((p, i) => [p.name, i]));

/** The id of a permission by its catalog name (`GetObject`, `ListBucket`); undefined if unknown. */
export function permissionId(name: string): PermissionId | undefined {
  return BY_NAME.get(name);
}

export function permissionInfo(id: PermissionId): PermissionInfo {
  const info = ALL_PERMISSIONS[id];
  if (!info) throw new RangeError(`no permission ${id}`);
  return info;
}

/** Names per policy namespace, lowercased (IAM and RAM compare action names case-insensitively). */
export const ACTION_NAMES: Readonly<Record<'s3' | 'oss' | 'kms', ReadonlyArray<readonly [lowerName: string, id: PermissionId]>>> = {
  s3: PERMISSIONS.flatMap((p, i) => (p.s3 ? [[p.s3.toLowerCase(), i] as const] : [])),
  oss: PERMISSIONS.flatMap((p, i) => (p.oss ? [[p.oss.toLowerCase(), i] as const] : [])),
  kms: KMS_PERMISSIONS.map((p, i) => [p.kms!.toLowerCase(), FIRST_KMS_PERMISSION + i] as const),
};

export function isKmsPermission(id: PermissionId): boolean {
  return id >= FIRST_KMS_PERMISSION;
}
