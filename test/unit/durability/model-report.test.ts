// The model report: both closed forms per scheme, per object and deployment, assumptions printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelRows, renderModelReport, requiredRepairMiBps } from '../../../benchmarks/durability/model-report.ts';
import { DEFAULT_HARDWARE, durabilityTable, SCHEMES } from '../../../benchmarks/durability/durability-table.ts';
import { hardwareFrom } from '../../../benchmarks/durability/hardware-validation.ts';

const rs63 = (rows: ReturnType<typeof modelRows>) => rows.find((r) => r.scheme.startsWith('RS(6,3)'))!;

test('period column equals durabilityTable; Markov is more loss, by about m+1', () => {
  const rows = modelRows();
  const table = durabilityTable();
  for (const [i, r] of rows.entries()) {
    assert.ok(Math.abs(r.period.perGroup / table[i]!.annualLoss - 1) < 1e-12, r.scheme);
    const ratio = r.markov.perGroup / r.period.perGroup;
    assert.ok(ratio > r.m && ratio < r.m + 2, `${r.scheme}: ${ratio}`);
  }
});

test('per group ≤ per object ≤ deployment, under both models', () => {
  for (const hw of [DEFAULT_HARDWARE, hardwareFrom({ zoneOutagesPerYear: 1, zoneOutageHours: 24 })]) {
    for (const r of modelRows(hw)) {
      for (const f of [r.period, r.markov]) assert.ok(f.perGroup <= f.perObject && f.perObject <= f.deployment, `${r.scheme} ${JSON.stringify(f)}`);
    }
  }
});

test('detection delay adds to R and costs nines; zone outages are not multiplied by the group count', () => {
  const slow = rs63(modelRows(hardwareFrom({ detectionHours: 24 })));
  assert.ok(slow.markov.perGroup > rs63(modelRows()).markov.perGroup);
  const zoned = rs63(modelRows(hardwareFrom({ zoneOutagesPerYear: 1, zoneOutageHours: 24 })));
  // a deployment outage is a loss when any of the 72 drives outside the zone fails in the window
  assert.ok(zoned.markov.deployment < 0.05, String(zoned.markov.deployment));
});

test('required repair bandwidth: the bisection lands on 12 nines, and Markov needs more than period', () => {
  const s = SCHEMES[0]!;
  const period = requiredRepairMiBps(DEFAULT_HARDWARE, s, 12, 'period')!;
  const markov = requiredRepairMiBps(DEFAULT_HARDWARE, s, 12, 'markov')!;
  assert.ok(period < 100 && markov > 100 && markov < 200, `${period} ${markov}`);
  const at = rs63(modelRows({ ...DEFAULT_HARDWARE, repairMiBps: markov }));
  assert.ok(Math.abs(-Math.log10(at.markov.perGroup) - 12) < 1e-6);
  // a zone outage rate this high caps the nines whatever the repair speed
  assert.equal(requiredRepairMiBps(hardwareFrom({ zoneOutagesPerYear: 1, zoneOutageHours: 24 }), s, 12, 'markov'), null);
});

test('the rendered report prints assumptions, both columns, deployment figures and the target verdict', () => {
  const text = renderModelReport();
  assert.match(text, /AFR 1\.57 %/);
  assert.match(text, /R = 29\.7 h \(1\.24 days\)/);
  assert.match(text, /detection 0 h/);
  assert.match(text, /no bitrot/);
  assert.match(text, /RS\(6,3\) zone-spread\s+9\s+3\s+3\/3\/3\s+2\.97e-13\s+12\.5\s+1\.19e-12\s+11\.9/);
  assert.match(text, /period model 12\.5 \(meets; 12 nines from \d+ MiB\/s\), Markov 11\.9 \(misses; 12 nines from \d+ MiB\/s\)/);
  assert.equal(text.split('\n').filter((l) => /^(RS|\d-replica)/.test(l)).length, 10);
  assert.throws(() => renderModelReport({ ...DEFAULT_HARDWARE, fill: 7 }), /fill/);
  // hardware too small for a scheme: dashes and a plain verdict, no exception
  const tiny = renderModelReport(hardwareFrom({ zones: 1, nodesPerZone: 2, drivesPerNode: 2 }));
  assert.match(tiny, /RS\(6,3\) zone-spread\s+9\s+3\s+9\s+—/);
  assert.match(tiny, /does not fit this hardware/);
  assert.doesNotMatch(tiny, /NaN/);
});
