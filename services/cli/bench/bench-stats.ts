// The figures a report shows, from what a recorder accumulated: rates over the measured time and
// latency percentiles from the HDR histogram. Pure, and the part the unit tests pin down.
import type { Histogram, KindStats } from './op-recorder.ts';

export const MIB = 2 ** 20;

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface RateSummary {
  ops: number;
  bytes: number;
  items: number;
  seconds: number;
  opsPerSec: number;
  mibPerSec: number;
  /** Keys listed per second (list scenarios). */
  itemsPerSec: number;
  /** Milliseconds. All zero when nothing finished. */
  latencyMs: LatencySummary;
}

/** Percentiles in milliseconds from a histogram of microseconds; zeros for an empty one. */
export function latencySummary(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const max = h.maxValue;
  // A percentile is its bucket's highest equivalent value, which can pass the exact maximum.
  const at = (p: number): number => Math.min(h.getValueAtPercentile(p), max) / 1000;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: max / 1000, mean: h.mean / 1000 };
}

export function rate(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? count / (elapsedMs / 1000) : 0;
}

export function rateSummary(k: KindStats, elapsedMs: number): RateSummary {
  return {
    ops: k.ops, bytes: k.bytes, items: k.items, seconds: elapsedMs / 1000,
    opsPerSec: rate(k.ops, elapsedMs), mibPerSec: rate(k.bytes / MIB, elapsedMs), itemsPerSec: rate(k.items, elapsedMs),
    latencyMs: latencySummary(k.latencyMicros),
  };
}

/** `value` as a fraction of `limit`; undefined when there is no limit to compare with. */
export function ratioTo(value: number, limit: number | undefined): number | undefined {
  return limit !== undefined && limit > 0 ? value / limit : undefined;
}

/** CPU milliseconds over wall milliseconds, as % of one core. */
export function cpuPercent(cpuMs: number, wallMs: number): number {
  return wallMs > 0 ? (cpuMs / wallMs) * 100 : 0;
}
