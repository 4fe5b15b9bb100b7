// The metadata benchmark's section of benchmarks/RESULTS.md, between markers so re-runs replace
// it in place and other benchmarks' sections are left alone.
import { writeMarkedSection } from '../../services/cli/bench/results-file.ts';
import type { LoadResult } from './op-load.ts';

const BEGIN = '<!-- meta-bench:begin (written by benchmarks/meta/run.ts; edits inside are overwritten) -->';
const END = '<!-- meta-bench:end -->';

export interface Row {
  op: string;
  via: string;
  concurrency: number;
  result: LoadResult;
}

export interface Report {
  command: string;
  machine: string;
  durationS: number;
  rows: Row[];
  notes: string[];
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function renderTable(rows: Row[]): string {
  const lines = [
    '| operation | through | concurrency | ops/s | p50 ms | p99 ms | max ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.op} | ${r.via} | ${r.concurrency} | ${fmt(r.result.opsPerSec)} | ${fmt(r.result.p50Ms, 2)} | ${fmt(r.result.p99Ms, 2)} | ${fmt(r.result.maxMs, 1)} | ${r.result.errors} |`);
  }
  return lines.join('\n');
}

export function renderSection(r: Report): string {
  return [
    BEGIN,
    '## Metadata service (issue 4)',
    '',
    `Command: \`${r.command}\``,
    '',
    `Machine: ${r.machine}`,
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
    renderTable(r.rows),
    END,
  ].join('\n');
}

export function writeSection(file: string, section: string): void {
  writeMarkedSection(file, section, { begin: BEGIN, end: END });
}
