// The suite's section of benchmarks/RESULTS.md: between its own markers, so a re-run replaces
// it in place and leaves every other benchmark's section alone. Each figure sits beside the
// physical limit measured in the same run, as a ratio; then the targets, judged; then
// where the time goes for those missed. Pure (the file I/O is two small functions at the end).
import { replaceMarkedSection, writeMarkedSection } from '../results-file.ts';
import { loadLine, machineLine, type MachineDescription } from '../machine-description.ts';
import type { TargetReport } from '../report-build.ts';
import { errorsCell, figure, fixed, markdownTable, peakRssCell, serverCpuCell } from '../report-rows.ts';
import { SUITE_TARGETS, type SuiteCell, type SuiteTarget } from './suite-plan.ts';

export const SECTION_BEGIN = '<!-- bench-suite:begin (written by `zonestore bench suite`; edits inside are overwritten) -->';
export const SECTION_END = '<!-- bench-suite:end -->';

export interface CellResult {
  cell: SuiteCell;
  /** zonestore first, then s3rver, then the limit (when the cell has one). */
  targets: TargetReport[];
}

export interface SuiteRun {
  command: string;
  machine: MachineDescription;
  loadAtEnd: readonly number[];
  startedAt: string;
  runSeconds: number;
  secondsPerTarget: number;
  rounds: number;
  cells: CellResult[];
  /** Markdown blocks: CPU profiles of the hot zone for the figures that fell short. */
  profiles: string[];
  notes: string[];
}

const byKind = (r: CellResult, kind: string): TargetReport | undefined => r.targets.find((t) => t.kind === kind);
export const zonestoreOf = (r: CellResult): TargetReport | undefined => byKind(r, 'zonestore-local');
export const s3rverOf = (r: CellResult): TargetReport | undefined => byKind(r, 's3rver');
export const limitOf = (r: CellResult): TargetReport | undefined => r.targets.find((t) => t.kind === 'nginx' || t.kind === 'fsync-sink');

/** Fraction of `base`'s operations per second (at a fixed size the same as of its MiB/s). */
export function opsRatio(a: TargetReport | undefined, base: TargetReport | undefined): number | undefined {
  if (!a || !base || base.total.opsPerSec <= 0) return undefined;
  return a.total.opsPerSec / base.total.opsPerSec;
}

const ratioCell = (r: number | undefined): string => (r === undefined ? '—' : `${fixed(r, r >= 10 ? 1 : 2)}×`);

export interface TargetVerdict {
  target: SuiteTarget;
  measured: string;
  met: boolean | undefined;
}

export function judgeTargets(cells: readonly CellResult[]): TargetVerdict[] {
  return SUITE_TARGETS.flatMap((target): TargetVerdict[] => {
    const r = cells.find((c) => c.cell.id === target.cellId);
    if (!r) return [];
    const z = zonestoreOf(r);
    const j = target.judge;
    if (!z) return [{ target, measured: 'not measured', met: undefined }];
    if (j.kind === 'p99-ms') {
      const p99 = z.total.latencyMs.p99;
      return [{ target, measured: `p99 ${figure(p99)} ms`, met: z.errorCount === 0 && p99 <= j.atMost }];
    }
    const base = j.kind === 'ratio-to-limit' ? limitOf(r) : s3rverOf(r);
    const ratio = opsRatio(z, base);
    if (ratio === undefined) return [{ target, measured: 'no baseline', met: undefined }];
    const what = j.kind === 'ratio-to-limit' ? 'of the limit' : 'of s3rver';
    const inMiB = z.total.bytes > 0 && z.total.mibPerSec >= 1;
    const rate = (t: TargetReport): string => (inMiB ? `${figure(t.total.mibPerSec)} MiB/s` : `${figure(t.total.opsPerSec)} ops/s`);
    return [{ target, measured: `${ratioCell(ratio)} ${what} (${rate(z)} vs ${rate(base!)})`, met: z.errorCount === 0 && ratio >= j.atLeast }];
  });
}

function throughputCell(t: TargetReport): string {
  if (t.total.items > 0) return `${figure(t.total.itemsPerSec)} keys/s`;
  return figure(t.total.mibPerSec);
}

export function resultsTable(cells: readonly CellResult[]): string {
  const header = ['scenario', 'c', 'target', 'ops/s', 'MiB/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors',
    'server CPU', 'server CPU ms/op', 'server peak RSS', 'client CPU', 'others CPU', '× limit', '× s3rver'];
  const rows = cells.flatMap((r) => r.targets.map((t, i) => {
    const isLimit = t.kind === 'nginx' || t.kind === 'fsync-sink';
    const l = t.total.latencyMs;
    return [
      i === 0 ? r.cell.title : '', i === 0 ? String(r.cell.concurrency) : '', t.kind === 'zonestore-local' ? `**${t.label}**` : t.label,
      figure(t.total.opsPerSec), throughputCell(t), figure(l.p50), figure(l.p99), figure(l.p999), figure(l.max), errorsCell(t),
      serverCpuCell(t), t.serverCpuMsPerOp === undefined ? '—' : figure(t.serverCpuMsPerOp), peakRssCell(t), `${t.clientCpuPercent.toFixed(0)}%`, `${t.othersCpuPercent.toFixed(0)}%`,
      isLimit ? '1×' : ratioCell(opsRatio(t, limitOf(r))),
      t.kind === 's3rver' ? '1×' : isLimit ? '' : ratioCell(opsRatio(t, s3rverOf(r))),
    ];
  }));
  return markdownTable(header, rows, (i) => i >= 3);
}

export function renderSection(run: SuiteRun): string {
  const verdicts = judgeTargets(run.cells);
  const noLimit = run.cells.filter((r) => r.cell.noLimitBecause).map((r) => `${r.cell.title}: ${r.cell.noLimitBecause}`);
  const minutes = Math.floor(run.runSeconds / 60);
  return [
    SECTION_BEGIN,
    '## S3 scenarios: zonestore vs s3rver, beside the physical limit (`zonestore bench suite`, issue #7)',
    '',
    `Command: \`${run.command}\``,
    '',
    `Machine: ${machineLine(run.machine)}. Run ${run.startedAt}, ${minutes} min ${Math.round(run.runSeconds - minutes * 60)} s end to end; `
      + `load average ${loadLine(run.machine.loadAverage)} at start, ${loadLine(run.loadAtEnd)} at the end.`,
    '',
    ...run.notes.map((n) => `- ${n}`),
    ...(noLimit.length > 0 ? [`- Cells without a limit: ${noLimit.join('; ')}.`] : []),
    '',
    resultsTable(run.cells),
    '',
    '### The issue\'s targets (measured in this run, not asserted by tests)',
    '',
    markdownTable(['target', 'measured (zonestore)', 'met'], verdicts.map((v) => [
      v.target.text, v.measured, v.met === undefined ? '—' : v.met ? 'yes' : '**no**',
    ])),
    '',
    ...(run.profiles.length > 0 ? ['### Where the time goes (CPU profile of the zone processes, separate profiled runs)', '', ...run.profiles, ''] : []),
    SECTION_END,
  ].join('\n');
}

/** `text` with the suite's section replaced, or appended when there is none yet. */
export function replaceSection(text: string, section: string): string {
  return replaceMarkedSection(text, section, { begin: SECTION_BEGIN, end: SECTION_END });
}

export function writeSection(file: string, section: string): void {
  writeMarkedSection(file, section, { begin: SECTION_BEGIN, end: SECTION_END });
}
