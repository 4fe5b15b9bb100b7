// What a measured durability run prints, and its verdict (issue #9), pure. The run passes when
// every write was acknowledged, no object was lost and none came back with wrong bytes, and
// repair brought every phase back to full redundancy. Objects taken beyond tolerance on purpose
// fail it loudly — listed by name — and anything else wrong (a loss within tolerance, a planted
// loss that still reads back, wrong bytes) is listed as a problem besides.
import type { MeasuredRunReport, PhaseReport } from './measured-run.ts';

const MiB = 2 ** 20;
/** Names listed in the text (all are in the JSON). */
const SHOWN_NAMES = 20;

export function runProblems(r: MeasuredRunReport): string[] {
  const problems: string[] = [];
  if (r.writeFailures.length > 0) problems.push(`${r.writeFailures.length} writes failed: ${names(r.writeFailures.map((f) => `${f.key} (${f.error})`))}`);
  if (r.wrongBytes.length > 0) problems.push(`${r.wrongBytes.length} objects served with WRONG BYTES: ${names(r.wrongBytes)}`);
  const planted = new Set(r.plantedLost);
  const unexpected = r.lost.filter((k) => !planted.has(k));
  if (unexpected.length > 0) problems.push(`${unexpected.length} objects lost within tolerance: ${names(unexpected)}`);
  const phantom = r.plantedLost.filter((k) => !r.lost.includes(k));
  if (phantom.length > 0) problems.push(`${phantom.length} objects taken beyond tolerance still read back (the plan did not destroy them?): ${names(phantom)}`);
  for (const p of r.phases) {
    if (p.name === 'beyond tolerance') continue;
    if (p.degradedRead.unreadable.length > 0) problems.push(`${p.name}: ${p.degradedRead.unreadable.length} objects unreadable while degraded within tolerance: ${names(p.degradedRead.unreadable.map((f) => `${f.key} (${f.error})`))}`);
    if (p.scanDegraded > 0) problems.push(`${p.name}: ${p.scanDegraded} shards still degraded after repair`);
  }
  return problems;
}

function names(keys: readonly string[]): string {
  return keys.slice(0, SHOWN_NAMES).join(', ') + (keys.length > SHOWN_NAMES ? `, … ${keys.length - SHOWN_NAMES} more` : '');
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function phaseLines(p: PhaseReport): string[] {
  const d = p.degradedRead;
  const v = p.verify;
  return [
    `phase "${p.name}": ${p.faults.join('; ')}`,
    `  damage: ${p.shardsDamaged} shards, ${mib(p.bytesDamaged)}; ${p.stripesAtTolerance} stripes at exactly their tolerance`,
    `  reads while degraded: ${d.intact}/${d.checked} intact, ${d.unreadable.length} unreadable, ${d.wrongBytes.length} wrong bytes`,
    `  repair: ${mib(p.repair.bytesRebuilt)} rebuilt in ${secs(p.repair.repairMs)} (${p.repair.rounds} rounds) = ${p.repair.mibPerSecond.toFixed(1)} MiB/s`
      + ` (best zone ${p.repair.bestZoneMiBps.toFixed(1)} MiB/s); full redundancy ${secs(p.repair.timeToFullRedundancyMs)} after healing`,
    `  after repair: scan ${p.scanDegraded === 0 ? 'full redundancy' : `${p.scanDegraded} shards degraded (${p.scanDegradedSample.join('; ')})`}`
      + (p.unrebuildable.length > 0 ? `, unrebuildable: ${names(p.unrebuildable)}` : '')
      + `; reads ${v.intact}/${v.checked} intact, ${v.unreadable.length} unreadable, ${v.wrongBytes.length} wrong bytes`,
  ];
}

/** Exit code 0 only for a run that lost nothing and found no problem. */
export function runPassed(r: MeasuredRunReport): boolean {
  return r.lost.length === 0 && runProblems(r).length === 0;
}

export function renderMeasuredRun(r: MeasuredRunReport): string {
  const problems = runProblems(r);
  const verdict = runPassed(r) ? 'verdict: PASS'
    : problems.length === 0 ? `verdict: FAIL: ${r.lost.length} objects lost, exactly those taken beyond tolerance on purpose, none served with wrong bytes`
      : `verdict: FAIL\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  const kinds = Object.entries(r.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `measured durability run, seed ${r.seed}: ${r.objects} objects (${kinds}), ${mib(r.bytesWritten)} written in ${secs(r.writeMs)};`
      + ` ${r.stripes} stripes, ${r.shards} shards; ${r.shardsLeftOutByWrites} shards left out by the writes, restored by repair before the faults`,
    ...r.phases.flatMap(phaseLines),
    `objects verified: ${r.objects - r.lost.length} / ${r.objects}; lost: ${r.lost.length}${r.lost.length > 0 ? ` (${names(r.lost)})` : ''};`
      + ` wrong bytes: ${r.wrongBytes.length}`,
    ...(r.plantedLost.length > 0 ? [`taken beyond tolerance on purpose: ${names(r.plantedLost)}`] : []),
    `measured repair throughput (zone loss): ${r.repairMiBps.toFixed(1)} MiB/s`,
    verdict,
  ].join('\n');
}
