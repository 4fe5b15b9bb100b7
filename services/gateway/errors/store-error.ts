// The gateway's one error type: a value with an S3-style code, thrown anywhere in the request
// pipeline and mapped once per dialect to an XML error document and an HTTP status
// (services/gateway/s3/s3-error-response.ts for S3). The status lives here because it is the
// same in both dialects for nearly every code; a dialect overrides where it differs.

export const STORE_ERROR_STATUS = {
  AccessControlListNotSupported: 400,
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  /** Admin API (identities): a name or id already taken. */
  EntityAlreadyExists: 409,
  ExpiredToken: 400,
  IllegalLocationConstraintException: 400,
  IllegalVersioningConfigurationException: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketAclWithObjectOwnership: 400,
  InvalidBucketName: 400,
  /** Data protection: object lock / WORM state forbids the change (S3 InvalidBucketState). */
  InvalidBucketState: 409,
  InvalidChunkSizeError: 403,
  InvalidDigest: 400,
  InvalidEncryptionAlgorithmError: 400,
  InvalidLocationConstraint: 400,
  InvalidObjectName: 400,
  InvalidObjectState: 403,
  InvalidPart: 400,
  InvalidPartNumber: 416,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  InvalidTag: 400,
  InvalidTargetType: 400,
  /** PutBucketLogging: the target bucket is missing or another owner's. */
  InvalidTargetBucketForLogging: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  // Server-side encryption with a KMS key that cannot be used (S3's codes for KMS's refusals).
  'KMS.DisabledException': 400,
  'KMS.KMSInvalidStateException': 400,
  'KMS.NotFoundException': 400,
  'KMS.InvalidCiphertextException': 400,
  /** SSE-S3 / SSE-KMS asked of a gateway started without the key service. */
  KMSNotConfigured: 501,
  LimitExceeded: 409,
  MalformedPolicy: 400,
  MalformedJSON: 400,
  MalformedXML: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  MissingRequestBodyError: 400,
  NoSuchAccessKey: 404,
  NoSuchAccount: 404,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  /** GetObjectRetention of a version without retention. */
  NoSuchObjectLockConfiguration: 404,
  /** GetObjectLockConfiguration of a bucket without object lock. */
  ObjectLockConfigurationNotFoundError: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  NoSuchUpload: 404,
  NoSuchPolicy: 404,
  NoSuchUser: 404,
  NoSuchVersion: 404,
  /** OSS WORM: no (live) retention policy with the id asked, or none at all. */
  NoSuchWORMConfiguration: 404,
  /** OSS WORM: a locked policy cannot be aborted or replaced. */
  WORMConfigurationLocked: 409,
  /** OSS WORM: the policy is not in the state the call needs. */
  InvalidWORMConfiguration: 409,
  NotFound: 404,
  NotImplemented: 501,
  NotModified: 304,
  NotSymlink: 400,
  ObjectNotAppendable: 409,
  OwnershipControlsNotFoundError: 404,
  PositionNotEqualToLength: 409,
  PreconditionFailed: 412,
  RequestHeaderSectionTooLarge: 400,
  RequestTimeout: 400,
  RequestTimeTooSkewed: 403,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
  SymlinkTargetNotExist: 404,
  XAmzContentSHA256Mismatch: 400,
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_STATUS;

/** Extra facts rendered into the error document (BucketName, Key, ...) or used by handlers. */
export type StoreErrorDetails = Record<string, string>;

export class StoreError extends Error {
  readonly status: number;

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: StoreErrorDetails = {},
  ) {
    super(message);
    this.name = 'StoreError';
    this.status = STORE_ERROR_STATUS[code];
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

export function isStoreErrorCode(code: string): code is StoreErrorCode {
  return Object.hasOwn(STORE_ERROR_STATUS, code);
}
