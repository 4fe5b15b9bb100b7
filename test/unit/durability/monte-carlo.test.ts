// The event simulation agrees with the analytic models where they are exact to first order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, repairDaysForBandwidth, simulateStripeLoss, wilsonInterval } from '../../../benchmarks/durability/monte-carlo.ts';
import { markovAnnualLossProbability } from '../../../benchmarks/durability/markov-mttdl.ts';
import { annualLossProbability } from '../../../benchmarks/durability/period-model.ts';

test('mulberry32 is deterministic and in [0, 1)', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  for (let i = 0; i < 1000; i++) {
    const x = a();
    assert.equal(x, b());
    assert.ok(x >= 0 && x < 1);
  }
});

test('Wilson interval: known values and edges', () => {
  const { low, high } = wilsonInterval(10, 100);
  assert.ok(Math.abs(low - 0.0552) < 1e-3 && Math.abs(high - 0.1744) < 1e-3, `${low} ${high}`);
  assert.equal(wilsonInterval(0, 50).low, 0);
  assert.ok(wilsonInterval(0, 50).high > 0);
});

test('repair time from bandwidth: 11.2 TB at 100 MiB/s is about 1.24 days', () => {
  assert.ok(Math.abs(repairDaysForBandwidth(16e12 * 0.7, 100) - 1.2362) < 1e-3);
});

test('m = 1, AFR 50 %, 1-day repair: Markov lies inside the Monte Carlo 95 % interval', () => {
  const input = { n: 6, m: 1, afr: 0.5, repairDays: 1 };
  const mc = simulateStripeLoss({ ...input, trials: 200_000, seed: 7 });
  const markov = markovAnnualLossProbability({ n: 6, m: 1, afr: 0.5, mttrHours: 24 });
  assert.ok(mc.low <= markov && markov <= mc.high, `markov ${markov} outside [${mc.low}, ${mc.high}]`);
  // the period model counts only failures in the same calendar period: half of it at m = 1
  const period = annualLossProbability(input);
  assert.ok(period < mc.low);
});

test('m = 2, AFR 200 %, 2-day repair: period < Monte Carlo < serial Markov; parallel Markov within 15 %', () => {
  const mc = simulateStripeLoss({ n: 6, m: 2, afr: 2, repairDays: 2, trials: 200_000, seed: 11 });
  const period = annualLossProbability({ n: 6, m: 2, afr: 2, repairDays: 2 });
  const serial = markovAnnualLossProbability({ n: 6, m: 2, afr: 2, mttrHours: 48 });
  const parallel = markovAnnualLossProbability({ n: 6, m: 2, afr: 2, mttrHours: 48, repair: 'parallel' });
  assert.ok(period < mc.low && mc.high < serial, `period ${period} mc [${mc.low}, ${mc.high}] serial ${serial}`);
  assert.ok(Math.abs(parallel / mc.estimate - 1) < 0.15, `parallel ${parallel} mc ${mc.estimate}`);
});

test('same seed, same answer', () => {
  const input = { n: 9, m: 3, afr: 2, repairDays: 5, trials: 2000, seed: 3 };
  assert.deepEqual(simulateStripeLoss(input), simulateStripeLoss(input));
});
