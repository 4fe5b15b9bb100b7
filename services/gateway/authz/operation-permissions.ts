// What each gateway operation needs, as permission checks on its targets: the gateway runs one
// authorize() per check (CopyObject: write the destination, read the source; DeleteObjects: each
// key). A Record over every operation, so a new operation cannot go unmapped.
import type { Operation } from '../dialect/operation.ts';
import { permissionId, type PermissionId } from './permissions.ts';

/** Which resource a check is about: the request's own, the copy source, or every key of a DeleteObjects body. */
export type CheckTarget = 'service' | 'bucket' | 'object' | 'copy-source' | 'each-key';

export interface PermissionCheck {
  readonly permission: PermissionId;
  readonly name: string;
  readonly target: CheckTarget;
}

export interface OperationFacts {
  /** The request names a versionId (GET/HEAD/DELETE of one version, its ACL or tags). */
  readonly versionId?: boolean;
  /** The copy source names a versionId. */
  readonly sourceVersionId?: boolean;
  /** The request also sets an ACL (x-amz-acl, x-amz-grant-*, x-oss-acl, x-oss-object-acl): S3 then also requires PutObjectAcl (PutBucketAcl for CreateBucket). */
  readonly setsAcl?: boolean;
}

type Spec = readonly (readonly [name: string, target: CheckTarget, versioned?: string])[];

