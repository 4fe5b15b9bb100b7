// Zone outages: RS(6,3) loses all spare tolerance for the outage; 3 replicas keep one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineLosses, lossGivenOutage, zoneOutageAnnualLoss } from '../../../benchmarks/durability/zone-correlated.ts';

const rs63 = { n: 9, m: 3, shardsPerZone: 3, afr: 0.0157, outagesPerYear: 1, outageHours: 24, backlogHours: 30 };
const rep3 = { n: 3, m: 2, shardsPerZone: 1, afr: 0.0157, outagesPerYear: 1, outageHours: 24, backlogHours: 30 };

test('RS(6,3): a loss during an outage is any of the 6 remaining drives failing in the window', () => {
  const p = -Math.expm1((-0.0157 * 54) / 8766);
  const expected = 1 - (1 - p) ** 6;
  assert.ok(Math.abs(lossGivenOutage(rs63) / expected - 1) < 1e-9);
});

test('3 replicas one per zone: both remaining copies must fail in the window', () => {
  const p = -Math.expm1((-0.0157 * 54) / 8766);
  assert.ok(Math.abs(lossGivenOutage(rep3) / (p * p) - 1) < 1e-9);
  assert.ok(lossGivenOutage(rep3) < lossGivenOutage(rs63));
});

test('more shards in the zone than tolerated: the outage itself is counted as loss', () => {
  assert.equal(lossGivenOutage({ ...rs63, n: 14, m: 4, shardsPerZone: 5 }), 1);
});

test('monotone: more outage hours, more backlog, more outages → more loss; none → zero', () => {
  for (const base of [rs63, rep3]) {
    let previous = -1;
    for (const hours of [0, 1, 6, 24, 72, 240]) {
      const loss = zoneOutageAnnualLoss({ ...base, outageHours: hours });
      assert.ok(loss > previous, `${hours} h: ${loss} ≤ ${previous}`);
      previous = loss;
    }
    assert.ok(zoneOutageAnnualLoss({ ...base, backlogHours: 100 }) > zoneOutageAnnualLoss(base));
    assert.ok(zoneOutageAnnualLoss({ ...base, outagesPerYear: 4 }) > zoneOutageAnnualLoss(base));
    assert.equal(zoneOutageAnnualLoss({ ...base, outagesPerYear: 0 }), 0);
  }
});

test('independent losses combine as 1 − (1−a)(1−b)', () => {
  assert.equal(combineLosses(0.5, 0.5), 0.75);
  assert.equal(combineLosses(1e-15, 0), 1e-15);
});
