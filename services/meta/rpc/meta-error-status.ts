// The one place MetaError codes meet gRPC: which status carries each code, and how the code,
// its details and a leader hint travel in trailing metadata — in both directions.
import * as grpc from '@grpc/grpc-js';
import { META_ERROR_CODES, MetaError, type MetaErrorCode } from '../meta-error.ts';

export const CODE_HEADER = 'zs-code';
export const DETAILS_HEADER = 'zs-details';
/** API address of the leader, when known (on NotLeader and with forwarded answers). */
export const LEADER_HEADER = 'zs-leader';
/** Set on a request a follower forwarded, so it is never forwarded twice. */
export const FORWARDED_HEADER = 'zs-forwarded';

const STATUS_OF: Record<MetaErrorCode, grpc.status> = {
  NoSuchBucket: grpc.status.NOT_FOUND,
  NoSuchKey: grpc.status.NOT_FOUND,
  NoSuchVersion: grpc.status.NOT_FOUND,
  NoSuchUpload: grpc.status.NOT_FOUND,
  NoSuchDataNode: grpc.status.NOT_FOUND,
  BucketAlreadyExists: grpc.status.ALREADY_EXISTS,
  BucketAlreadyOwnedByYou: grpc.status.ALREADY_EXISTS,
  BucketNotEmpty: grpc.status.FAILED_PRECONDITION,
  PreconditionFailed: grpc.status.FAILED_PRECONDITION,
  MethodNotAllowed: grpc.status.FAILED_PRECONDITION,
  SnapshotTooOld: grpc.status.FAILED_PRECONDITION,
  ObjectNotAppendable: grpc.status.FAILED_PRECONDITION,
  PositionNotEqualToLength: grpc.status.FAILED_PRECONDITION,
  InvalidBucketName: grpc.status.INVALID_ARGUMENT,
  KeyTooLongError: grpc.status.INVALID_ARGUMENT,
  InvalidArgument: grpc.status.INVALID_ARGUMENT,
  InvalidPart: grpc.status.INVALID_ARGUMENT,
  InvalidPartOrder: grpc.status.INVALID_ARGUMENT,
  EntityTooSmall: grpc.status.INVALID_ARGUMENT,
  MalformedXML: grpc.status.INVALID_ARGUMENT,
  IllegalVersioningConfigurationException: grpc.status.INVALID_ARGUMENT,
  MetadataTooLarge: grpc.status.INVALID_ARGUMENT,
  InvalidTag: grpc.status.INVALID_ARGUMENT,
  EntityAlreadyExists: grpc.status.ALREADY_EXISTS,
  NoSuchAccount: grpc.status.NOT_FOUND,
  NoSuchUser: grpc.status.NOT_FOUND,
  NoSuchAccessKey: grpc.status.NOT_FOUND,
  NoSuchPolicy: grpc.status.NOT_FOUND,
  LimitExceeded: grpc.status.FAILED_PRECONDITION,
  NoSuchKmsKey: grpc.status.NOT_FOUND,
  KmsInvalidState: grpc.status.FAILED_PRECONDITION,
  ObjectLocked: grpc.status.PERMISSION_DENIED,
  AccessDenied: grpc.status.PERMISSION_DENIED,
  InvalidRequest: grpc.status.INVALID_ARGUMENT,
  InvalidBucketState: grpc.status.FAILED_PRECONDITION,
  NoSuchWORMConfiguration: grpc.status.NOT_FOUND,
  WORMConfigurationLocked: grpc.status.FAILED_PRECONDITION,
  InvalidWORMConfiguration: grpc.status.FAILED_PRECONDITION,
  FeedTruncated: grpc.status.OUT_OF_RANGE,
  // Safe to retry, here or at another replica.
  NotLeader: grpc.status.UNAVAILABLE,
  ServiceUnavailable: grpc.status.UNAVAILABLE,
  // Not safe to retry blindly: the write may have been applied.
  OutcomeUnknown: grpc.status.UNKNOWN,
  InternalError: grpc.status.INTERNAL,
};

export function statusOf(code: MetaErrorCode): grpc.status {
  return STATUS_OF[code];
}

/** The grpc-js error a handler returns for `err`. */
export function toServiceError(err: MetaError): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(CODE_HEADER, err.code);
  if (Object.keys(err.details).length > 0) metadata.set(DETAILS_HEADER, JSON.stringify(err.details));
  if (err.details.leaderAddress) metadata.set(LEADER_HEADER, err.details.leaderAddress);
  return { code: STATUS_OF[err.code], details: err.message, metadata };
}

function header(md: grpc.Metadata | undefined, name: string): string {
  const v = md?.get(name)[0];
  return typeof v === 'string' ? v : v ? v.toString() : '';
}

/** A MetaError from a failed call (`write`: a lost answer means the outcome is unknown). */
export function fromServiceError(err: grpc.ServiceError, write: boolean): MetaError {
  const code = header(err.metadata, CODE_HEADER);
  let details: Record<string, string> = {};
  try {
    const raw = header(err.metadata, DETAILS_HEADER);
    if (raw) details = JSON.parse(raw) as Record<string, string>;
  } catch {
    details = {};
  }
  const leader = header(err.metadata, LEADER_HEADER);
  if (leader) details.leaderAddress = leader;
  if (META_ERROR_CODES.has(code)) {
    const prefix = `${code}: `;
    const message = err.details.startsWith(prefix) ? err.details.slice(prefix.length) : err.details;
    return new MetaError(code as MetaErrorCode, message, details);
  }
  // No code: the transport failed. Connection refused means the call never ran.
  if (err.code === grpc.status.UNAVAILABLE && !write) return new MetaError('ServiceUnavailable', err.details, details);
  if (err.code === grpc.status.UNAVAILABLE && /ECONNREFUSED|No connection established/.test(err.details)) {
    return new MetaError('ServiceUnavailable', err.details, details);
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED || err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.CANCELLED) {
    return new MetaError(write ? 'OutcomeUnknown' : 'ServiceUnavailable', err.details, details);
  }
  return new MetaError('InternalError', `${grpc.status[err.code] ?? err.code}: ${err.details}`, details);
}
