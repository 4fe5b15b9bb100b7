// Errors are values with an S3-style code. The state machine returns them as the outcome of a
// refused command (identically on every replica); the gRPC layer carries the code to clients,
// and the gateway maps it once to S3/OSS XML and HTTP status.

export type MetaErrorCode =
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'NoSuchVersion'
  | 'NoSuchUpload'
  | 'NoSuchDataNode'
  | 'BucketAlreadyExists'
  | 'BucketAlreadyOwnedByYou'
  | 'BucketNotEmpty'
  | 'InvalidBucketName'
  | 'KeyTooLongError'
  | 'InvalidArgument'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'EntityTooSmall'
  | 'MalformedXML'
  | 'PreconditionFailed'
  | 'MethodNotAllowed'
  | 'IllegalVersioningConfigurationException'
  | 'MetadataTooLarge'
  /** AppendObject on an object that was not created by AppendObject. */
  | 'ObjectNotAppendable'
  /** AppendObject at a position other than the object's size (details: nextAppendPosition). */
  | 'PositionNotEqualToLength'
  /** A tag set over the limits (count, key or value length). */
  | 'InvalidTag'
  /** Identities (accounts, users, keys, user policies): a name or id already taken. */
  | 'EntityAlreadyExists'
  | 'NoSuchAccount'
  | 'NoSuchUser'
  | 'NoSuchAccessKey'
  | 'NoSuchPolicy'
  /** A per-account or per-user count limit (users, keys, policies). */
  | 'LimitExceeded'
  /** KMS: no such key (or alias). */
  | 'NoSuchKmsKey'
  /** KMS: the key's state does not allow the change (e.g. enabling a key pending deletion). */
  | 'KmsInvalidState'
  /** Data protection: a WORM- or object-lock-protected version may not be removed or overwritten. */
  | 'ObjectLocked'
  /** Data protection: a protected retention setting may not be changed so (S3 answers AccessDenied). */
  | 'AccessDenied'
  /** Data protection: the request needs object lock on the bucket (S3 InvalidRequest). */
  | 'InvalidRequest'
  /** Data protection: the bucket's state does not allow the change (object lock off, versioning suspended ...). */
  | 'InvalidBucketState'
  /** OSS WORM: no (live) retention policy with that id. */
  | 'NoSuchWORMConfiguration'
  /** OSS WORM: the policy is locked (cannot be aborted or replaced). */
  | 'WORMConfigurationLocked'
  /** OSS WORM: the policy is not in the state the call needs (extend an unlocked one ...). */
  | 'InvalidWORMConfiguration'
  /** A change-feed reader asked for changes older than the feed keeps. */
  | 'FeedTruncated'
  /** A snapshot was asked of a replica that has not applied far enough. */
  | 'SnapshotTooOld'
  /** No leader is known right now, or this replica may not forward: retry (maybe elsewhere). */
  | 'NotLeader'
  /** The write may or may not have been applied (timeout, leader change): check, then retry. */
  | 'OutcomeUnknown'
  | 'ServiceUnavailable'
  | 'InternalError';

export const META_ERROR_CODES: ReadonlySet<string> = new Set<MetaErrorCode>([
  'NoSuchBucket', 'NoSuchKey', 'NoSuchVersion', 'NoSuchUpload', 'NoSuchDataNode',
  'BucketAlreadyExists', 'BucketAlreadyOwnedByYou', 'BucketNotEmpty', 'InvalidBucketName',
  'KeyTooLongError', 'InvalidArgument', 'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall',
  'MalformedXML', 'PreconditionFailed', 'MethodNotAllowed',
  'IllegalVersioningConfigurationException', 'MetadataTooLarge', 'ObjectNotAppendable',
  'PositionNotEqualToLength', 'InvalidTag', 'FeedTruncated',
  'EntityAlreadyExists', 'NoSuchAccount', 'NoSuchUser', 'NoSuchAccessKey', 'NoSuchPolicy', 'LimitExceeded',
  'NoSuchKmsKey', 'KmsInvalidState',
  'ObjectLocked', 'AccessDenied', 'InvalidRequest', 'InvalidBucketState', 'NoSuchWORMConfiguration', 'WORMConfigurationLocked', 'InvalidWORMConfiguration',
  'SnapshotTooOld', 'NotLeader', 'OutcomeUnknown', 'ServiceUnavailable', 'InternalError',
]);

/** Extra facts about an error (bucket, key, versionId, deleteMarker, leader ...). */
export type MetaErrorDetails = Record<string, string>;

export class MetaError extends Error {
  constructor(
    readonly code: MetaErrorCode,
    message: string,
    readonly details: MetaErrorDetails = {},
  ) {
    super(`${code}: ${message}`);
    this.name = 'MetaError';
  }
}

export function isMetaError(err: unknown, code?: MetaErrorCode): err is MetaError {
  return err instanceof MetaError && (code === undefined || err.code === code);
}
