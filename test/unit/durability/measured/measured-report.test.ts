// The measured run's verdict: a pass only when nothing was lost, nothing read back wrong and
// repair finished; planted losses fail it loudly with their names; anything else is a problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMeasuredRun, runPassed, runProblems } from '../../../../benchmarks/durability/measured/measured-report.ts';
import type { MeasuredRunReport, PhaseReport } from '../../../../benchmarks/durability/measured/measured-run.ts';

const verify = (intact: number, unreadable: string[] = [], wrong: string[] = []) => ({
  checked: intact + unreadable.length + wrong.length, intact,
  unreadable: unreadable.map((key) => ({ key, error: 'InternalError (HTTP 500): cannot be read' })),
  wrongBytes: wrong.map((key) => ({ key, error: 'bytes differ from offset 3' })),
});

function phase(name: string, o: Partial<PhaseReport> = {}): PhaseReport {
  return {
    name, faults: ['a fault'], shardsDamaged: 30, bytesDamaged: 3 * 2 ** 20, stripesAtTolerance: 4, degradedRead: verify(10),
    repair: { rounds: 2, bytesRebuilt: 3 * 2 ** 20, repairMs: 1500, mibPerSecond: 2, timeToFullRedundancyMs: 1600, bestZoneMiBps: 2.5, unrepairable: 0 },
    scanDegraded: 0, scanDegradedSample: [], unrebuildable: [], verify: verify(10), ...o,
  };
}

function run(o: Partial<MeasuredRunReport> = {}): MeasuredRunReport {
  return {
    seed: 1, objects: 10, byKind: { 'replicated': 4, 'erasure': 4, 'multi-stripe': 1, 'multipart': 1 }, bytesWritten: 9 * 2 ** 20,
    writeMs: 900, writeFailures: [], shardsLeftOutByWrites: 0, stripes: 12, shards: 90, phases: [phase('zone loss'), phase('disk, node, bitrot')], plantedLost: [],
    lost: [], wrongBytes: [], repairMiBps: 2, finishedAt: '2026-12-07T00:00:00Z', ...o,
  };
}

test('a clean run passes and says what it measured', () => {
  const r = run();
  assert.ok(runPassed(r));
  const text = renderMeasuredRun(r);
  assert.match(text, /verdict: PASS/);
  assert.match(text, /objects verified: 10 \/ 10; lost: 0/);
  assert.match(text, /3\.0 MiB rebuilt in 1\.5 s \(2 rounds\) = 2\.0 MiB\/s/);
});

test('planted losses fail loudly, by name, and are no problem when they are exactly the planted ones', () => {
  const beyond = phase('beyond tolerance', { degradedRead: verify(8, ['a', 'b']), verify: verify(8, ['a', 'b']), unrebuildable: ['a', 'b'], scanDegraded: 8 });
  const r = run({ phases: [phase('zone loss'), beyond], plantedLost: ['a', 'b'], lost: ['a', 'b'] });
  assert.equal(runPassed(r), false);
  assert.deepEqual(runProblems(r), []);
  assert.match(renderMeasuredRun(r), /lost: 2 \(a, b\)[\s\S]*verdict: FAIL: 2 objects lost, exactly those taken beyond tolerance/);
});

test('wrong bytes, unplanned losses, planted losses that still read, degraded reads and leftover damage are all problems', () => {
  const r = run({
    wrongBytes: ['w'], lost: ['x'], plantedLost: ['p'], writeFailures: [{ key: 'f', error: 'SlowDown' }],
    phases: [phase('zone loss', { degradedRead: verify(9, ['y']), scanDegraded: 2 })],
  });
  const problems = runProblems(r).join('\n');
  for (const want of [/1 writes failed: f/, /WRONG BYTES: w/, /lost within tolerance: x/, /still read back.*: p/, /unreadable while degraded.*: y/, /2 shards still degraded/]) {
    assert.match(problems, want);
  }
  assert.match(renderMeasuredRun(r), /verdict: FAIL\n {2}- /);
});
