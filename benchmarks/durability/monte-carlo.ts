/**
 * Event simulation of one stripe group (issue #9), pure apart from its seeded PRNG.
 *
 * n drives, each failing after an exponential time at rate AFR/yr; a failed drive is repaired
 * after a fixed R (bandwidth-limited: R = bytes per drive / repair bandwidth, computed by the
 * caller or by `repairDaysForBandwidth`), repairs run in parallel, and a repaired drive starts
 * a fresh exponential life. A trial is `years` of one stripe group; it is a loss when more than
 * m drives are down at the same moment. The estimate is losses / trials with a Wilson 95 %
 * interval.
 */

export interface MonteCarloInput {
  readonly n: number;
  readonly m: number;
  /** fraction per year; inflate it (0.5 … 2) to make losses frequent enough to count */
  readonly afr: number;
  readonly repairDays: number;
  readonly trials: number;
  /** years per trial (default 1) */
  readonly years?: number;
  readonly seed: number;
}

export interface MonteCarloResult {
  readonly trials: number;
  readonly losses: number;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** mulberry32: small, fast, good enough for this. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wilson score interval for `successes` of `trials` (z = 1.96 → 95 %). */
export function wilsonInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (!(trials > 0)) throw new Error(`wilson: bad trial count ${trials}`);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Repair time in days of a drive holding `bytes` at `mibPerSecond` of repair bandwidth. */
export function repairDaysForBandwidth(bytes: number, mibPerSecond: number): number {
  if (!(bytes >= 0) || !(mibPerSecond > 0)) throw new Error('repair time: bad bytes or bandwidth');
  return bytes / (mibPerSecond * 1024 * 1024) / 86400;
}

/** One trial: does the stripe lose data within `years`? Times in days. */
function trialLoses(n: number, m: number, ratePerDay: number, repairDays: number, horizon: number, random: () => number): boolean {
  const exp = () => -Math.log(1 - random()) / ratePerDay;
  // Per drive: the time of its next event and whether it is down (event = repair done) or up
  // (event = failure). n is small (≤ 20), so a linear scan beats a heap.
  const next = new Float64Array(n);
  const down = new Uint8Array(n);
  for (let i = 0; i < n; i++) next[i] = exp();
  let downCount = 0;
  for (;;) {
    let k = 0;
    for (let i = 1; i < n; i++) if (next[i] < next[k]) k = i;
    const now = next[k];
    if (now >= horizon) return false;
    if (down[k]) {
      down[k] = 0;
      downCount--;
      next[k] = now + exp();
    } else {
      down[k] = 1;
      downCount++;
      if (downCount > m) return true;
      next[k] = now + repairDays;
    }
  }
}

export function simulateStripeLoss(input: MonteCarloInput): MonteCarloResult {
  const { n, m, afr, repairDays, trials, seed } = input;
  const years = input.years ?? 1;
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 0 || m >= n) throw new Error(`monte carlo: bad scheme n=${n} m=${m}`);
  if (!(afr > 0) || !(repairDays > 0) || !(trials >= 1) || !(years > 0)) throw new Error('monte carlo: bad parameters');
  const random = mulberry32(seed);
  let losses = 0;
  for (let t = 0; t < trials; t++) if (trialLoses(n, m, afr / 365, repairDays, years * 365, random)) losses++;
  const { low, high } = wilsonInterval(losses, trials);
  return { trials, losses, estimate: losses / trials, low, high };
}
