// The pure half of scrub: what an observation of a chunk file means, and how fast to walk.
// No disk, no clock: the scrubber feeds in what it read and the time it is.
import { blockMismatch, chunkFileBytes, footerMismatch, hex32 } from './chunk-format.ts';
import type { IndexEntry } from './chunk-index.ts';
import type { ChunkObservation } from './chunk-reader.ts';

export type ChunkVerdict =
  | { kind: 'healthy' }
  | { kind: 'missing'; detail: string }
  | { kind: 'corrupt'; detail: string };

export function judgeChunk(entry: IndexEntry, obs: ChunkObservation): ChunkVerdict {
  if (!obs.fileExists) return { kind: 'missing', detail: 'indexed but the chunk file is missing' };
  const corrupt = (detail: string): ChunkVerdict => ({ kind: 'corrupt', detail });
  if (obs.fileBytes !== undefined && obs.fileBytes !== chunkFileBytes(entry.length)) {
    return corrupt(`file is ${obs.fileBytes} bytes, expected ${chunkFileBytes(entry.length)}`);
  }
  if (obs.footer !== undefined && !obs.footer.ok) return corrupt(obs.footer.reason);
  if (obs.footer?.ok) {
    const mismatch = footerMismatch(obs.footer.footer, entry);
    if (mismatch !== undefined) return corrupt(mismatch);
  }
  if (obs.readError !== undefined) return corrupt(`read failed: ${obs.readError}`);
  if (!obs.footer?.ok || obs.computed === undefined) return corrupt('chunk could not be read to the end');
  const { footer } = obs.footer;
  for (let i = 0; i < Math.max(footer.blockCrcs.length, obs.computed.blockCrcs.length); i++) {
    const mismatch = blockMismatch(footer, i, obs.computed.blockCrcs[i] ?? 0);
    if (mismatch !== undefined) return corrupt(mismatch);
  }
  if (obs.computed.crc32c !== entry.crc32c) {
    return corrupt(`chunk crc32c 0x${hex32(obs.computed.crc32c)} != indexed 0x${hex32(entry.crc32c)}`);
  }
  return { kind: 'healthy' };
}

/**
 * A token bucket over virtual time: `reserve(bytes, now)` says how long to wait before reading
 * `bytes` so that the walk averages `bytesPerSecond`, letting up to `burstMs` of unused budget
 * carry over after an idle spell.
 */
export class ScrubPacer {
  // invariant: availableAtMs is when the bytes reserved so far have all been "paid for".
  private availableAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly burstMs: number,
  ) {
    if (!(bytesPerSecond > 0)) throw new Error(`scrub rate must be positive, got ${bytesPerSecond}`);
  }

  reserve(bytes: number, nowMs: number): number {
    const start = Math.max(this.availableAtMs, nowMs - this.burstMs);
    this.availableAtMs = start + (bytes * 1000) / this.bytesPerSecond;
    return Math.max(0, this.availableAtMs - nowMs);
  }
}

/** Counters a scrubber keeps; exported through NodeInfo. */
export interface ScrubMetrics {
  passesCompleted: number;
  chunksChecked: number;
  bytesChecked: number;
  corruptFound: number;
  missingFound: number;
  lastPassFinishedUnixMs: number;
}

export function emptyScrubMetrics(): ScrubMetrics {
  return { passesCompleted: 0, chunksChecked: 0, bytesChecked: 0, corruptFound: 0, missingFound: 0, lastPassFinishedUnixMs: 0 };
}