const OPERATION_CHECKS: Record<Operation, Spec> = {
  ListBuckets: [['ListAllMyBuckets', 'service']],
  CreateBucket: [['CreateBucket', 'bucket']],
  DeleteBucket: [['DeleteBucket', 'bucket']],
  HeadBucket: [['ListBucket', 'bucket']],
  GetBucketLocation: [['GetBucketLocation', 'bucket']],
  GetBucketVersioning: [['GetBucketVersioning', 'bucket']],
  PutBucketVersioning: [['PutBucketVersioning', 'bucket']],
  GetBucketAcl: [['GetBucketAcl', 'bucket']],
  PutBucketAcl: [['PutBucketAcl', 'bucket']],
  GetBucketPolicy: [['GetBucketPolicy', 'bucket']],
  PutBucketPolicy: [['PutBucketPolicy', 'bucket']],
  DeleteBucketPolicy: [['DeleteBucketPolicy', 'bucket']],
  GetPublicAccessBlock: [['GetBucketPublicAccessBlock', 'bucket']],
  PutPublicAccessBlock: [['PutBucketPublicAccessBlock', 'bucket']],
  // S3 has no permission of its own for the delete (IAM asks s3:PutBucketPublicAccessBlock); one operation serves both dialects.
  DeletePublicAccessBlock: [['PutBucketPublicAccessBlock', 'bucket']],
  GetBucketOwnershipControls: [['GetBucketOwnershipControls', 'bucket']],
  PutBucketOwnershipControls: [['PutBucketOwnershipControls', 'bucket']],
  DeleteBucketOwnershipControls: [['PutBucketOwnershipControls', 'bucket']],
  GetBucketEncryption: [['GetBucketEncryption', 'bucket']],
  PutBucketEncryption: [['PutBucketEncryption', 'bucket']],
  // S3 asks s3:PutEncryptionConfiguration for the delete too; one operation serves both dialects.
  DeleteBucketEncryption: [['PutBucketEncryption', 'bucket']],
  GetBucketLifecycle: [['GetBucketLifecycle', 'bucket']],
  PutBucketLifecycle: [['PutBucketLifecycle', 'bucket']],
  DeleteBucketLifecycle: [['DeleteBucketLifecycle', 'bucket']],
  GetBucketLogging: [['GetBucketLogging', 'bucket']],
  PutBucketLogging: [['PutBucketLogging', 'bucket']],
  DeleteBucketLogging: [['DeleteBucketLogging', 'bucket']],
  ListObjects: [['ListBucket', 'bucket']],
  ListObjectsV2: [['ListBucket', 'bucket']],
  ListObjectVersions: [['ListBucketVersions', 'bucket']],
  ListMultipartUploads: [['ListBucketMultipartUploads', 'bucket']],
  DeleteObjects: [['DeleteObject', 'each-key']],
  PutObject: [['PutObject', 'object']],
  CopyObject: [['PutObject', 'object'], ['GetObject', 'copy-source', 'GetObjectVersion']],
  GetObject: [['GetObject', 'object', 'GetObjectVersion']],
  HeadObject: [['GetObject', 'object', 'GetObjectVersion']],
  DeleteObject: [['DeleteObject', 'object', 'DeleteObjectVersion']],
  GetObjectAcl: [['GetObjectAcl', 'object', 'GetObjectVersionAcl']],
  PutObjectAcl: [['PutObjectAcl', 'object', 'PutObjectVersionAcl']],
  CreateMultipartUpload: [['PutObject', 'object']],
  UploadPart: [['PutObject', 'object']],
  UploadPartCopy: [['PutObject', 'object'], ['GetObject', 'copy-source', 'GetObjectVersion']],
  CompleteMultipartUpload: [['PutObject', 'object']],
  AbortMultipartUpload: [['AbortMultipartUpload', 'object']],
  ListParts: [['ListMultipartUploadParts', 'object']],
  AppendObject: [['PutObject', 'object']],
  GetObjectMeta: [['GetObject', 'object', 'GetObjectVersion']],
  PutSymlink: [['PutObject', 'object']],
  GetSymlink: [['GetObject', 'object', 'GetObjectVersion']],
  PutObjectTagging: [['PutObjectTagging', 'object', 'PutObjectVersionTagging']],
  GetObjectTagging: [['GetObjectTagging', 'object', 'GetObjectVersionTagging']],
  DeleteObjectTagging: [['DeleteObjectTagging', 'object', 'DeleteObjectVersionTagging']],
  GetBucketInfo: [['GetBucketInfo', 'bucket']],
  GetBucketStat: [['GetBucketStat', 'bucket']],
  PutBucketReferer: [['PutBucketReferer', 'bucket']],
  GetBucketReferer: [['GetBucketReferer', 'bucket']],
  InitiateBucketWorm: [['PutBucketWorm', 'bucket']],
  GetObjectLockConfiguration: [['GetBucketWorm', 'bucket']],
  PutObjectLockConfiguration: [['PutBucketWorm', 'bucket']],
  GetObjectRetention: [['GetObjectRetention', 'object']],
  PutObjectRetention: [['PutObjectRetention', 'object']],
  GetObjectLegalHold: [['GetObjectLegalHold', 'object']],
  PutObjectLegalHold: [['PutObjectLegalHold', 'object']],
  CompleteBucketWorm: [['CompleteBucketWorm', 'bucket']],
  AbortBucketWorm: [['AbortBucketWorm', 'bucket']],
  ExtendBucketWorm: [['ExtendBucketWorm', 'bucket']],
  GetBucketWorm: [['GetBucketWorm', 'bucket']],
};

const SETS_ACL: ReadonlySet<Operation> = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'AppendObject', 'PutSymlink']);

function check(name: string, target: CheckTarget): PermissionCheck {
  const permission = permissionId(name);
  if (permission === undefined) throw new Error(`operation-permissions names unknown permission ${name}`);
  return { permission, name, target };
}

/** The checks an operation needs; every one must be allowed. */
export function requiredPermissions(operation: Operation, facts: OperationFacts = {}): PermissionCheck[] {
  const out = OPERATION_CHECKS[operation].map(([name, target, versioned]) => {
    const useVersion = versioned !== undefined && (target === 'copy-source' ? facts.sourceVersionId : facts.versionId);
    return check(useVersion ? versioned! : name, target);
  });
  if (facts.setsAcl && SETS_ACL.has(operation)) out.push(check('PutObjectAcl', 'object'));
  if (facts.setsAcl && operation === 'CreateBucket') out.push(check('PutBucketAcl', 'bucket'));
  return out;
}
