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
 * Two optional refinements, both first-order and both checked against the zoned Monte Carlo
 * (zone-monte-carlo.ts) at inflated rates:
 * - `driveRepairHours` R: a remaining drive that failed shortly BEFORE the outage is still
 *   down when it starts. With exponential lifetimes and a fixed repair R, the chance a drive is
 *   unavailable at some moment of W is (λR + 1 − e^(−λW)) / (1 + λR) instead of 1 − e^(−λW)
 *   (stationary down fraction, plus failing in W when up). Exact for tolerance left 0 (RS(6,3));
 *   for tolerance ≥ 1 it assumes the unavailabilities overlap, so it is an upper bound there.
 * - `zones`: a second outage of another zone starting inside W, P = 1 − e^(−rate·(Z−1)/Z·W),
 *   counted once per pair (at the second start); it is loss if the two zones' shards exceed m,
 *   else if more than what tolerance is left of the remaining drives are unavailable.
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
  /** drive repair time (with detection): counts drives already down when the outage starts */
  readonly driveRepairHours?: number;
  /** zones in the deployment: counts a second zone's outage inside the window */
  readonly zones?: number;
}

export function lossGivenOutage(input: ZoneOutageInput): number {
  const { n, m, shardsPerZone, afr, outageHours, backlogHours } = input;
  if (shardsPerZone < 0 || shardsPerZone > n) throw new Error(`zone model: bad shards per zone ${shardsPerZone}`);
  if (!(outageHours >= 0) || !(backlogHours >= 0) || !(afr >= 0)) throw new Error('zone model: bad durations or afr');
  const remaining = n - shardsPerZone;
  const toleranceLeft = m - shardsPerZone;
  if (toleranceLeft < 0) return 1;
  const window = outageHours + backlogHours;
  const p = unavailableInWindowProbability(afr, window, input.driveRepairHours ?? 0);
  const drives = moreThanFailProbability(remaining, toleranceLeft, p);
  const zones = input.zones ?? 1;
  if (zones < 2) return drives;
  // A second zone (taken to hold as many shards as this, the largest, one) out inside W; then
  // the rest must not lose more than what is left, each drive unavailable with the same p
  // (an upper bound: the two outages overlap for less than W).
  const secondOutage = -Math.expm1((-input.outagesPerYear * ((zones - 1) / zones) * window) / HOURS_PER_YEAR);
  const leftAfterTwo = toleranceLeft - shardsPerZone;
  const givenSecond = leftAfterTwo < 0 ? 1 : moreThanFailProbability(remaining - shardsPerZone, leftAfterTwo, p);
  return combineLosses(drives, secondOutage * givenSecond);
}

/**
 * P(a drive is down at some moment of a `windowHours` window): failing inside it, or — with a
 * fixed repair of `driveRepairHours` — already down when it opens: (λR + 1 − e^(−λW)) / (1 + λR).
 */
export function unavailableInWindowProbability(afr: number, windowHours: number, driveRepairHours = 0): number {
  const lambda = afr / HOURS_PER_YEAR;
  const lr = lambda * driveRepairHours;
  return (lr - Math.expm1(-lambda * windowHours)) / (1 + lr);
}

export function zoneOutageAnnualLoss(input: ZoneOutageInput): number {
  if (!(input.outagesPerYear >= 0)) throw new Error(`zone model: bad outage rate ${input.outagesPerYear}`);
  return -Math.expm1(-input.outagesPerYear * lossGivenOutage(input));
}

/** Two independent annual loss sources combined: 1 − (1−a)(1−b). */
export function combineLosses(a: number, b: number): number {
  return -Math.expm1(Math.log1p(-a) + Math.log1p(-b));
}
