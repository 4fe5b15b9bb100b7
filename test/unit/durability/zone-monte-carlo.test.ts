// The zoned event simulation against the zone-correlated closed form at inflated rates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateZonedStripeLoss, zoneLayout } from '../../../benchmarks/durability/zone-monte-carlo.ts';
import { simulateStripeLoss } from '../../../benchmarks/durability/monte-carlo.ts';
import { combineLosses, zoneOutageAnnualLoss } from '../../../benchmarks/durability/zone-correlated.ts';
import { exactMarkovAnnualLossProbability } from '../../../benchmarks/durability/markov-mttdl.ts';

/** Closed form for a symmetric layout: drive-only loss (exact parallel chain) + zone outages. */
function closedForm(layout: number[], m: number, afr: number, repairDays: number, outagesPerYear: number, outageHours: number): number {
  const n = layout.reduce((a, b) => a + b, 0);
  const drives = exactMarkovAnnualLossProbability({ n, m, afr, mttrHours: repairDays * 24, repair: 'parallel' });
  const zone = zoneOutageAnnualLoss({
    n, m, shardsPerZone: Math.max(...layout), afr, outagesPerYear, outageHours,
    backlogHours: repairDays * 24, driveRepairHours: repairDays * 24, zones: layout.length,
  });
  return combineLosses(drives, zone);
}

test('zone layout spreads shards round-robin: RS(6,3) 3/3/3, RS(10,4) 5/5/4, 2 replicas 1/1/0', () => {
  assert.deepEqual(zoneLayout(9, 3), [3, 3, 3]);
  assert.deepEqual(zoneLayout(14, 3), [5, 5, 4]);
  assert.deepEqual(zoneLayout(2, 3), [1, 1, 0]);
  assert.throws(() => zoneLayout(0, 3));
});

test('RS(6,3) 3 per zone, AFR 50 %, 2-day repair, 2 outages/yr of 24 h: closed form inside the Monte Carlo 95 % interval', () => {
  const mc = simulateZonedStripeLoss({ layout: [3, 3, 3], m: 3, afr: 0.5, repairDays: 2, zoneOutagesPerYear: 2, zoneOutageHours: 24, trials: 100_000, seed: 1 });
  const closed = closedForm([3, 3, 3], 3, 0.5, 2, 2, 24);
  assert.ok(mc.low <= closed && closed <= mc.high, `closed ${closed} outside [${mc.low}, ${mc.high}]`);
  // without the drives-already-down term the closed form is low by about 2×: that term matters
  const naive = zoneOutageAnnualLoss({ n: 9, m: 3, shardsPerZone: 3, afr: 0.5, outagesPerYear: 2, outageHours: 24, backlogHours: 48 });
  assert.ok(naive < mc.low * 0.6, `naive ${naive}`);
});

test('3 replicas one per zone: the closed form is an upper bound, within 1.5× of the simulation', () => {
  const mc = simulateZonedStripeLoss({ layout: [1, 1, 1], m: 2, afr: 2, repairDays: 3, zoneOutagesPerYear: 4, zoneOutageHours: 48, trials: 100_000, seed: 2 });
  const closed = closedForm([1, 1, 1], 2, 2, 3, 4, 48);
  assert.ok(closed >= mc.low && closed <= 1.5 * mc.high, `closed ${closed} vs [${mc.low}, ${mc.high}]`);
});

test('more shards in a zone than tolerated: every outage of that zone is a loss', () => {
  // RS(10,4) on 3 zones: 5 shards in a zone > m = 4; AFR tiny so only outages count
  const mc = simulateZonedStripeLoss({ layout: [5, 5, 4], m: 4, afr: 1e-6, repairDays: 1, zoneOutagesPerYear: 0.3, zoneOutageHours: 1, trials: 20_000, seed: 3 });
  // 2 of 3 zones hold 5 shards: P(loss) = 1 − e^(−0.3·2/3)
  const expected = -Math.expm1(-0.2);
  assert.ok(mc.low <= expected && expected <= mc.high, `${expected} outside [${mc.low}, ${mc.high}]`);
});

test('no zone outages: the zoned simulation agrees with the drive-only one', () => {
  const zoned = simulateZonedStripeLoss({ layout: [2, 2, 2], m: 1, afr: 0.5, repairDays: 1, zoneOutagesPerYear: 0, zoneOutageHours: 0, trials: 100_000, seed: 4 });
  const plain = simulateStripeLoss({ n: 6, m: 1, afr: 0.5, repairDays: 1, trials: 100_000, seed: 5 });
  assert.ok(zoned.low <= plain.high && plain.low <= zoned.high, `[${zoned.low}, ${zoned.high}] vs [${plain.low}, ${plain.high}]`);
});

test('seeded and validated', () => {
  const input = { layout: [3, 3, 3], m: 3, afr: 1, repairDays: 2, zoneOutagesPerYear: 1, zoneOutageHours: 12, trials: 2000, seed: 9 };
  assert.deepEqual(simulateZonedStripeLoss(input), simulateZonedStripeLoss(input));
  assert.throws(() => simulateZonedStripeLoss({ ...input, m: 9 }), /bad m/);
  assert.throws(() => simulateZonedStripeLoss({ ...input, zoneOutagesPerYear: -1 }), /zone outage/);
  assert.throws(() => simulateZonedStripeLoss({ ...input, layout: [3, -1] }), /layout/);
});
