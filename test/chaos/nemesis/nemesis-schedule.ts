// The fault schedule of a chaos run, from a seed: pure, so a seed replays the same faults at the
// same moments. Faults come one at a time: each is healed, then the cluster gets a quiet gap to
// recover before the next, and the run ends with a longer quiet stretch so the final checks see
// a healed cluster. One fault at a time is what keeps "never two zones down at once" true, and
// with it the promise that the cluster stays available throughout.
import { SeededRandom } from '../../unit/raft/sim/seeded-random.ts';
import { describeFault, type FaultKind, impairedZones, META_LEADER_ZONE, type NemesisFault, type ScenarioName, SCENARIOS } from './nemesis-fault.ts';

export interface ClusterTopology {
  zones: readonly string[];
  /** Data node names per zone. */
  dataNodes: Readonly<Record<string, readonly string[]>>;
}

export interface NemesisTiming {
  /** No fault before this (the workload gets going first). */
  warmupMs: number;
  /** How long a fault lasts, drawn from [min, max]. */
  faultMs: readonly [number, number];
  /** Quiet time after a heal before the next fault, from [min, max]. */
  gapMs: readonly [number, number];
  /** The last heal comes at least this long before the run ends. */
  cooldownMs: number;
}

export const DEFAULT_TIMING: NemesisTiming = { warmupMs: 3_000, faultMs: [4_000, 10_000], gapMs: [3_000, 6_000], cooldownMs: 5_000 };

export interface ScheduledFault {
  id: number;
  fault: NemesisFault;
  startMs: number;
  endMs: number;
}

export interface NemesisEvent {
  atMs: number;
  action: 'inject' | 'heal';
  faultId: number;
  fault: NemesisFault;
}

export interface NemesisSchedule {
  seed: number;
  scenario: ScenarioName;
  durationMs: number;
  faults: ScheduledFault[];
  /** Injections and heals in time order. */
  events: NemesisEvent[];
}

/** The kinds each scenario draws from. */
export const SCENARIO_KINDS: Record<ScenarioName, readonly FaultKind[]> = {
  'zone-kill': ['zone-kill'],
  'zone-pause': ['zone-pause'],
  'partition': ['network'],
  'bitrot': ['bitrot'],
  'disk-loss': ['disk-loss'],
  'mixed': ['zone-kill', 'zone-pause', 'network', 'network', 'node-kill', 'bitrot', 'disk-loss', 'disk-full'],
};
/** Chance a zone fault goes to the meta leader's zone (the hard case for RTO). */
const LEADER_TARGET_CHANCE = 0.5;
const SLOW_LINK_MS: readonly [number, number] = [50, 500];
const BITROT_CHUNKS: readonly [number, number] = [1, 5];

