// The durability section of benchmarks/RESULTS.md (`zonestore durability run --results`), pure:
// the command, the machine and its load, the measured run's report, and the model for the
// default deployment fed the measured repair speed, beside the same model at the speed the
// 12-nines target needs — one invocation, so the figures belong together.
import { renderModelReport, type Hardware } from '../../../benchmarks/durability/index.ts';
import { renderMeasuredRun } from '../../../benchmarks/durability/measured/measured-report.ts';
import type { MeasuredRunReport } from '../../../benchmarks/durability/measured/measured-run.ts';

export const DURABILITY_MARKERS = {
  begin: '<!-- durability:begin (written by `zonestore durability run --results`; edits inside are overwritten) -->',
  end: '<!-- durability:end -->',
};

export interface DurabilitySectionInput {
  command: string;
  machine: string;
  loadAtStart: string;
  loadAtEnd: string;
  wallMs: number;
  run: MeasuredRunReport;
  /** The default deployment with the measured repair speed. */
  measured: Hardware;
}

export function durabilitySection(i: DurabilitySectionInput): string {
  const fence = (text: string) => ['```', text, '```'];
  return [
    DURABILITY_MARKERS.begin,
    '## Durability: measured run and model (issue #9)',
    '',
    `Command: \`${i.command}\` — ${(i.wallMs / 60_000).toFixed(1)} min end to end, finished ${i.run.finishedAt}.`,
    `Machine: ${i.machine}; load average ${i.loadAtStart} at start, ${i.loadAtEnd} at the end.`,
    'The run: a fresh local three-zone cluster (three zone processes sharing the machine), every object written through S3,',
    'then the phases below; "repair" is the repair workers\' own passes, timed from the moment the damage was in place.',
    '',
    ...fence(renderMeasuredRun(i.run)),
    '',
    `The model for the default deployment with the measured repair speed (\`zonestore durability report --from <run.json>\`):`,
    '',
    ...fence(renderModelReport(i.measured)),
    DURABILITY_MARKERS.end,
  ].join('\n');
}
