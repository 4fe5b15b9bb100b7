/**
 * Rare events by inflated AFR and λ^(m+1) scaling (issue #9), pure.
 *
 * At the real AFR (1.57 %) an RS(6,3) stripe group loses data with probability ~1e-13 a year:
 * no simulation can count that. But to first order the loss rate of a scheme tolerating m
 * losses is C·λ^(m+1)·R^m (m+1 failures overlapping inside repair windows), so an estimate p_a
 * made at an inflated AFR a scales to the real one as
 *   p_afr ≈ p_a · (afr / a)^(m+1)
 * with the repair time R held fixed. The confidence interval scales the same way.
 *
 * Valid when, at the inflated rate, losses are still dominated by exactly m+1 overlapping
 * failures: n·a·R/365 ≪ 1 (each extra failure inside a window is another factor of that), and
 * the annual loss ≪ 1 (no saturation). Outside that the scaled figure is biased LOW (at
 * a·R/365 ≈ 0.01 with n = 9 the chain's higher-order terms already take off ~10 %), so quote it
 * as an order-of-magnitude check of the closed forms, not a replacement. Scaling from two
 * inflated AFRs and getting the same answer is the self-check (tested).
 */
import { simulateStripeLoss, type MonteCarloResult } from './monte-carlo.ts';

export interface ScaledEstimate {
  readonly inflatedAfr: number;
  readonly afr: number;
  /** (afr / inflatedAfr)^(m+1) */
  readonly factor: number;
  /** the simulation at the inflated AFR, unscaled */
  readonly inflated: MonteCarloResult;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** The first-order λ^(m+1) factor taking a loss probability at `inflatedAfr` to `afr`. */
export function rareEventScale(m: number, inflatedAfr: number, afr: number): number {
  if (!Number.isInteger(m) || m < 0) throw new Error(`rare events: bad m=${m}`);
  if (!(inflatedAfr > 0) || !(afr > 0)) throw new Error(`rare events: bad afr ${afr} or inflated afr ${inflatedAfr}`);
  return (afr / inflatedAfr) ** (m + 1);
}

/** Scale a Monte Carlo result obtained at `inflatedAfr` to `afr`. */
export function scaleInflatedResult(result: MonteCarloResult, m: number, inflatedAfr: number, afr: number): ScaledEstimate {
  const factor = rareEventScale(m, inflatedAfr, afr);
  return { inflatedAfr, afr, factor, inflated: result, estimate: result.estimate * factor, low: result.low * factor, high: result.high * factor };
}

export interface RareEventInput {
  readonly n: number;
  readonly m: number;
  /** the real AFR to report at */
  readonly afr: number;
  /** the AFR to simulate at (≫ afr) */
  readonly inflatedAfr: number;
  readonly repairDays: number;
  readonly trials: number;
  readonly seed: number;
}

/** Simulate one stripe group at the inflated AFR and scale the result to the real one. */
export function estimateRareLoss(input: RareEventInput): ScaledEstimate {
  const { n, m, afr, inflatedAfr, repairDays, trials, seed } = input;
  const result = simulateStripeLoss({ n, m, afr: inflatedAfr, repairDays, trials, seed });
  return scaleInflatedResult(result, m, inflatedAfr, afr);
}
