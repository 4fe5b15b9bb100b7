// What a target accumulates while it is measured: a latency histogram per operation kind (HDR,
// microseconds), the operations, bytes and listed keys, errors by code, and a per-second
// timeline for the live rate and the throughput chart. Pure: times are handed in, never read.
import * as hdr from 'hdr-histogram-js';

/** Slower than this is clamped into the top bucket; the per-operation deadline is shorter anyway. */
export const HIGHEST_TRACKABLE_MICROS = 3_600_000_000;
/** Timeline resolution. */
export const TIMELINE_BUCKET_MS = 1_000;
/** One message kept per error code, to show what went wrong without flooding the report. */
const MAX_ERROR_SAMPLES = 20;

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_MICROS, numberOfSignificantValueDigits: 3 });
}

export interface KindStats {
  latencyMicros: Histogram;
  ops: number;
  bytes: number;
  /** Keys returned by list calls. */
  items: number;
}

export interface TimelineBucket {
  /** Start of the bucket, ms since the run's measured phase began (wall clock, shared by all targets). */
  tMs: number;
  ops: number;
  bytes: number;
  errors: number;
  /** Of the bucket's time, how much the target was being measured (slices start and end mid-bucket). */
  activeMs: number;
}

export class OpRecorder {
  /** Top-level operations: what ops/s and MiB/s count. */
  readonly total: KindStats = newKindStats();
  /** By kind (put, get, list-page, part, …); sub-operations such as multipart parts only here. */
  readonly byKind = new Map<string, KindStats>();
  readonly errors = new Map<string, number>();
  readonly errorSamples = new Map<string, string>();
  /** Measured wall time (slices only; warm-ups and preparation excluded). */
  elapsedMs = 0;
  private readonly timeline = new Map<number, TimelineBucket>();

  /** A finished top-level operation at `atMs` (since the measured phase began). */
  recordOp(kind: string, micros: number, bytes: number, atMs: number, items = 0): void {
    addTo(this.total, micros, bytes, items);
    this.recordSub(kind, micros, bytes, items);
    const b = this.bucket(atMs);
    b.ops++;
    b.bytes += bytes;
  }

  /** A part of an operation (one page of a listing, one part of an upload): per kind only. */
  recordSub(kind: string, micros: number, bytes: number, items = 0): void {
    let k = this.byKind.get(kind);
    if (!k) this.byKind.set(kind, (k = newKindStats()));
    addTo(k, micros, bytes, items);
  }

  recordError(code: string, message: string, atMs: number): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    if (!this.errorSamples.has(code) && this.errorSamples.size < MAX_ERROR_SAMPLES) this.errorSamples.set(code, message);
    this.bucket(atMs).errors++;
  }

  get errorCount(): number {
    let n = 0;
    for (const c of this.errors.values()) n += c;
    return n;
  }

  /** The target was measured from `fromMs` to `toMs` (since the phase began): rates divide by it. */
  markActive(fromMs: number, toMs: number): void {
    for (let t = Math.floor(fromMs / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS; t < toMs; t += TIMELINE_BUCKET_MS) {
      this.bucket(t).activeMs += Math.min(toMs, t + TIMELINE_BUCKET_MS) - Math.max(fromMs, t);
    }
  }

  /** Buckets in time order; those a target never ran in are absent (its slices leave gaps). */
  timelineBuckets(): TimelineBucket[] {
    return [...this.timeline.values()].sort((a, b) => a.tMs - b.tMs);
  }

  private bucket(atMs: number): TimelineBucket {
    const tMs = Math.max(0, Math.floor(atMs / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS);
    let b = this.timeline.get(tMs);
    if (!b) this.timeline.set(tMs, (b = { tMs, ops: 0, bytes: 0, errors: 0, activeMs: 0 }));
    return b;
  }
}

function newKindStats(): KindStats {
  return { latencyMicros: newHistogram(), ops: 0, bytes: 0, items: 0 };
}

function addTo(k: KindStats, micros: number, bytes: number, items: number): void {
  k.latencyMicros.recordValue(Math.min(Math.max(1, Math.round(micros)), HIGHEST_TRACKABLE_MICROS));
  k.ops++;
  k.bytes += bytes;
  k.items += items;
}
