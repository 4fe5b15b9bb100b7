// Refusals of the metadata service become gateway errors here, once. Most codes are S3's own
// and pass through; cluster conditions become 503 (clients retry) or 500.
import { isMetaError, type MetaError } from '../../meta/meta-error.ts';
import { isStoreErrorCode, StoreError, type StoreErrorCode } from './store-error.ts';

const CLUSTER_CODES: Partial<Record<MetaError['code'], StoreErrorCode>> = {
  NotLeader: 'ServiceUnavailable',
  ServiceUnavailable: 'ServiceUnavailable',
  // The write may have applied: S3 clients retry a 500, and every write we retry is idempotent
  // at the key level (a new version replaces the same bytes).
  OutcomeUnknown: 'InternalError',
  NoSuchDataNode: 'InternalError',
  FeedTruncated: 'InternalError',
  SnapshotTooOld: 'InternalError',
};

const MESSAGES: Partial<Record<StoreErrorCode, string>> = {
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchKey: 'The specified key does not exist.',
  NoSuchVersion: 'The specified version does not exist.',
  NoSuchUpload: 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.',
  BucketNotEmpty: 'The bucket you tried to delete is not empty',
  BucketAlreadyOwnedByYou: 'Your previous request to create the named bucket succeeded and you already own it.',
  BucketAlreadyExists: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  PreconditionFailed: 'At least one of the pre-conditions you specified did not hold',
  InvalidPart: 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
  InvalidPartOrder: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
  EntityTooSmall: 'Your proposed upload is smaller than the minimum allowed object size.',
  ServiceUnavailable: 'Please reduce your request rate.',
};

/** Converts a MetaError to a StoreError; anything else passes through unchanged. */
export function fromMetaError(err: unknown): unknown {
  if (!isMetaError(err)) return err;
  if (err.code === 'ObjectLocked') {
    // S3 answers a protected version's removal with 403 AccessDenied; the Protection detail
    // lets the OSS dialect answer its own code (FileImmutable) instead.
    return new StoreError('AccessDenied', 'Access Denied because object protected by object lock.', {
      BucketName: err.details['bucket'] ?? '', Key: err.details['key'] ?? '', Protection: err.details['protection'] ?? 'worm',
    });
  }
  const code: StoreErrorCode = CLUSTER_CODES[err.code] ?? (isStoreErrorCode(err.code) ? err.code : 'InternalError');
  const own = err.message.replace(/^[A-Za-z]+: /, '');
  const message = MESSAGES[code] ?? (code === 'InternalError' ? 'We encountered an internal error. Please try again.' : own);
  const details: Record<string, string> = {};
  // Error documents name details in S3's element style (BucketName, Key, VersionId, UploadId).
  for (const [k, v] of Object.entries(err.details)) {
    if (k === 'leader') continue;
    details[k === 'bucket' ? 'BucketName' : k[0]!.toUpperCase() + k.slice(1)] = v;
  }
  return new StoreError(code, message, details);
}

/** Runs a metadata call, translating its refusal. */
export async function metaCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw fromMetaError(err);
  }
}
