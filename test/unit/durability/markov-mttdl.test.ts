// The Markov MTTDL approximation against the period model at matching repair time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markovAnnualLossProbability, mttdlHours } from '../../../benchmarks/durability/markov-mttdl.ts';
import { annualLossProbability } from '../../../benchmarks/durability/period-model.ts';

test('MTTDL formula: n=2, m=1 is μ / (λ²·2·1)', () => {
  const lambda = 0.02 / 8766;
  const mu = 1 / 24;
  const expected = mu / (lambda * lambda * 2);
  assert.ok(Math.abs(mttdlHours({ n: 2, m: 1, afr: 0.02, mttrHours: 24 }) / expected - 1) < 1e-12);
});

test('for small m the Markov and period models agree to an order of magnitude', () => {
  for (const [n, m] of [[2, 1], [3, 1], [6, 1], [3, 2], [6, 2], [9, 2]] as const) {
    for (const [afr, days] of [[0.0157, 1], [0.1, 1], [0.05, 3]] as const) {
      const markov = markovAnnualLossProbability({ n, m, afr, mttrHours: days * 24 });
      const period = annualLossProbability({ n, m, afr, repairDays: days });
      const ratio = markov / period;
      // first order: Markov (serial repair) / period = (m+1)!, 2 for m=1 and 6 for m=2
      assert.ok(ratio >= 1 && ratio < 10, `n=${n} m=${m} afr=${afr} R=${days}: markov ${markov} period ${period}`);
    }
  }
});

test('parallel repair divides the loss rate by m!', () => {
  const serial = mttdlHours({ n: 9, m: 3, afr: 0.0157, mttrHours: 30 });
  const parallel = mttdlHours({ n: 9, m: 3, afr: 0.0157, mttrHours: 30, repair: 'parallel' });
  assert.ok(Math.abs(parallel / serial - 6) < 1e-9);
  assert.equal(mttdlHours({ n: 6, m: 1, afr: 0.1, mttrHours: 5, repair: 'parallel' }), mttdlHours({ n: 6, m: 1, afr: 0.1, mttrHours: 5 }));
});

test('Reference point: Markov gives 9.0e-7 where the period model gives 1.5e-7 (RS 4+2, 10 %, 1 day)', () => {
  assert.equal(Number(markovAnnualLossProbability({ n: 6, m: 2, afr: 0.1, mttrHours: 24 }).toPrecision(2)), 9.0e-7);
});
