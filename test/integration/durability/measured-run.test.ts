// The measured durability run CI makes (issue #9): 1,000 objects on a fresh real cluster, a zone
// lost with its data disks, then a wiped disk, a stopped node and bitrot up to each stripe's
// tolerance — every object must read back byte for byte while degraded and after repair, and
// repair must restore full redundancy, rebuilding exactly the bytes destroyed. Then beyond
// tolerance through the real CLI: the objects taken past m losses are named, the exit code is 1,
// and nothing is ever served with wrong bytes. The long run (10,000 objects) is in RESULTS.md.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runMeasured, type MeasuredRunReport } from '../../../benchmarks/durability/measured/measured-run.ts';
import { renderMeasuredRun, runPassed } from '../../../benchmarks/durability/measured/measured-report.ts';
import { runBounded, runCli, CLI_ENTRY } from '../cluster/cluster-fixture.ts';

/** Cluster start, 1,000 writes, two rounds of degraded reads, repair and verification on 2 cores (≈ 5 min seen under heavy load). */
const RUN_TIMEOUT_MS = 600_000;
const out = mkdtempSync(join(tmpdir(), 'zs-durability-it-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('1,000 objects survive a zone loss, a wiped disk, a stopped node and bitrot up to tolerance; repair restores full redundancy', { timeout: RUN_TIMEOUT_MS }, async (t) => {
  const r = await runMeasured({
    objects: 1_000, seed: 9, sizeScale: 0.05, concurrency: 8, beyondTolerance: 0, fastTiming: true, repairTimeoutMs: 120_000,
    log: (line) => t.diagnostic(line),
  });
  const text = renderMeasuredRun(r);
  t.diagnostic(text);
  assert.ok(runPassed(r), text);
  assert.equal(r.objects, 1_000);
  assert.deepEqual([r.lost, r.wrongBytes, r.writeFailures], [[], [], []], text);
  assert.ok(Object.values(r.byKind).every((n) => n > 0), `every way of storing was used: ${JSON.stringify(r.byKind)}`);
  const [zone, bitrot] = r.phases as [MeasuredRunReport['phases'][0], MeasuredRunReport['phases'][0]];
  assert.equal(r.phases.length, 2);
  for (const p of r.phases) {
    assert.equal(p.degradedRead.intact, 1_000, `${p.name}: every object read back while degraded`);
    assert.equal(p.verify.intact, 1_000, `${p.name}: every object read back after repair`);
    assert.equal(p.scanDegraded, 0, `${p.name}: full redundancy`);
    assert.ok(p.stripesAtTolerance > 0, `${p.name}: some stripes lost exactly their tolerance`);
    assert.equal(p.repair.bytesRebuilt, p.bytesDamaged, `${p.name}: repair rebuilt exactly the bytes destroyed`);
  }
  // About a third of the shards were in the lost zone (3 of 9, or 1 of 3 copies; a write under
  // load may place a few shards on fallback nodes, so not exactly).
  assert.ok(Math.abs(zone.shardsDamaged - r.shards / 3) <= r.shards * 0.01, `${zone.shardsDamaged} of ${r.shards} shards in the lost zone`);
  assert.ok(zone.repair.mibPerSecond > 0 && r.repairMiBps === zone.repair.mibPerSecond);
  assert.match(bitrot.faults.join(' '), /bitrot in [1-9]\d* chunks/);
});

test('beyond tolerance: the objects taken past m losses are reported lost by name, exit code 1, never wrong bytes', { timeout: RUN_TIMEOUT_MS }, async () => {
  const file = join(out, 'beyond.json');
  const res = await runBounded(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'durability', 'run', '--objects', '120', '--size-scale', '0.05',
    '--beyond-tolerance', '4', '--fast-timing', '--seed', '5', '--out', file], { timeoutMs: RUN_TIMEOUT_MS - 10_000 });
  assert.equal(res.code, 1, res.stdout + res.stderr);
  const r = JSON.parse(readFileSync(file, 'utf8')) as MeasuredRunReport;
  assert.equal(r.plantedLost.length, 4);
  assert.deepEqual(r.lost, r.plantedLost, 'lost: exactly the objects taken beyond tolerance');
  assert.deepEqual(r.wrongBytes, []);
  const beyond = r.phases.at(-1)!;
  assert.deepEqual(beyond.unrebuildable, r.plantedLost, 'the redundancy scan names them unrebuildable');
  assert.ok(beyond.verify.unreadable.every((f) => /HTTP 5\d\d|InternalError/.test(f.error)), JSON.stringify(beyond.verify.unreadable));
  for (const key of r.plantedLost) assert.ok(res.stdout.includes(key), `${key} named in the output`);
  assert.match(res.stdout, /verdict: FAIL: 4 objects lost, exactly those taken beyond tolerance on purpose, none served with wrong bytes/);

  // The run's measured repair speed feeds the model for this deployment.
  const report = await runCli(['durability', 'report', '--from', file, '--svg', join(out, 'nines.svg')]);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(report.stdout.includes(`= ${r.repairMiBps.toFixed(1)} MiB/s, used below as the repair speed of one failed drive`), report.stdout);
  assert.ok(report.stdout.includes(`repair ${Number(r.repairMiBps.toFixed(1))} MiB/s per failed drive`), report.stdout);
  assert.match(report.stdout, /measured losses: 4 of 120 objects, 0 served with wrong bytes/);
  assert.match(readFileSync(join(out, 'nines.svg'), 'utf8'), /^<svg[\s\S]*RS\(6,3\)[\s\S]*<\/svg>\s*$/);
});

test('durability model: the default deployment at a given repair speed, and a clear error for a bad flag', { timeout: 60_000 }, async () => {
  const r = await runCli(['durability', 'model', '--repair-mibps', '100']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /RS\(6,3\) zone-spread\s+9\s+3\s+3\/3\/3\s+2\.9\de-13\s+12\.5/);
  assert.match(r.stdout, /assumptions:/);
  const bad = await runCli(['durability', 'model', '--fill', '70']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--fill <f>' argument '70' is invalid/);
});
