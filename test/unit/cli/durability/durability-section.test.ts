// The RESULTS.md section of `zonestore durability run --results`: between its markers, the
// command and machine, the run's report and the model fed the measured repair speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DURABILITY_MARKERS, durabilitySection } from '../../../../services/cli/durability/durability-section.ts';
import { hardwareOf } from '../../../../services/cli/durability/model-action.ts';
import type { MeasuredRunReport } from '../../../../benchmarks/durability/measured/measured-run.ts';

const verify = { checked: 10, intact: 10, unreadable: [], wrongBytes: [] };
const run: MeasuredRunReport = {
  seed: 3, objects: 10, byKind: { 'replicated': 4, 'erasure': 4, 'multi-stripe': 1, 'multipart': 1 }, bytesWritten: 2 ** 24, writeMs: 1000,
  writeFailures: [], shardsLeftOutByWrites: 0, stripes: 12, shards: 90, plantedLost: [], lost: [], wrongBytes: [], repairMiBps: 12.34, finishedAt: '2026-12-07T16:00:00.000Z',
  phases: [{
    name: 'zone loss', faults: ['zone-3 killed'], shardsDamaged: 30, bytesDamaged: 2 ** 23, stripesAtTolerance: 6, degradedRead: verify, verify,
    repair: { rounds: 2, bytesRebuilt: 2 ** 23, repairMs: 650, mibPerSecond: 12.34, timeToFullRedundancyMs: 700, bestZoneMiBps: 12.34, unrepairable: 0 },
    scanDegraded: 0, scanDegradedSample: [], unrebuildable: [],
  }],
};

test('the section holds the command, the machine, the run and the model at the measured speed, between its markers', () => {
  const s = durabilitySection({
    command: 'zonestore durability run --objects 10 --results', machine: '2 cores (test CPU)', loadAtStart: '0.50 0.40 0.30',
    loadAtEnd: '1.00 0.80 0.60', wallMs: 90_000, run, measured: hardwareOf({}, 12.3),
  });
  assert.ok(s.startsWith(DURABILITY_MARKERS.begin) && s.endsWith(DURABILITY_MARKERS.end));
  assert.match(s, /`zonestore durability run --objects 10 --results` — 1\.5 min end to end/);
  assert.match(s, /2 cores \(test CPU\); load average 0\.50 0\.40 0\.30 at start, 1\.00 0\.80 0\.60 at the end/);
  assert.match(s, /measured repair throughput \(zone loss\): 12\.3 MiB\/s/);
  assert.match(s, /repair 12\.3 MiB\/s per failed drive/);
  assert.match(s, /verdict: PASS/);
});

test('hardware flags: percent AFR and TB drives become the model\'s fraction and bytes; a measured speed wins', () => {
  const hw = hardwareOf({ afr: 2, driveTb: 8, repairMibps: 40 });
  assert.equal(hw.afr, 0.02);
  assert.equal(hw.driveBytes, 8e12);
  assert.equal(hw.repairMiBps, 40);
  assert.equal(hardwareOf({ repairMibps: 40 }, 7.5).repairMiBps, 7.5);
  assert.throws(() => hardwareOf({ fill: 2 }), /fill/);
});
