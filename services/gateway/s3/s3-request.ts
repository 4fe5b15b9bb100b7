// What the S3 dialect makes of an HTTP request before anyone looks at credentials or data:
// the operation, the bucket and key it addresses, and the decoded query.

export const S3_OPERATIONS = [
  'ListBuckets',
  'CreateBucket', 'DeleteBucket', 'HeadBucket', 'GetBucketLocation',
  'GetBucketVersioning', 'PutBucketVersioning', 'GetBucketAcl', 'PutBucketAcl',
  'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy',
  'GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock',
  'GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls',
  'GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption',
  'GetBucketLifecycle', 'PutBucketLifecycle', 'DeleteBucketLifecycle',
  'GetBucketLogging', 'PutBucketLogging', 'DeleteBucketLogging',
  'GetObjectLockConfiguration', 'PutObjectLockConfiguration', 'GetObjectRetention', 'PutObjectRetention',
  'GetObjectLegalHold', 'PutObjectLegalHold',
  'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads', 'DeleteObjects',
  'PutObject', 'CopyObject', 'GetObject', 'HeadObject', 'DeleteObject', 'GetObjectAcl', 'PutObjectAcl',
  'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload',
  'AbortMultipartUpload', 'ListParts',
] as const;

export type S3Operation = (typeof S3_OPERATIONS)[number];

/** How the bucket was named: in the path (`/bucket/key`) or in the Host (`bucket.<domain>`). */
export type AddressingStyle = 'path' | 'virtual-host';

export interface S3Request {
  readonly operation: S3Operation;
  readonly bucket?: string;
  /** The decoded object key; undefined for service and bucket requests. */
  readonly key?: string;
  /** Decoded query parameters; the first wins when one is repeated, valueless ones map to ''. */
  readonly query: ReadonlyMap<string, string>;
  readonly style: AddressingStyle;
  /** `/bucket/key` (decoded), the Resource of error documents. */
  readonly resource: string;
}
