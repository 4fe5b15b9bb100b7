// The JSON report: every figure of a run per target, in plain numbers (ms, MiB/s, % of one
// core), so other tools and the suite can read it. Built from what the run accumulated; pure.
import { MIB, cpuPercent, rateSummary, type RateSummary } from './bench-stats.ts';
import type { TargetKind } from './bench-target.ts';
import type { TargetOutcome } from './bench-run.ts';
import type { MachineDescription } from './machine-description.ts';

export const REPORT_VERSION = 1;
/** Timeline points need this much of their second measured. */
export const MIN_ACTIVE_MS_PER_POINT = 250;

export interface ServerReport {
  name: string;
  pid: number;
  /** % of one core over the target's measured time. */
  cpuPercent: number;
  peakRssMiB: number;
  lifetimePeakRssMiB: number;
}

export interface TimelinePoint {
  /** Seconds since the measured phase began (shared by all targets of the run). */
  tS: number;
  opsPerSec: number;
  mibPerSec: number;
  errors: number;
}

export interface TargetReport {
  label: string;
  kind: TargetKind;
  endpoints: string[];
  /** Top-level operations: ops/s, MiB/s and latency of whole operations. */
  total: RateSummary;
  /** Per kind (put, get, list, list-page, multipart, part, delete). */
  byKind: Record<string, RateSummary>;
  errorCount: number;
  errors: Record<string, number>;
  /** One message per error code. */
  errorSamples: Record<string, string>;
  clientCpuPercent: number;
  /** Processes outside the benchmark, % of one core: when high, the machine set the pace. */
  othersCpuPercent: number;
  /** Only for servers the tool started (local cluster, s3rver, limit servers). */
  servers: ServerReport[];
  /** All servers' CPU ms per successful operation; absent without servers. */
  serverCpuMsPerOp?: number;
  timeline: TimelinePoint[];
  exhausted: boolean;
  cleanup: string;
}

export interface ScenarioReport {
  name: string;
  size: string;
  concurrency: number;
  durationS?: number;
  ops?: number;
  rounds: number;
  seed: number;
  keys: string;
  /** Scenario-specific knobs as given (ratio, part size, list layout, …). */
  details: Record<string, string | number>;
}

export interface BenchReport {
  tool: 'zonestore bench';
  reportVersion: number;
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineDescription;
  loadAverageAtEnd: [number, number, number];
  scenario: ScenarioReport;
  targets: TargetReport[];
}

export function targetReport(o: TargetOutcome): TargetReport {
  const r = o.recorder;
  const elapsed = r.elapsedMs;
  const servers = o.sampler.usage.map((u) => ({
    name: u.name, pid: u.pid, cpuPercent: cpuPercent(u.cpuMs, elapsed),
    peakRssMiB: u.peakRssBytes / MIB, lifetimePeakRssMiB: u.lifetimePeakRssBytes / MIB,
  }));
  const serverCpuMs = o.sampler.usage.reduce((s, u) => s + u.cpuMs, 0);
  return {
    label: o.target.label, kind: o.target.kind, endpoints: [...o.target.endpoints],
    total: rateSummary(r.total, elapsed),
    byKind: Object.fromEntries([...r.byKind].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => [k, rateSummary(s, elapsed)])),
    errorCount: r.errorCount, errors: Object.fromEntries(r.errors), errorSamples: Object.fromEntries(r.errorSamples),
    clientCpuPercent: cpuPercent(o.sampler.clientCpuMs, elapsed),
    othersCpuPercent: cpuPercent(o.sampler.othersCpuMs, elapsed),
    servers,
    ...(servers.length > 0 && r.total.ops > 0 ? { serverCpuMsPerOp: serverCpuMs / r.total.ops } : {}),
    // A bucket the target ran in only briefly (a slice's first or last moments) says little.
    timeline: r.timelineBuckets().filter((b) => b.activeMs >= MIN_ACTIVE_MS_PER_POINT).map((b) => ({
      tS: b.tMs / 1000, opsPerSec: b.ops / (b.activeMs / 1000), mibPerSec: b.bytes / MIB / (b.activeMs / 1000), errors: b.errors,
    })),
    exhausted: o.exhausted, cleanup: o.cleanup,
  };
}
