// The summary's rows, shared by the terminal table and the Markdown table: one row per target
// for whole operations, plus one per operation kind when a scenario has several. Pure.
import type { RateSummary } from './bench-stats.ts';
import type { BenchReport, TargetReport } from './report-build.ts';

export const SUMMARY_HEADER = [
  'target', 'op', 'ops/s', 'MiB/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors',
  'client CPU', 'server CPU', 'server peak RSS', 'others CPU',
];

export const fixed = (n: number, digits: number): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Figures near 1 need two decimals; large ones none. */
export function figure(n: number): string {
  return fixed(n, n >= 100 ? 0 : n >= 10 ? 1 : 2);
}

function rateCells(s: RateSummary): string[] {
  const l = s.latencyMs;
  return [figure(s.opsPerSec), figure(s.mibPerSec), ...[l.p50, l.p90, l.p99, l.p999, l.max].map(figure)];
}

export function serverCpuCell(t: TargetReport): string {
  if (t.servers.length === 0) return 'n/a';
  const sum = t.servers.reduce((s, x) => s + x.cpuPercent, 0);
  return t.servers.length === 1 ? `${sum.toFixed(0)}%` : `${sum.toFixed(0)}% (${t.servers.map((x) => x.cpuPercent.toFixed(0)).join('/')})`;
}

export function peakRssCell(t: TargetReport): string {
  if (t.servers.length === 0) return 'n/a';
  return t.servers.map((x) => `${x.peakRssMiB.toFixed(0)}`).join('/') + ' MiB';
}

export function errorsCell(t: TargetReport): string {
  if (t.errorCount === 0) return '0';
  return `${t.errorCount} (${Object.entries(t.errors).map(([c, n]) => `${c} ×${n}`).join(', ')})`;
}

export function summaryRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  for (const t of report.targets) {
    const kinds = Object.entries(t.byKind);
    const opName = kinds.length === 1 ? kinds[0]![0] : 'all';
    rows.push([t.label, opName, ...rateCells(t.total), errorsCell(t), `${t.clientCpuPercent.toFixed(0)}%`,
      serverCpuCell(t), peakRssCell(t), `${t.othersCpuPercent.toFixed(0)}%`]);
    if (kinds.length > 1) {
      for (const [kind, s] of kinds) rows.push(['', kind, ...rateCells(s), '', '', '', '', '']);
    }
  }
  return rows;
}

/** Columns padded to their widest cell, numbers right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-\d.,%]*$/.test((r[i] ?? '').split(' ')[0]!)));
  const line = (cells: string[]): string => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][], rightAligned: (i: number) => boolean = () => false): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, i) => (rightAligned(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
