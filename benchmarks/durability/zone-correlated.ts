/**
 * Zone-correlated failures (issue #9), pure and deliberately simple.
 *
 * A zone outage takes every shard in that zone away at once. For its duration, plus the repair
 * backlog afterwards (shards written or lost meanwhile being rebuilt), the stripe runs with
 * fewer shards and less tolerance:
 *   remaining = n − shardsPerZone,   tolerance left = m − shardsPerZone
 * An outage becomes data loss when more than `tolerance left` of the remaining drives fail in
 * that window W = outage hours + backlog hours; each fails with p = 1 − e^(−AFR·W/8766):
 *   P(loss | outage) = Σ_{i>tolerance left} C(remaining,i)·p^i·(1−p)^(remaining−i)
 * (1 if tolerance left < 0: the outage alone exceeds the scheme, counted as loss if the zone
 * were destroyed — conservative).
 * Annual contribution: outages/yr × P(loss | outage), as 1 − e^(−rate·P) so it stays ≤ 1.
 *   RS(6,3), 3 per zone: remaining 6, tolerance 0 → P(any of 6 fails during W).
 *   3 replicas, 1 per zone: remaining 2, tolerance 1 → P(both fail during W).
 * Assumes a zone outage is independent of drive failures elsewhere and counts only the
 * stripe's own drives (no rack/power correlation inside a zone).
 */
import { moreThanFailProbability } from './period-model.ts';
import { HOURS_PER_YEAR } from './markov-mttdl.ts';

export interface ZoneOutageInput {
  readonly n: number;
  readonly m: number;
  /** shards of one stripe placed in the zone that goes out (the largest zone's share) */
  readonly shardsPerZone: number;
  readonly afr: number;
  /** zone outages per year (across the zones the stripe spans) */
  readonly outagesPerYear: number;
  readonly outageHours: number;
  /** time after the zone returns until full redundancy is back */
  readonly backlogHours: number;
}

export function lossGivenOutage(input: ZoneOutageInput): number {
  const { n, m, shardsPerZone, afr, outageHours, backlogHours } = input;
  if (shardsPerZone < 0 || shardsPerZone > n) throw new Error(`zone model: bad shards per zone ${shardsPerZone}`);
  if (!(outageHours >= 0) || !(backlogHours >= 0) || !(afr >= 0)) throw new Error('zone model: bad durations or afr');
  const remaining = n - shardsPerZone;
  const toleranceLeft = m - shardsPerZone;
  if (toleranceLeft < 0) return 1;
  const p = -Math.expm1((-afr * (outageHours + backlogHours)) / HOURS_PER_YEAR);
  return moreThanFailProbability(remaining, toleranceLeft, p);
}

export function zoneOutageAnnualLoss(input: ZoneOutageInput): number {
  if (!(input.outagesPerYear >= 0)) throw new Error(`zone model: bad outage rate ${input.outagesPerYear}`);
  return -Math.expm1(-input.outagesPerYear * lossGivenOutage(input));
}

/** Two independent annual loss sources combined: 1 − (1−a)(1−b). */
export function combineLosses(a: number, b: number): number {
  return -Math.expm1(Math.log1p(-a) + Math.log1p(-b));
}
