// One line saying what a run did, for every report format. Pure.
import type { ScenarioReport } from './report-build.ts';

export function describeScenario(s: ScenarioReport): string {
  const extent = s.durationS !== undefined ? `${s.durationS} s` : `${s.ops} operations`;
  const details = Object.entries(s.details).map(([k, v]) => `${k} ${v}`);
  return [`${s.name}`, `size ${s.size}`, `concurrency ${s.concurrency}`, `${extent} per target in ${s.rounds} round${s.rounds === 1 ? '' : 's'}`,
    `${s.keys} keys`, ...details, `seed ${s.seed}`].join(', ');
}
