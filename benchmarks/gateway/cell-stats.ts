// What one cell (one system, one operation, one object size, one concurrency) accumulates over
// its interleaved slices: latencies in an HDR histogram (µs), bytes and time for throughput,
// errors by code, and the CPU the servers and this load process spent while it ran.
import * as hdr from 'hdr-histogram-js';

/** Slower than this is clamped: the per-operation deadline is shorter anyway. */
const HIGHEST_TRACKABLE_MICROS = 600_000_000;

export interface CellStats {
  latencyMicros: hdr.Histogram;
  ops: number;
  bytes: number;
  /** Wall time of the measured slices (warm-ups excluded). */
  elapsedMs: number;
  /** Error code → count; an erroring op is not in the histogram or in `bytes`. */
  errors: Map<string, number>;
  /** One message per code, to show what went wrong. */
  errorSamples: Map<string, string>;
  /** CPU ms of each server process over the measured slices, in the system's pid order. */
  serverCpuMsByPid: number[];
  clientCpuMs: number;
  /** CPU of every process outside the benchmark (other users of this shared machine). */
  othersCpuMs: number;
}

export function newCellStats(serverPids: number): CellStats {
  return {
    latencyMicros: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_MICROS, numberOfSignificantValueDigits: 3 }),
    ops: 0, bytes: 0, elapsedMs: 0, errors: new Map(), errorSamples: new Map(),
    serverCpuMsByPid: Array.from({ length: serverPids }, () => 0), clientCpuMs: 0, othersCpuMs: 0,
  };
}

export function recordLatency(stats: CellStats, micros: number): void {
  stats.latencyMicros.recordValue(Math.min(Math.max(1, Math.round(micros)), HIGHEST_TRACKABLE_MICROS));
}

export function recordError(stats: CellStats, err: unknown): void {
  const code = errorCode(err);
  stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
  if (!stats.errorSamples.has(code)) stats.errorSamples.set(code, (err as Error)?.message ?? String(err));
}

/** The S3 error code when the server sent one, else the socket/abort error's code or name. */
export function errorCode(err: unknown): string {
  const e = err as { Code?: string; name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const base = e?.Code ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  return status ? `${base} (HTTP ${status})` : base;
}

export interface CellSummary {
  ops: number;
  mibPerSec: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** Server CPU per successful op, all server processes together. */
  serverCpuMsPerOp: number;
  /** Each server process's CPU in % of one core over the measured time. */
  serverCpuPercentByPid: number[];
  clientCpuMsPerOp: number;
  /** Processes outside the benchmark, in % of one core: when high, the machine set the pace. */
  othersCpuPercent: number;
}

export function summarize(stats: CellStats): CellSummary {
  const seconds = stats.elapsedMs / 1000;
  const h = stats.latencyMicros;
  const perOp = (ms: number): number => (stats.ops > 0 ? ms / stats.ops : 0);
  return {
    ops: stats.ops,
    mibPerSec: seconds > 0 ? stats.bytes / 2 ** 20 / seconds : 0,
    opsPerSec: seconds > 0 ? stats.ops / seconds : 0,
    p50Ms: h.totalCount > 0 ? h.getValueAtPercentile(50) / 1000 : 0,
    p99Ms: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : 0,
    maxMs: h.totalCount > 0 ? h.maxValue / 1000 : 0,
    errors: [...stats.errors.values()].reduce((a, b) => a + b, 0),
    serverCpuMsPerOp: perOp(stats.serverCpuMsByPid.reduce((a, b) => a + b, 0)),
    serverCpuPercentByPid: stats.serverCpuMsByPid.map((ms) => (stats.elapsedMs > 0 ? (ms / stats.elapsedMs) * 100 : 0)),
    clientCpuMsPerOp: perOp(stats.clientCpuMs),
    othersCpuPercent: stats.elapsedMs > 0 ? (stats.othersCpuMs / stats.elapsedMs) * 100 : 0,
  };
}
