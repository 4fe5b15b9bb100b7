// The scheme table on the default hardware: the 12-nines target and ordering sanity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HARDWARE, durabilityTable, renderDurabilityTable, repairDays } from '../../../benchmarks/durability/durability-table.ts';

const byName = (rows: ReturnType<typeof durabilityTable>, name: string) => {
  const row = rows.find((r) => r.scheme.startsWith(name));
  assert.ok(row, name);
  return row;
};

test('RS(6,3) at AFR 1.57 % and 100 MiB/s repair reaches ≥ 12 nines per stripe group', () => {
  const rows = durabilityTable({ ...DEFAULT_HARDWARE, afr: 0.0157, repairMiBps: 100 });
  assert.ok(byName(rows, 'RS(6,3)').nines >= 12, String(byName(rows, 'RS(6,3)').nines));
});

test('ordering: 2-replica < 3-replica < RS(6,3) < RS(10,4) in nines', () => {
  const rows = durabilityTable();
  const n2 = byName(rows, '2-replica').nines;
  const n3 = byName(rows, '3-replica').nines;
  const rs63 = byName(rows, 'RS(6,3)').nines;
  const rs104 = byName(rows, 'RS(10,4)').nines;
  assert.ok(n2 < n3 && n3 < rs63 && rs63 < rs104, `${n2} ${n3} ${rs63} ${rs104}`);
});

test('slower repair, fewer nines; zone outages only ever add loss', () => {
  const fast = byName(durabilityTable(), 'RS(6,3)');
  const slow = byName(durabilityTable({ ...DEFAULT_HARDWARE, repairMiBps: 20 }), 'RS(6,3)');
  assert.ok(slow.nines < fast.nines);
  const zoned = durabilityTable({ ...DEFAULT_HARDWARE, zoneOutagesPerYear: 1, zoneOutageHours: 24 });
  for (const row of durabilityTable()) assert.ok(byName(zoned, row.scheme).annualLoss >= row.annualLoss);
  assert.ok(repairDays({ ...DEFAULT_HARDWARE, repairMiBps: 50 }) > repairDays(DEFAULT_HARDWARE));
});

test('the rendered table states its assumptions and has one line per scheme', () => {
  const text = renderDurabilityTable();
  assert.match(text, /AFR 1\.57 %/);
  assert.match(text, /R = 1\.24 days/);
  assert.match(text, /fill 70 %/);
  assert.match(text, /RS\(6,3\) zone-spread\s+9\s+3\s+2\.97e-13\s+12\.5/);
  assert.equal(text.split('\n').filter((l) => /^(RS|\d-replica)/.test(l)).length, 5);
});
