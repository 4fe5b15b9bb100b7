// A chaos run written out for people: the text verdict (what failed and why, RTO per fault,
// redundancy), the JSON document (history, faults, verdicts; re-checkable later) and the HTML
// timeline with the faults shaded and the first violation's window outlined.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describeCheck } from '../linearizability/index.ts';
import { describeSchedule } from '../nemesis/nemesis-schedule.ts';
import { historyDocument, writeHistoryJson } from '../report/history-json.ts';
import { timelineHtml, timelineSvg } from '../report/timeline-svg.ts';
import { describeRpo } from '../workload/rpo-check.ts';
import { describeRto } from '../workload/rto-check.ts';
import type { ChaosRunResult } from './chaos-run.ts';

export interface ChaosReportFiles {
  verdict: string;
  history: string;
  timeline: string;
}

export function describeChaosRun(r: ChaosRunResult): string {
  const lines = [
    `chaos ${r.scenario} seed ${r.seed}: ${r.ok ? 'PASS' : 'FAIL'} — ${r.workloadOps} workload ops, ${r.faults.length} fault(s)`,
    `ops: ${Object.entries(r.counts).sort().map(([k, v]) => `${k}=${v}`).join(' ')}`,
    describeSchedule(r.schedule),
    'faults as carried out:',
    ...r.faults.map((f) => `  #${f.id} ${f.description}: ${(f.startMs / 1000).toFixed(1)}–${(f.endMs / 1000).toFixed(1)} s`
      + `${f.leaderZoneBefore ? ` (meta leader was in ${f.leaderZoneBefore})` : ''}${f.injectError ? ` INJECT FAILED: ${f.injectError}` : ''}${f.healError ? ` HEAL FAILED: ${f.healError}` : ''}`),
    describeCheck(r.linearizability),
    describeRpo(r.rpo),
    describeRto(r.rto),
    `redundancy: ${r.redundancy.judged ? r.redundancy.summary : 'not judged (no redundancy check given)'}`,
  ];
  if (!r.ok) lines.push('problems:', ...r.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

/** Writes verdict.txt, history.json and timeline.html into `dir` (created). */
export function writeChaosReport(dir: string, r: ChaosRunResult): ChaosReportFiles {
  mkdirSync(dir, { recursive: true });
  const text = describeChaosRun(r);
  const files = { verdict: join(dir, 'verdict.txt'), history: join(dir, 'history.json'), timeline: join(dir, 'timeline.html') };
  writeFileSync(files.verdict, `${text}\n`);
  writeHistoryJson(files.history, historyDocument({
    seed: r.seed, scenario: r.scenario, durationMs: r.durationMs, faults: r.windows, history: r.history,
    detail: (id) => r.recorder.detail(id),
    verdicts: {
      ok: r.ok, problems: r.problems, linearizability: r.linearizability.verdict, rpoOk: r.rpo.ok,
      rto: r.rto.map((t) => ({ fault: t.fault.label, longestGapMs: t.longestGapMs, recovered: t.recovered })),
      redundancy: r.redundancy,
    },
  }));
  const violation = r.linearizability.keys.find((k) => k.window)?.window;
  const svg = timelineSvg({
    history: r.history, detail: (id) => r.recorder.detail(id), faults: r.windows,
    highlighted: violation ? new Set(violation.ops.map((op) => op.id)) : undefined,
    culprits: violation ? new Set([violation.culprit.id]) : undefined,
  });
  writeFileSync(files.timeline, timelineHtml({ title: `zonestore chaos: ${r.scenario}, seed ${r.seed}`, verdict: text, svg }));
  return files;
}
