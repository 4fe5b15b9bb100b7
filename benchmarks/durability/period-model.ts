/**
 * The Backblaze "period" durability model (issue #9), pure.
 *
 * Time is cut into repair periods of R days. A drive fails within one period with probability
 * P = 1 − e^(−AFR·R/365). A stripe of n shards tolerating m losses loses data in a period when
 * more than m of its n drives fail in that same period:
 *   loss per period = Σ_{i=m+1..n} C(n,i)·P^i·(1−P)^(n−i)
 * and survives a year with probability (1 − loss)^(365/R). S independent stripes survive with
 * that to the power S. Everything small is computed with log1p/expm1 so 1e-15 is not rounded
 * away against 1.
 */

export interface PeriodModelInput {
  /** shards per stripe */
  readonly n: number;
  /** losses tolerated (parity shards, or replicas − 1) */
  readonly m: number;
  /** annualised drive failure rate as a fraction per year (0.0157 for 1.57 %) */
  readonly afr: number;
  /** repair time in days */
  readonly repairDays: number;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - i + 1)) / i;
  return c;
}

/** Probability one drive fails within a window of `days` at the given AFR. */
export function driveFailureProbability(afr: number, days: number): number {
  return -Math.expm1((-afr * days) / 365);
}

/** P(more than m of n independent drives fail), each with probability p. */
export function moreThanFailProbability(n: number, m: number, p: number): number {
  let sum = 0;
  for (let i = m + 1; i <= n; i++) sum += binomial(n, i) * p ** i * (1 - p) ** (n - i);
  return sum;
}

export function periodLossProbability(input: PeriodModelInput): number {
  validate(input);
  return moreThanFailProbability(input.n, input.m, driveFailureProbability(input.afr, input.repairDays));
}

/** Annual loss probability of one stripe: 1 − (1 − periodLoss)^(365/R). */
export function annualLossProbability(input: PeriodModelInput): number {
  const periods = 365 / input.repairDays;
  return -Math.expm1(periods * Math.log1p(-periodLossProbability(input)));
}

/** Annual probability that at least one of `stripes` independent stripes, each with annual loss `loss`, is lost. */
export function scaleToStripes(annualLoss: number, stripes: number): number {
  if (!(stripes >= 1)) throw new Error(`scaleToStripes: bad stripe count ${stripes}`);
  return -Math.expm1(stripes * Math.log1p(-annualLoss));
}

/** Durability "nines": −log10(loss). Infinity for a loss of 0. */
export function nines(lossProbability: number): number {
  if (!(lossProbability >= 0 && lossProbability <= 1)) throw new Error(`nines: not a probability ${lossProbability}`);
  return -Math.log10(lossProbability);
}

function validate({ n, m, afr, repairDays }: PeriodModelInput): void {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 0 || m >= n) {
    throw new Error(`period model: bad scheme n=${n} m=${m}`);
  }
  if (!(afr >= 0) || !(repairDays > 0)) throw new Error(`period model: bad afr ${afr} or repair days ${repairDays}`);
}