export function planNemesis(opts: {
  seed: number; scenario: ScenarioName; durationMs: number; topology: ClusterTopology; timing?: NemesisTiming;
}): NemesisSchedule {
  const { seed, scenario, durationMs, topology } = opts;
  const timing = opts.timing ?? DEFAULT_TIMING;
  if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario} (one of ${SCENARIOS.join(', ')})`);
  if (topology.zones.length < 3) throw new Error('a chaos run needs at least three zones (one may fail)');
  const shortest = timing.warmupMs + timing.faultMs[0] + timing.cooldownMs;
  if (durationMs < shortest) throw new Error(`${durationMs} ms is too short for one fault (at least ${shortest} ms)`);
  const rnd = new SeededRandom(seed);
  const faults: ScheduledFault[] = [];
  let t = timing.warmupMs;
  for (;;) {
    // The last fault is shortened to fit rather than dropped, so any run that can hold one has one.
    const room = durationMs - timing.cooldownMs - t;
    if (room < timing.faultMs[0]) break;
    const length = Math.min(room, rnd.between(timing.faultMs[0], timing.faultMs[1]));
    faults.push({ id: faults.length + 1, fault: drawFault(rnd, SCENARIO_KINDS[scenario], topology), startMs: t, endMs: t + length });
    t += length + rnd.between(timing.gapMs[0], timing.gapMs[1]);
  }
  const events: NemesisEvent[] = faults.flatMap((f) => [
    { atMs: f.startMs, action: 'inject' as const, faultId: f.id, fault: f.fault },
    { atMs: f.endMs, action: 'heal' as const, faultId: f.id, fault: f.fault },
  ]);
  const schedule = { seed, scenario, durationMs, faults, events };
  checkSchedule(schedule, timing);
  return schedule;
}

function drawFault(rnd: SeededRandom, kinds: readonly FaultKind[], topo: ClusterTopology): NemesisFault {
  const kind = rnd.pick(kinds);
  const zone = rnd.pick(topo.zones);
  const anyZone = () => (rnd.chance(LEADER_TARGET_CHANCE) ? META_LEADER_ZONE : zone);
  const node = () => {
    const nodes = topo.dataNodes[zone] ?? [];
    if (nodes.length === 0) throw new Error(`${zone} has no data nodes to break`);
    return rnd.pick(nodes);
  };
  switch (kind) {
    case 'zone-kill': return { kind, zone: anyZone() };
    case 'zone-pause': return { kind, zone: anyZone() };
    case 'node-kill': return { kind, zone, node: node() };
    case 'disk-loss': return { kind, zone, node: node() };
    case 'disk-full': return { kind, zone, node: node() };
    case 'bitrot': return { kind, zone, node: node(), chunks: rnd.between(BITROT_CHUNKS[0], BITROT_CHUNKS[1]), seed: rnd.nextU32() };
    case 'network': {
      const other = rnd.pick(topo.zones.filter((z) => z !== zone));
      const shape = rnd.pick(['isolate', 'mute', 'cut', 'one-way-cut', 'slow'] as const);
      if (shape === 'isolate' || shape === 'mute') return { kind, fault: { kind: shape, zone } };
      if (shape === 'slow') {
        const ms = rnd.between(SLOW_LINK_MS[0], SLOW_LINK_MS[1]);
        return { kind, fault: { kind: 'slow', zone, ms, jitterMs: rnd.int(ms + 1) } };
      }
      return { kind, fault: { kind: 'cut', from: zone, to: other, oneWay: shape === 'one-way-cut' } };
    }
  }
}

/**
 * Throws unless the schedule keeps its promises: faults in order, one at a time, each healed
 * before the next (with the minimum gap) and before the cool-down, and no fault impairing more
 * than one zone.
 */
export function checkSchedule(s: NemesisSchedule, timing: NemesisTiming = DEFAULT_TIMING): void {
  let previousEnd = -Infinity;
  for (const f of s.faults) {
    const where = `fault ${f.id} (${describeFault(f.fault)})`;
    if (f.startMs < timing.warmupMs) throw new Error(`${where} starts during the warm-up`);
    if (!(f.endMs > f.startMs)) throw new Error(`${where} is never healed`);
    if (f.startMs < previousEnd + timing.gapMs[0]) throw new Error(`${where} starts before the previous fault's gap is over`);
    if (f.endMs + timing.cooldownMs > s.durationMs) throw new Error(`${where} is healed too late`);
    if (impairedZones(f.fault).length > 1) throw new Error(`${where} impairs more than one zone`);
    previousEnd = f.endMs;
  }
  const injects = s.events.filter((e) => e.action === 'inject').length;
  const heals = s.events.filter((e) => e.action === 'heal').length;
  if (injects !== s.faults.length || heals !== s.faults.length) throw new Error('every fault needs one inject and one heal event');
  for (let i = 1; i < s.events.length; i++) {
    if (s.events[i]!.atMs < s.events[i - 1]!.atMs) throw new Error('events out of order');
  }
}

/** The schedule as text, one event per line. */
export function describeSchedule(s: NemesisSchedule): string {
  const lines = [`scenario ${s.scenario}, seed ${s.seed}, ${(s.durationMs / 1000).toFixed(0)} s, ${s.faults.length} fault(s)`];
  for (const e of s.events) lines.push(`  ${(e.atMs / 1000).toFixed(1).padStart(6)} s  ${e.action.padEnd(6)} #${e.faultId} ${describeFault(e.fault)}`);
  return lines.join('\n');
}
