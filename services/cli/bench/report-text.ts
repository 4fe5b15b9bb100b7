// The report as people read it: a terminal summary and a Markdown document (`--md`). Pure.
import { describeScenario } from './scenario-description.ts';
import { loadLine, machineLine } from './machine-description.ts';
import type { BenchReport } from './report-build.ts';
import { SUMMARY_HEADER, markdownTable, summaryRows, textTable } from './report-rows.ts';

export function terminalSummary(report: BenchReport): string {
  const notes = report.targets.flatMap((t) => [
    ...Object.entries(t.errorSamples).map(([code, msg]) => `  ${t.label}: ${code}: ${msg.split('\n')[0]}`),
    ...(t.exhausted ? [`  ${t.label}: ran out of objects to delete before the end`] : []),
  ]);
  return [
    `${describeScenario(report.scenario)}`,
    '',
    textTable(SUMMARY_HEADER, summaryRows(report)),
    ...(notes.length > 0 ? ['', 'notes:', ...notes] : []),
  ].join('\n');
}

export function markdownReport(report: BenchReport): string {
  return [
    `# zonestore bench: ${report.scenario.name}`,
    '',
    `Command: \`${report.command}\``,
    '',
    `Machine: ${machineLine(report.machine)}; load average ${loadLine(report.machine.loadAverage)} at start, `
      + `${loadLine(report.loadAverageAtEnd)} at end; ${report.startedAt} to ${report.finishedAt}.`,
    '',
    `Scenario: ${describeScenario(report.scenario)}.`,
    '',
    markdownTable(SUMMARY_HEADER, summaryRows(report), (i) => i >= 2),
    '',
    'Latencies are of whole operations (client send to last response byte); CPU is utime + stime from /proc in % of one core '
      + 'over the target\'s measured time; "server peak RSS" is the highest resident set seen while measured, per process; '
      + '"others CPU" is every process outside the benchmark.',
    ...report.targets.filter((t) => t.errorCount > 0).map((t) =>
      `\n${t.label} errors: ${Object.entries(t.errorSamples).map(([c, m]) => `\`${c}\`: ${m.split('\n')[0]}`).join('; ')}`),
    '',
  ].join('\n');
}
