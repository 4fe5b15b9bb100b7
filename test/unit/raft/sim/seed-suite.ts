import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFailure, runSimulation } from './run-simulation.ts';
import { optionsForSeed, type SimOptions } from './sim-options.ts';

/** Seeds per node:test case: small enough to localise, large enough to keep the output short. */
const BLOCK = 50;

/**
 * Registers the seeds [from, to) as test cases, BLOCK seeds each, with the options each seed
 * implies (cluster size, fault profile, membership changes vary with the seed). A failing block
 * reports every failing seed with its violation, trace tail and replay command.
 */
export function registerSeedRange(from: number, to: number, adjust: (o: SimOptions) => SimOptions = (o) => o): void {
  for (let lo = from; lo < to; lo += BLOCK) {
    const hi = Math.min(lo + BLOCK, to);
    test(`simulated cluster keeps every invariant, seeds ${lo}..${hi - 1}`, () => {
      const failures: string[] = [];
      for (let seed = lo; seed < hi; seed++) {
        const r = runSimulation(adjust(optionsForSeed(seed)));
        if (r.violation) failures.push(formatFailure(r));
      }
      assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
    });
  }
}
