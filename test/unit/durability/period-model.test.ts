// The Backblaze period model: the published reference point and the precision of tiny losses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  annualLossProbability,
  binomial,
  nines,
  periodLossProbability,
  scaleToStripes,
} from '../../../benchmarks/durability/period-model.ts';

const twoSignificant = (x: number) => Number(x.toPrecision(2));

test('Backblaze reference: RS 4+2, AFR 10 %, 1-day repair → annual loss 1.5e-7', () => {
  const loss = annualLossProbability({ n: 6, m: 2, afr: 0.1, repairDays: 1 });
  assert.equal(twoSignificant(loss), 1.5e-7);
  assert.equal(twoSignificant(nines(loss)), 6.8);
});

test('per-period loss is the binomial tail above m', () => {
  assert.equal(binomial(9, 4), 126);
  assert.equal(binomial(6, 0), 1);
  assert.equal(binomial(3, 4), 0);
  // one drive, no tolerance: loss per period is just P
  const p = -Math.expm1(-0.1 / 365);
  assert.ok(Math.abs(periodLossProbability({ n: 1, m: 0, afr: 0.1, repairDays: 1 }) - p) < 1e-18);
});

test('losses near 1e-15 survive the arithmetic and scale linearly with stripes while small', () => {
  const loss = annualLossProbability({ n: 9, m: 3, afr: 0.0157, repairDays: 1 });
  assert.ok(loss > 0 && loss < 1e-12, `loss ${loss}`);
  const million = scaleToStripes(loss, 1e6);
  assert.ok(Math.abs(million / (loss * 1e6) - 1) < 1e-6);
  assert.ok(scaleToStripes(0.5, 2) === 0.75);
});

test('more repair time or more AFR means more loss; more parity means less', () => {
  const base = { n: 9, m: 3, afr: 0.0157, repairDays: 1 };
  assert.ok(annualLossProbability({ ...base, repairDays: 2 }) > annualLossProbability(base));
  assert.ok(annualLossProbability({ ...base, afr: 0.03 }) > annualLossProbability(base));
  assert.ok(annualLossProbability({ ...base, m: 4 }) < annualLossProbability(base));
});

test('nines is −log10 and rejects non-probabilities', () => {
  assert.equal(nines(1e-12), 12);
  assert.equal(nines(0), Infinity);
  assert.throws(() => nines(2));
  assert.throws(() => annualLossProbability({ n: 3, m: 3, afr: 0.1, repairDays: 1 }));
});
