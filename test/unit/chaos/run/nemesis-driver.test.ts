// The schedule driver on a fast schedule with an executor that only records what it was asked:
// faults injected and healed in order at their moments, measured windows on the run's clock,
// a failed injection recorded and not healed, and a stop signal that still heals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driveNemesis, type AppliedFault, type FaultExecutor } from '../../../chaos/run/nemesis-driver.ts';
import type { NemesisFault } from '../../../chaos/nemesis/nemesis-fault.ts';
import type { NemesisSchedule } from '../../../chaos/nemesis/nemesis-schedule.ts';

function schedule(faults: Array<[NemesisFault, number, number]>): NemesisSchedule {
  const fs = faults.map(([fault, startMs, endMs], i) => ({ id: i + 1, fault, startMs, endMs }));
  return {
    seed: 1, scenario: 'mixed', durationMs: 1_000, faults: fs,
    events: fs.flatMap((f) => [{ atMs: f.startMs, action: 'inject' as const, faultId: f.id, fault: f.fault }, { atMs: f.endMs, action: 'heal' as const, faultId: f.id, fault: f.fault }]),
  };
}

function recordingExecutor(failOn?: string): { executor: FaultExecutor; calls: string[] } {
  const calls: string[] = [];
  const t0 = performance.now();
  return {
    calls,
    executor: {
      async inject(fault): Promise<AppliedFault> {
        const zone = 'zone' in fault ? String(fault.zone) : '?';
        if (zone === failOn) throw new Error(`cannot break ${zone}`);
        const resolved = { ...fault, zone: zone === 'meta-leader' ? 'zone-2' : zone } as NemesisFault;
        calls.push(`inject ${zone} @${Math.round(performance.now() - t0)}`);
        return { fault: resolved, description: `broke ${'zone' in resolved ? resolved.zone : ''}`, injectedAt: Date.now() };
      },
      async heal(applied) {
        calls.push(`heal ${'zone' in applied.fault ? applied.fault.zone : ''} @${Math.round(performance.now() - t0)}`);
      },
    },
  };
}

test('faults are injected and healed in order, at their moments, with measured windows', { timeout: 5_000 }, async () => {
  const { executor, calls } = recordingExecutor();
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const done = await driveNemesis({
    schedule: schedule([[{ kind: 'zone-kill', zone: 'meta-leader' }, 20, 80], [{ kind: 'zone-pause', zone: 'zone-3' }, 120, 160]]),
    executor, now,
  });
  assert.deepEqual(calls.map((c) => c.split(' @')[0]), ['inject meta-leader', 'heal zone-2', 'inject zone-3', 'heal zone-3']);
  assert.equal(done.length, 2);
  assert.equal(done[0]!.description, 'broke zone-2');
  assert.ok(done[0]!.startMs >= 20 && done[0]!.endMs >= 80 && done[1]!.startMs >= 120 && done[1]!.endMs >= 160, JSON.stringify(done));
  assert.ok(done[0]!.endMs <= done[1]!.startMs);
});

test('a failed injection is recorded and never healed; the schedule goes on', { timeout: 5_000 }, async () => {
  const { executor, calls } = recordingExecutor('zone-1');
  const t0 = performance.now();
  const done = await driveNemesis({
    schedule: schedule([[{ kind: 'zone-kill', zone: 'zone-1' }, 0, 30], [{ kind: 'zone-kill', zone: 'zone-3' }, 40, 60]]),
    executor, now: () => performance.now() - t0,
  });
  assert.match(done[0]!.injectError ?? '', /cannot break zone-1/);
  assert.deepEqual(calls.map((c) => c.split(' @')[0]), ['inject zone-3', 'heal zone-3']);
});

test('a stop signal cuts the schedule short but heals what is in place', { timeout: 5_000 }, async () => {
  const { executor, calls } = recordingExecutor();
  const t0 = performance.now();
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 50);
  const done = await driveNemesis({
    schedule: schedule([[{ kind: 'zone-kill', zone: 'zone-1' }, 10, 10_000], [{ kind: 'zone-kill', zone: 'zone-3' }, 10_100, 10_200]]),
    executor, now: () => performance.now() - t0, signal: stop.signal,
  });
  assert.deepEqual(calls.map((c) => c.split(' @')[0]), ['inject zone-1', 'heal zone-1']);
  assert.equal(done.length, 1);
  assert.ok(done[0]!.endMs < 1_000);
});
