// Renders the zonestore-vs-etcd comparison as a console table and as a Markdown section of
// benchmarks/RESULTS.md. The section sits between markers so re-runs replace it in place and
// other benchmarks' sections in the same file are left alone.
import { writeMarkedSection } from '../../services/cli/bench/results-file.ts';
import type { CellResult } from './load-cell.ts';

const BEGIN = '<!-- raft-bench:begin (written by benchmarks/raft/run.ts; edits inside are overwritten) -->';
const END = '<!-- raft-bench:end -->';

/** Targets from issue 2, at the highest concurrency. */
export const TARGET_THROUGHPUT_RATIO = 1;
export const TARGET_P99_RATIO = 2;

export interface MachineInfo {
  nproc: number;
  ramGiB: number;
  cpuModel: string;
  node: string;
  etcd: string;
  date: string;
}

export interface Report {
  command: string;
  machine: MachineInfo;
  durationS: number;
  warmupS: number;
  valueSize: number;
  channelsPerProcess: number;
  twoClientsFrom: number;
  order: string;
  cells: CellResult[];
  notes: string[];
  profileSection?: string;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cpu = (pct: number): string => `${fmt(pct)}%`;

function find(cells: CellResult[], system: string, c: number): CellResult | undefined {
  return cells.find((x) => x.system === system && x.concurrency === c);
}

function concurrencies(cells: CellResult[]): number[] {
  return [...new Set(cells.map((c) => c.concurrency))].sort((a, b) => a - b);
}

interface Ratio {
  throughput: number;
  p99: number;
  serversCpuPerPut: number;
}

/**
 * CPU microseconds the servers spent per committed Put. Unlike puts/s this barely moves when
 * the machine is shared, so it separates "slower code" from "starved of CPU".
 */
export function cpuMicrosPerPut(cpuPct: number, putsPerSec: number): number {
  return putsPerSec > 0 ? (cpuPct / 100 / putsPerSec) * 1e6 : 0;
}

function ratio(cells: CellResult[], c: number): Ratio | undefined {
  const e = find(cells, 'etcd', c);
  const z = find(cells, 'zonestore', c);
  if (!e || !z || e.putsPerSec === 0 || e.latency.p99Ms === 0) return undefined;
  const perPut = (r: CellResult): number => cpuMicrosPerPut(r.serversCpuPct, r.putsPerSec);
  return {
    throughput: z.putsPerSec / e.putsPerSec,
    p99: z.latency.p99Ms / e.latency.p99Ms,
    serversCpuPerPut: perPut(e) > 0 ? perPut(z) / perPut(e) : 0,
  };
}

function resultRow(r: CellResult): string[] {
  const errors = r.errors === 0 ? '0' : `${r.errors} (${Object.entries(r.errorCodes).map(([k, v]) => `${k}×${v}`).join(', ')})`;
  return [
    String(r.concurrency),
    r.system,
    fmt(r.putsPerSec),
    fmt(r.latency.p50Ms, 2),
    fmt(r.latency.p99Ms, 2),
    cpu(r.leaderCpuPct),
    cpu(r.serversCpuPct),
    `${fmt(cpuMicrosPerPut(r.leaderCpuPct, r.putsPerSec))} / ${fmt(cpuMicrosPerPut(r.serversCpuPct, r.putsPerSec))}`,
    `${cpu(r.clientsCpuPct)} (${r.clientProcesses} proc)`,
    cpu(r.leaderRunQueueWaitPct),
    cpu(r.otherCpuPct),
    errors,
  ];
}

const RESULT_HEADER = [
  'c', 'system', 'puts/s', 'p50 ms', 'p99 ms', 'leader CPU', '3 servers CPU', 'CPU µs/put (leader / 3)', 'client CPU', 'leader runq wait', 'others CPU', 'errors',
];
const RATIO_HEADER = ['c', 'zonestore/etcd puts/s', 'zonestore/etcd p99', 'zonestore/etcd server CPU per put', 'target (≥1×, ≤2×)'];

function ratioRows(cells: CellResult[]): string[][] {
  const rows: string[][] = [];
  const cs = concurrencies(cells);
  for (const c of cs) {
    const r = ratio(cells, c);
    if (!r) continue;
    const verdict = c === cs[cs.length - 1]
      ? r.throughput >= TARGET_THROUGHPUT_RATIO && r.p99 <= TARGET_P99_RATIO ? 'met' : 'NOT met'
      : '(judged at highest c)';
    rows.push([String(c), `${fmt(r.throughput, 2)}×`, `${fmt(r.p99, 2)}×`, `${fmt(r.serversCpuPerPut, 2)}×`, verdict]);
  }
  return rows;
}

function sortedCells(cells: CellResult[]): CellResult[] {
  return [...cells].sort((a, b) => a.concurrency - b.concurrency || a.system.localeCompare(b.system));
}

export function renderConsoleTable(cells: CellResult[]): string {
  const rows = [RESULT_HEADER, ...sortedCells(cells).map(resultRow)];
  const ratios = ratioRows(cells);
  const out = [alignColumns(rows)];
  if (ratios.length > 0) out.push('', alignColumns([RATIO_HEADER, ...ratios]));
  return out.join('\n');
}

function alignColumns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')).join('\n');
}

function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function renderMarkdownSection(report: Report): string {
  const m = report.machine;
  const parts = [
    BEGIN,
    '## Raft KV: zonestore vs etcd (3 nodes on loopback, fsync, Put)',
    '',
    `Command: \`${report.command}\``,
    '',
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${fmt(m.ramGiB, 1)} GiB RAM, Node ${m.node}, etcd ${m.etcd}, run ${m.date}.`,
    '',
    `Cells ran ${report.order === 'interleaved' ? 'alternating between the systems at each concurrency (both clusters up)' : 'one system after the other'}. ` +
      `Each cell: ${fmt(report.warmupS, 1)} s warm-up, then ${fmt(report.durationS, 1)} s measured; ${report.valueSize}-byte values, ` +
      `a distinct key per Put, N unary Puts in flight sent straight to the leader over up to ${report.channelsPerProcess} ` +
      `HTTP/2 connections per client process (two client processes from c=${report.twoClientsFrom}, histograms merged). ` +
      'A Put counts once its reply arrives, i.e. once it is committed (fsynced in a majority\'s log) and applied on the leader, in both systems. ' +
      'CPU is utime+stime from /proc over the measured window, in % of one core; "CPU µs/put" divides it by the ' +
      'throughput (a cost that holds up on a busy machine better than puts/s does). ' +
      '"leader runq wait" is the time the leader\'s threads were runnable but had no CPU, summed over its threads ' +
      '(/proc schedstat, so it can pass 100%), and ' +
      '"others CPU" the CPU used by processes outside the benchmark (/proc/stat minus ours): when either is high, ' +
      'the machine, not the system under test, set the pace.',
    '',
    ...report.notes.map((n) => `> ${n}`),
    ...(report.notes.length > 0 ? [''] : []),
    markdownTable([RESULT_HEADER, ...sortedCells(report.cells).map(resultRow)]),
    '',
  ];
  const ratios = ratioRows(report.cells);
  if (ratios.length > 0) parts.push(markdownTable([RATIO_HEADER, ...ratios]), '');
  if (report.profileSection) parts.push(report.profileSection, '');
  parts.push(END);
  return parts.join('\n');
}

export function writeResultsSection(file: string, section: string): void {
  writeMarkedSection(file, section, { begin: BEGIN, end: END });
}
