// The seeded fault schedule: a seed replays the same faults at the same moments; every fault is
// healed, one at a time, with recovery gaps and a quiet end; each scenario draws only its kinds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { impairedZones, META_LEADER_ZONE, SCENARIOS, type ScenarioName } from '../../../chaos/nemesis/nemesis-fault.ts';
import { checkSchedule, DEFAULT_TIMING, describeSchedule, planNemesis, SCENARIO_KINDS, type ClusterTopology } from '../../../chaos/nemesis/nemesis-schedule.ts';

const TOPOLOGY: ClusterTopology = {
  zones: ['zone-1', 'zone-2', 'zone-3'],
  dataNodes: Object.fromEntries(['zone-1', 'zone-2', 'zone-3'].map((z) => [z, [1, 2, 3].map((n) => `${z}-data-${n}`)])),
};

test('the same seed gives the same schedule; another seed another one', () => {
  const a = planNemesis({ seed: 42, scenario: 'mixed', durationMs: 120_000, topology: TOPOLOGY });
  const b = planNemesis({ seed: 42, scenario: 'mixed', durationMs: 120_000, topology: TOPOLOGY });
  assert.deepEqual(a, b);
  const c = planNemesis({ seed: 43, scenario: 'mixed', durationMs: 120_000, topology: TOPOLOGY });
  assert.notDeepEqual(a.events, c.events);
  assert.match(describeSchedule(a), /scenario mixed, seed 42, 120 s/);
});

test('property: every schedule heals each fault, one at a time, before the quiet end', () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(...SCENARIOS), fc.integer({ min: 13_000, max: 600_000 }),
    (seed, scenario, durationMs) => {
      const s = planNemesis({ seed, scenario, durationMs, topology: TOPOLOGY });
      checkSchedule(s);
      assert.ok(s.faults.length >= 1, 'a run long enough for one fault gets one');
      for (const f of s.faults) {
        assert.ok(SCENARIO_KINDS[scenario].includes(f.fault.kind), `${f.fault.kind} in ${scenario}`);
        assert.ok(impairedZones(f.fault).length <= 1);
      }
      for (let i = 0; i < s.events.length; i += 2) {
        assert.equal(s.events[i]!.action, 'inject');
        assert.equal(s.events[i + 1]!.action, 'heal');
        assert.equal(s.events[i]!.faultId, s.events[i + 1]!.faultId);
      }
      const last = s.faults.at(-1)!;
      assert.ok(last.endMs + DEFAULT_TIMING.cooldownMs <= durationMs);
    },
  ), { numRuns: 500 });
});

test('zone faults sometimes target the meta leader, sometimes a named zone', () => {
  const targets = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    for (const f of planNemesis({ seed, scenario: 'zone-kill', durationMs: 60_000, topology: TOPOLOGY }).faults) {
      if (f.fault.kind === 'zone-kill') targets.add(f.fault.zone);
    }
  }
  assert.ok(targets.has(META_LEADER_ZONE));
  assert.ok([...targets].some((t) => t.startsWith('zone-')));
});

test('data node faults name a node of the zone they name', () => {
  for (let seed = 0; seed < 50; seed++) {
    for (const scenario of ['bitrot', 'disk-loss', 'mixed'] as ScenarioName[]) {
      for (const { fault } of planNemesis({ seed, scenario, durationMs: 60_000, topology: TOPOLOGY }).faults) {
        if ('node' in fault) assert.ok(TOPOLOGY.dataNodes[fault.zone]!.includes(fault.node));
        if (fault.kind === 'bitrot') assert.ok(fault.chunks >= 1 && fault.chunks <= 5);
      }
    }
  }
});

test('refuses what cannot be honoured', () => {
  assert.throws(() => planNemesis({ seed: 1, scenario: 'zone-kill', durationMs: 5_000, topology: TOPOLOGY }), /too short/);
  assert.throws(() => planNemesis({ seed: 1, scenario: 'nope' as ScenarioName, durationMs: 60_000, topology: TOPOLOGY }), /unknown scenario/);
  assert.throws(() => planNemesis({ seed: 1, scenario: 'mixed', durationMs: 60_000, topology: { zones: ['a', 'b'], dataNodes: {} } }), /three zones/);
  const s = planNemesis({ seed: 1, scenario: 'zone-kill', durationMs: 60_000, topology: TOPOLOGY });
  const overlapping = { ...s, faults: s.faults.map((f, i) => (i === 1 ? { ...f, startMs: s.faults[0]!.endMs } : f)) };
  assert.throws(() => checkSchedule(overlapping), /gap/);
});
