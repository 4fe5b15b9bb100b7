// Latencies are recorded in microseconds in HDR histograms so that the two client processes
// of a c=256 cell can be merged exactly (percentiles of merged data, not averaged percentiles).
import * as hdr from 'hdr-histogram-js';

/** Anything slower than this is clamped: it is a stall, and the deadline is shorter anyway. */
const HIGHEST_TRACKABLE_MICROS = 120_000_000;

export type LatencyHistogram = hdr.Histogram;

export function newLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_MICROS,
    numberOfSignificantValueDigits: 3,
  });
}

export function recordMicros(histogram: LatencyHistogram, micros: number): void {
  histogram.recordValue(Math.min(Math.max(1, Math.round(micros)), HIGHEST_TRACKABLE_MICROS));
}

export function encodeHistogram(histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function mergeEncodedHistograms(encoded: readonly string[]): LatencyHistogram {
  const merged = newLatencyHistogram();
  for (const e of encoded) merged.add(hdr.decodeFromCompressedBase64(e));
  return merged;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarizeLatency(histogram: LatencyHistogram): LatencySummary {
  const ms = (micros: number): number => micros / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    maxMs: ms(histogram.maxValue),
  };
}
