/**
 * Event simulation of one stripe group laid out over zones, with drive failures AND zone
 * outages (issue #9), pure apart from its seeded PRNG.
 *
 * The stripe has `layout[z]` shards in zone z, one shard per drive. Drives fail after
 * exponential lifetimes at AFR/yr and come back after exactly `repairDays` (bandwidth-limited
 * rebuild plus detection delay, computed by the caller), in parallel, each then starting a fresh
 * life — the same drive process as `simulateStripeLoss`. Zone outages arrive as one Poisson
 * process at `zoneOutagesPerYear` (across all `layout.length` zones of the deployment), each
 * hitting a zone chosen uniformly; an outage makes every shard of that zone unavailable for
 * `zoneOutageHours` plus `backlogHours` (the rebuild/resync after the zone returns, as
 * zone-correlated.ts counts it). A shard is unavailable when its drive is down or its zone is
 * out; a trial (`years` of one stripe group) is a loss when more than m are unavailable at the
 * same moment. Unavailability only grows at a drive failure or an outage start, so the count is
 * checked there and nowhere else (recoveries need no events of their own).
 *
 * Like the closed form it is conservative about zones: a zone outage that leaves too few
 * shards counts as loss, although the zone's disks usually come back (unavailability).
 */
import { mulberry32, wilsonInterval, type MonteCarloResult } from './monte-carlo.ts';

export interface ZonedMonteCarloInput {
  /** shards of the stripe per zone, e.g. [3, 3, 3] for RS(6,3) zone-spread; zeros allowed */
  readonly layout: readonly number[];
  /** losses tolerated */
  readonly m: number;
  /** fraction per year; inflate it to make losses countable */
  readonly afr: number;
  /** per failed drive: rebuild time plus detection delay, days */
  readonly repairDays: number;
  /** zone outages per year across the deployment (0: drive failures only) */
  readonly zoneOutagesPerYear: number;
  readonly zoneOutageHours: number;
  /** after the zone returns, hours until its shards count again (default: repairDays) */
  readonly backlogHours?: number;
  readonly trials: number;
  /** years per trial (default 1) */
  readonly years?: number;
  readonly seed: number;
}

/** Shards per zone when n shards go round-robin over `zones` (as services/erasure/placement.ts spreads them). */
export function zoneLayout(n: number, zones: number): number[] {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(zones) || zones < 1) throw new Error(`zone layout: bad n=${n} zones=${zones}`);
  return Array.from({ length: zones }, (_, z) => Math.floor(n / zones) + (z < n % zones ? 1 : 0));
}

function validate(input: ZonedMonteCarloInput): void {
  const { layout, m, afr, repairDays, zoneOutagesPerYear, zoneOutageHours, trials } = input;
  const n = layout.reduce((a, b) => a + b, 0);
  if (layout.length < 1 || layout.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`zoned monte carlo: bad layout [${layout.join(', ')}]`);
  if (!Number.isInteger(m) || m < 0 || m >= n) throw new Error(`zoned monte carlo: bad m=${m} for n=${n}`);
  if (!(afr > 0) || !(repairDays > 0) || !(trials >= 1) || !((input.years ?? 1) > 0)) throw new Error('zoned monte carlo: bad afr, repair days, trials or years');
  if (!(zoneOutagesPerYear >= 0) || !(zoneOutageHours >= 0) || !((input.backlogHours ?? 0) >= 0)) throw new Error('zoned monte carlo: bad zone outage rate or durations');
}

/** One trial; times in days. */
function trialLoses(
  zoneOf: Uint8Array,
  zones: number,
  shardsIn: readonly number[],
  m: number,
  driveRate: number,
  repairDays: number,
  outageRate: number,
  outageDays: number,
  horizon: number,
  random: () => number,
): boolean {
  const n = zoneOf.length;
  const exp = (rate: number) => -Math.log(1 - random()) / rate;
  const next = new Float64Array(n);
  const down = new Uint8Array(n);
  for (let i = 0; i < n; i++) next[i] = exp(driveRate);
  const zoneUntil = new Float64Array(zones); // a zone is out while now < zoneUntil[z]
  let nextOutage = outageRate > 0 ? exp(outageRate) : Infinity;
  const unavailable = (now: number): number => {
    let count = 0;
    for (let z = 0; z < zones; z++) if (zoneUntil[z]! > now) count += shardsIn[z]!;
    for (let i = 0; i < n; i++) if (down[i] && !(zoneUntil[zoneOf[i]!]! > now)) count++;
    return count;
  };
  for (;;) {
    let k = 0;
    for (let i = 1; i < n; i++) if (next[i]! < next[k]!) k = i;
    const now = Math.min(next[k]!, nextOutage);
    if (now >= horizon) return false;
    if (nextOutage <= next[k]!) {
      const z = Math.min(zones - 1, Math.floor(random() * zones));
      zoneUntil[z] = Math.max(zoneUntil[z]!, now + outageDays);
      nextOutage = now + exp(outageRate);
      if (unavailable(now) > m) return true;
    } else if (down[k]) {
      down[k] = 0;
      next[k] = now + exp(driveRate);
    } else {
      down[k] = 1;
      next[k] = now + repairDays;
      if (unavailable(now) > m) return true;
    }
  }
}

export function simulateZonedStripeLoss(input: ZonedMonteCarloInput): MonteCarloResult {
  validate(input);
  const { layout, m, afr, repairDays, zoneOutagesPerYear, zoneOutageHours, trials, seed } = input;
  const years = input.years ?? 1;
  const backlogHours = input.backlogHours ?? repairDays * 24;
  const zoneOf = new Uint8Array(layout.reduce((a, b) => a + b, 0));
  let i = 0;
  layout.forEach((count, z) => {
    for (let j = 0; j < count; j++) zoneOf[i++] = z;
  });
  const random = mulberry32(seed);
  let losses = 0;
  for (let t = 0; t < trials; t++) {
    if (trialLoses(zoneOf, layout.length, layout, m, afr / 365, repairDays, zoneOutagesPerYear / 365, (zoneOutageHours + backlogHours) / 24, years * 365, random)) losses++;
  }
  const { low, high } = wilsonInterval(losses, trials);
  return { trials, losses, estimate: losses / trials, low, high };
}
