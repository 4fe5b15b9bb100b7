// A campaign of chaos runs (many seeds) summed up: how many passed, what failed, and the write
// RTO distribution per kind of fault, with zone faults that hit the meta leader's zone counted
// apart (the slow case: an election comes first). Pure.
import type { NemesisFault } from '../nemesis/nemesis-fault.ts';
import type { ChaosRunResult } from './chaos-run.ts';
import { CORRUPT_READ_PREFIX } from '../workload/object-values.ts';

export interface RtoSample {
  seed: number;
  scenario: string;
  /** e.g. `zone-kill (leader's zone)`, `zone-kill`, `network isolate`. */
  group: string;
  ms: number;
}

export interface RtoStats {
  group: string;
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

export interface CampaignSummary {
  runs: number;
  passed: number;
  failed: Array<{ scenario: string; seed: number; problems: string[] }>;
  linearizabilityViolations: number;
  lostWrites: number;
  corruptReads: number;
  redundancyFailures: number;
  rto: RtoStats[];
}

export function faultGroup(fault: NemesisFault, leaderZoneBefore: string | undefined): string {
  switch (fault.kind) {
    case 'zone-kill': case 'zone-pause':
      return fault.zone === leaderZoneBefore ? `${fault.kind} (leader's zone)` : `${fault.kind} (follower zone)`;
    case 'network': return `network ${fault.fault.kind}`;
    default: return fault.kind;
  }
}

export function rtoSamples(r: Pick<ChaosRunResult, 'seed' | 'scenario' | 'faults' | 'rto'>): RtoSample[] {
  const byId = new Map(r.faults.map((f) => [f.id, f]));
  return r.rto.flatMap((t) => {
    const f = byId.get(t.fault.id);
    if (!f?.applied) return [];
    return [{ seed: r.seed, scenario: r.scenario, group: faultGroup(f.applied.fault, f.leaderZoneBefore), ms: t.longestGapMs }];
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function rtoStats(samples: readonly RtoSample[]): RtoStats[] {
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    let list = groups.get(s.group);
    if (!list) groups.set(s.group, (list = []));
    list.push(s.ms);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { group, count: sorted.length, medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90), maxMs: sorted[sorted.length - 1]! };
  });
}

export function summarizeCampaign(results: readonly ChaosRunResult[]): CampaignSummary {
  const count = (pred: (r: ChaosRunResult) => number) => results.reduce((s, r) => s + pred(r), 0);
  return {
    runs: results.length,
    passed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).map((r) => ({ scenario: r.scenario, seed: r.seed, problems: r.problems })),
    linearizabilityViolations: count((r) => r.linearizability.keys.filter((k) => k.verdict === 'violation').length),
    lostWrites: count((r) => r.rpo.problems.filter((p) => p.kind === 'lost-write').length),
    corruptReads: count((r) => r.rpo.problems.filter((p) => p.kind === 'corrupt').length
      + r.history.filter((op) => op.result.type === 'read' && op.result.value?.startsWith(CORRUPT_READ_PREFIX) === true).length),
    redundancyFailures: count((r) => (r.redundancy.judged && !r.redundancy.ok ? 1 : 0)),
    rto: rtoStats(results.flatMap(rtoSamples)),
  };
}

const s = (ms: number) => (ms / 1000).toFixed(2);

export function describeCampaign(c: CampaignSummary): string {
  const lines = [
    `${c.passed}/${c.runs} runs passed; linearizability violations ${c.linearizabilityViolations}, lost writes ${c.lostWrites}, corrupt reads ${c.corruptReads}, redundancy not restored ${c.redundancyFailures}`,
    'write RTO (longest stretch without an acknowledged write, per fault):',
    ...c.rto.map((t) => `  ${t.group.padEnd(30)} n=${String(t.count).padStart(3)}  median ${s(t.medianMs)} s  p90 ${s(t.p90Ms)} s  max ${s(t.maxMs)} s`),
  ];
  for (const f of c.failed) lines.push(`FAILED ${f.scenario} seed ${f.seed}:`, ...f.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

/** The RTO table in Markdown (for benchmarks/RESULTS.md). */
export function rtoMarkdown(c: CampaignSummary): string {
  return [
    '| fault | n | median | p90 | max |',
    '|---|---|---|---|---|',
    ...c.rto.map((t) => `| ${t.group} | ${t.count} | ${s(t.medianMs)} s | ${s(t.p90Ms)} s | ${s(t.maxMs)} s |`),
  ].join('\n');
}
