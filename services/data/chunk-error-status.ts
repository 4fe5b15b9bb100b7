// The one place where data node errors become gRPC statuses.
import * as grpc from '@grpc/grpc-js';
import { ChunkError, isDiskFullError, type ChunkErrorCode } from './chunk-error.ts';

const STATUS_BY_CODE: Record<ChunkErrorCode, grpc.status> = {
  InvalidChunkId: grpc.status.INVALID_ARGUMENT,
  InvalidRequest: grpc.status.INVALID_ARGUMENT,
  // A put whose bytes do not match the client's own checksum is a bad request (retry it);
  // DATA_LOSS is kept for stored data that no longer verifies.
  ChecksumMismatch: grpc.status.INVALID_ARGUMENT,
  ChunkNotFound: grpc.status.NOT_FOUND,
  ChunkExists: grpc.status.ALREADY_EXISTS,
  ChunkBusy: grpc.status.ABORTED,
  InsufficientCapacity: grpc.status.RESOURCE_EXHAUSTED,
  RangeNotSatisfiable: grpc.status.OUT_OF_RANGE,
  ChunkCorrupt: grpc.status.DATA_LOSS,
  ChunkMissing: grpc.status.DATA_LOSS,
  StreamTimedOut: grpc.status.DEADLINE_EXCEEDED,
  Cancelled: grpc.status.CANCELLED,
  StoreClosed: grpc.status.UNAVAILABLE,
};

/** Metadata key carrying the ChunkError code, so clients can tell e.g. corrupt from missing. */
export const ERROR_CODE_METADATA_KEY = 'x-zonestore-error-code';

export function grpcStatusOf(code: ChunkErrorCode): grpc.status {
  return STATUS_BY_CODE[code];
}

/** A grpc-js status object for any thrown value; unexpected errors become INTERNAL. */
export function toServiceError(err: unknown): Partial<grpc.StatusObject> & { code: grpc.status; details: string } {
  const metadata = new grpc.Metadata();
  if (err instanceof ChunkError) {
    metadata.set(ERROR_CODE_METADATA_KEY, err.code);
    return { code: STATUS_BY_CODE[err.code], details: err.message, metadata };
  }
  if (isDiskFullError(err)) {
    metadata.set(ERROR_CODE_METADATA_KEY, 'InsufficientCapacity');
    return { code: grpc.status.RESOURCE_EXHAUSTED, details: `disk full: ${(err as Error).message}`, metadata };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.INTERNAL, details: `internal error: ${message}`, metadata };
}
