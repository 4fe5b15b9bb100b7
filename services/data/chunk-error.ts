// Errors of the data node are values with a code; `chunk-error-status.ts` maps each code to a
// gRPC status in one place, so the store never thinks in transport terms.

export type ChunkErrorCode =
  /** The id is not lowercase hex of an accepted length. */
  | 'InvalidChunkId'
  /** Frames out of order, a length over the limit, more or fewer bytes than announced. */
  | 'InvalidRequest'
  /** The bytes received do not have the CRC32C the client announced; nothing was kept. */
  | 'ChecksumMismatch'
  | 'ChunkNotFound'
  /** The id is taken by a chunk with a different length or CRC32C (chunks are write-once). */
  | 'ChunkExists'
  /** Another put or delete of the same id is running. */
  | 'ChunkBusy'
  /** Disk full or the configured capacity reached; nothing was kept. */
  | 'InsufficientCapacity'
  | 'RangeNotSatisfiable'
  /** Stored bytes or their checksums do not verify. */
  | 'ChunkCorrupt'
  /** The index lists the chunk but its file is gone. */
  | 'ChunkMissing'
  /** A put or get stream moved no frame for longer than the idle limit. */
  | 'StreamTimedOut'
  /** The client cancelled the call. */
  | 'Cancelled'
  | 'StoreClosed';

export class ChunkError extends Error {
  constructor(
    readonly code: ChunkErrorCode,
    message: string,
    readonly chunkId?: string,
  ) {
    super(message);
    this.name = 'ChunkError';
  }
}

const DISK_FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT']);

/** True for the errno codes that mean "no room on the device". */
export function isDiskFullError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && DISK_FULL_ERRNOS.has((err as NodeJS.ErrnoException).code ?? '');
}

export function isNotFoundError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
