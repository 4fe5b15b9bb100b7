/**
 * The classic Markov-chain MTTDL approximation (issue #9), pure.
 *
 * n drives, failure rate λ each (per hour), repair rate μ = 1/MTTR (per hour), data lost when
 * m+1 drives are down together. With μ ≫ λ:
 *   MTTDL ≈ μ^m / (λ^(m+1) · n·(n−1)·…·(n−m))      hours
 *   annual loss ≈ 1 − e^(−8766 / MTTDL)
 * That chain repairs one drive at a time at rate μ from every degraded state ('serial', the
 * issue's formula). With every down drive repaired at once (state i left at rate i·μ,
 * 'parallel'), MTTDL grows by m!: for m ≥ 2 the serial chain is pessimistic against a cluster
 * that rebuilds all lost shards concurrently (see README; the Monte Carlo agrees with 'parallel').
 */

export const HOURS_PER_YEAR = 8766;

export interface MarkovInput {
  readonly n: number;
  readonly m: number;
  /** fraction per year */
  readonly afr: number;
  /** mean time to repair, hours */
  readonly mttrHours: number;
  /** default 'serial' (the classic formula) */
  readonly repair?: 'serial' | 'parallel';
}

export function mttdlHours({ n, m, afr, mttrHours, repair = 'serial' }: MarkovInput): number {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 0 || m >= n) {
    throw new Error(`markov: bad scheme n=${n} m=${m}`);
  }
  if (!(afr > 0) || !(mttrHours > 0)) throw new Error(`markov: bad afr ${afr} or mttr ${mttrHours}`);
  const lambda = afr / HOURS_PER_YEAR;
  const mu = 1 / mttrHours;
  // Work in logs: μ^m / λ^(m+1) overflows nothing here, but products of 20 terms can.
  let logDenominator = (m + 1) * Math.log(lambda);
  for (let i = 0; i <= m; i++) logDenominator += Math.log(n - i);
  let logNumerator = m * Math.log(mu);
  if (repair === 'parallel') for (let i = 2; i <= m; i++) logNumerator += Math.log(i);
  return Math.exp(logNumerator - logDenominator);
}

export function markovAnnualLossProbability(input: MarkovInput): number {
  return -Math.expm1(-HOURS_PER_YEAR / mttdlHours(input));
}

/**
 * The same birth–death chain solved exactly instead of to first order in λ/μ: states 0…m
 * drives down, i → i+1 at (n−i)·λ, i → i−1 at μ ('serial') or i·μ ('parallel'), absorbed at
 * m+1. With τ_i the expected time to first reach i+1 from i,
 *   τ_0 = 1/(n·λ),   τ_i = (1 + r_i·τ_(i−1)) / ((n−i)·λ),   MTTDL = Σ τ_i
 * At real AFRs (λ·MTTR ~ 1e-5) it equals `mttdlHours`; at the inflated AFRs the Monte Carlo
 * needs (λ·MTTR ~ 1e-2) the first-order formula overstates loss by 10–25 % for m = 3 while
 * this stays inside the simulation's interval (test monte-carlo-rare-events.test.ts).
 */
export function exactMttdlHours({ n, m, afr, mttrHours, repair = 'serial' }: MarkovInput): number {
  mttdlHours({ n, m, afr, mttrHours, repair }); // same validation
  const lambda = afr / HOURS_PER_YEAR;
  const mu = 1 / mttrHours;
  let tau = 1 / (n * lambda);
  let sum = tau;
  for (let i = 1; i <= m; i++) {
    tau = (1 + (repair === 'parallel' ? i * mu : mu) * tau) / ((n - i) * lambda);
    sum += tau;
  }
  return sum;
}

export function exactMarkovAnnualLossProbability(input: MarkovInput): number {
  return -Math.expm1(-HOURS_PER_YEAR / exactMttdlHours(input));
}
