// The gateway benchmark's section of benchmarks/RESULTS.md, between markers so a re-run
// replaces it in place and other benchmarks' sections are left alone. Tables are per operation;
// rows are size × concurrency; the last system in a row is the baseline the ratios divide by.
import { writeMarkedSection } from '../../services/cli/bench/results-file.ts';
import type { CellSummary } from './cell-stats.ts';

const BEGIN = '<!-- gateway-bench:begin (written by benchmarks/gateway/run.ts; edits inside are overwritten) -->';
const END = '<!-- gateway-bench:end -->';

export interface SystemCell {
  label: string;
  serverNames: string[];
  summary: CellSummary;
  errors: Map<string, number>;
}

export interface CellRow {
  op: 'PUT' | 'GET';
  size: number;
  /** As asked for; `concurrency` is lower when the in-flight byte cap applied. */
  requestedConcurrency: number;
  concurrency: number;
  systems: SystemCell[];
}

export interface Report {
  command: string;
  machine: string;
  startedAt: string;
  loadAtStart: string;
  loadAtEnd: string;
  notes: string[];
  rows: CellRow[];
  /** Markdown appended after the tables (the --profile summaries). */
  appendix: string[];
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Two significant-ish digits for small values, whole numbers for large ones. */
const ms = (n: number): string => fmt(n, n < 10 ? 2 : n < 100 ? 1 : 0);
const ratio = (a: number, b: number): string => (a > 0 && b > 0 ? `${fmt(a / b, 2)}×` : '—');

export function sizeLabel(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 2 ** 10 && bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10} KiB`;
  return `${bytes} B`;
}

function concurrencyLabel(r: CellRow): string {
  return r.concurrency === r.requestedConcurrency ? String(r.concurrency) : `${r.concurrency} (capped from ${r.requestedConcurrency})`;
}

function errorsLabel(r: CellRow): string {
  const parts = r.systems.filter((s) => s.errors.size > 0)
    .map((s) => `${s.label}: ${[...s.errors].map(([code, n]) => `${n} × ${code}`).join(', ')}`);
  return parts.length > 0 ? `**${parts.join('; ')}**` : '0';
}

/** A throughput marked when the cell had errors: its numbers cover only the successful ops. */
function mib(s: SystemCell): string {
  return s.summary.errors > 0 ? `${fmt(s.summary.mibPerSec, 1)} ⚠` : fmt(s.summary.mibPerSec, 1);
}

export function renderThroughputTable(rows: CellRow[]): string {
  const labels = rows[0]?.systems.map((s) => s.label) ?? [];
  const baseline = labels.length > 1 ? labels[labels.length - 1]! : undefined;
  const compared = baseline ? labels.slice(0, -1) : [];
  const head = ['size', 'c',
    ...labels.flatMap((l) => [`${l} MiB/s`, `${l} ops/s`, `${l} p50 ms`, `${l} p99 ms`]),
    ...compared.flatMap((l) => [`MiB/s ${l} / ${baseline}`, `p99 ${l} / ${baseline}`]),
    'errors'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 || i === head.length - 1 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const base = r.systems[r.systems.length - 1]!.summary;
    const cells = [sizeLabel(r.size), concurrencyLabel(r),
      ...r.systems.flatMap((s) => [mib(s), fmt(s.summary.opsPerSec, s.summary.opsPerSec < 10 ? 2 : 0), ms(s.summary.p50Ms), ms(s.summary.p99Ms)]),
      ...(baseline ? r.systems.slice(0, -1).flatMap((s) => [ratio(s.summary.mibPerSec, base.mibPerSec), ratio(s.summary.p99Ms, base.p99Ms)]) : []),
      errorsLabel(r)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function renderCpuTable(rows: CellRow[]): string {
  const first = rows[0]?.systems ?? [];
  const head = ['op', 'size', 'c',
    ...first.flatMap((s) => [`${s.label} ops`, `${s.label} server CPU ms/op`, `${s.label} server CPU % (${s.serverNames.join(' / ')})`, `${s.label} client CPU ms/op`,
      `others CPU % during ${s.label}`])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    lines.push(`| ${[r.op, sizeLabel(r.size), concurrencyLabel(r),
      ...r.systems.flatMap((s) => [fmt(s.summary.ops), ms(s.summary.serverCpuMsPerOp),
        s.summary.serverCpuPercentByPid.map((p) => fmt(p)).join(' / '), ms(s.summary.clientCpuMsPerOp), fmt(s.summary.othersCpuPercent)])].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function renderTables(rows: CellRow[]): string {
  const parts: string[] = [];
  for (const op of ['PUT', 'GET'] as const) {
    const mine = rows.filter((r) => r.op === op);
    if (mine.length > 0) parts.push(`### ${op}`, '', renderThroughputTable(mine), '');
  }
  parts.push('### Server and client CPU (from /proc, over the measured slices)', '', renderCpuTable(rows));
  return parts.join('\n');
}

export function renderSection(r: Report): string {
  return [
    BEGIN,
    '## S3 gateway: zonestore vs s3rver, PUT and GET',
    '',
    `Command: \`${r.command}\``,
    '',
    `Machine: ${r.machine}; run ${r.startedAt}; load average ${r.loadAtStart} at start, ${r.loadAtEnd} at the end.`,
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
    renderTables(r.rows),
    ...r.appendix.flatMap((a) => ['', a]),
    END,
  ].join('\n');
}

export function writeSection(file: string, section: string): void {
  writeMarkedSection(file, section, { begin: BEGIN, end: END });
}
