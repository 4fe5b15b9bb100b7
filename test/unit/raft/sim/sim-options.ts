import type { RaftDebugSwitches } from '../../../../services/raft/node.ts';
import type { NetworkFaults } from './sim-network.ts';

/** 'walk' is not a profile of the timed scheduler but a clockless random walk (random-walk.ts). */
export type FaultProfileName = 'calm' | 'lossy' | 'partitions' | 'crashes' | 'churn' | 'chaos' | 'walk';
export const FAULT_PROFILES: readonly FaultProfileName[] = ['calm', 'lossy', 'partitions', 'crashes', 'churn', 'chaos', 'walk'];
export type PlantedBug = keyof RaftDebugSwitches;
export const PLANTED_BUGS: readonly PlantedBug[] = ['commitPreviousTermByCounting', 'skipVoteLogCheck'];

/** Everything that determines a run; the same options replay the same run. */
export interface SimOptions {
  seed: number;
  nodes: number;
  /** Ticks of the fault phase; the heal-and-check-liveness phase follows. */
  ticks: number;
  faults: FaultProfileName;
  membership: boolean;
  bug?: PlantedBug;
  /** Planted host bug: gets read local state without ReadIndex (see WorkloadLimits.localReads). */
  localReads?: boolean;
}

/** Per-tick (or per-event) probabilities of each kind of fault. */
export interface FaultProfile {
  network: NetworkFaults;
  partitionRate: number;
  healRate: number;
  crashRate: number;
  /** Chance per tick the current leader crashes (leader churn leaves divergent log tails). */
  leaderCrashRate: number;
  restartRate: number;
  /** Most nodes down at once, beyond which no crash is injected. */
  maxDown: 'minority' | 'majority';
  /** Chance a Ready cycle is cut short by a crash at a random point. */
  readyCrashRate: number;
  /** Chance a delivered message's Ready cycle waits until the end of the tick. */
  deferReadyRate: number;
  /** Chance a live node skips (or doubles) a tick: clock skew. */
  skewRate: number;
  /** Chance a delivered message is preceded by a corrupted copy (must be dropped and counted). */
  malformedRate: number;
  compactRate: number;
  transferRate: number;
  campaignRate: number;
}

const QUIET: FaultProfile = {
  network: { dropRate: 0, duplicateRate: 0, minDelay: 0, maxDelay: 1, reorderRate: 0.02 },
  partitionRate: 0, healRate: 1, crashRate: 0, leaderCrashRate: 0, restartRate: 1, maxDown: 'minority',
  readyCrashRate: 0, deferReadyRate: 0.2, skewRate: 0.02, malformedRate: 0,
  compactRate: 0.02, transferRate: 0.004, campaignRate: 0.002,
};

export const PROFILES: Record<Exclude<FaultProfileName, 'walk'>, FaultProfile> = {
  calm: QUIET,
  lossy: {
    ...QUIET,
    network: { dropRate: 0.15, duplicateRate: 0.08, minDelay: 0, maxDelay: 5, reorderRate: 0.1 },
    compactRate: 0.04, malformedRate: 0.005,
  },
  partitions: {
    ...QUIET,
    network: { dropRate: 0.03, duplicateRate: 0.03, minDelay: 0, maxDelay: 3, reorderRate: 0.05 },
    partitionRate: 0.03, healRate: 0.04, compactRate: 0.04, campaignRate: 0.01,
  },
  crashes: {
    ...QUIET,
    network: { dropRate: 0.02, duplicateRate: 0.02, minDelay: 0, maxDelay: 3, reorderRate: 0.05 },
    crashRate: 0.025, restartRate: 0.08, readyCrashRate: 0.004, compactRate: 0.04,
  },
  churn: {
    ...QUIET,
    network: { dropRate: 0.1, duplicateRate: 0.02, minDelay: 0, maxDelay: 4, reorderRate: 0.1 },
    leaderCrashRate: 0.04, restartRate: 0.15, readyCrashRate: 0.002, compactRate: 0.01, campaignRate: 0.01,
  },
  chaos: {
    network: { dropRate: 0.1, duplicateRate: 0.06, minDelay: 0, maxDelay: 6, reorderRate: 0.2 },
    partitionRate: 0.03, healRate: 0.04, crashRate: 0.02, leaderCrashRate: 0.01, restartRate: 0.06, maxDown: 'majority',
    readyCrashRate: 0.004, deferReadyRate: 0.3, skewRate: 0.05, malformedRate: 0.005,
    compactRate: 0.05, transferRate: 0.01, campaignRate: 0.01,
  },
};

export const DEFAULT_TICKS = 400;

/** The options a bare `--seed N` means: cluster size, faults and membership vary with the seed. */
export function optionsForSeed(seed: number): SimOptions {
  return {
    seed,
    nodes: seed % 2 === 0 ? 3 : 5,
    ticks: DEFAULT_TICKS,
    faults: FAULT_PROFILES[Math.floor(seed / 2) % FAULT_PROFILES.length],
    membership: seed % 10 === 3 || seed % 10 === 6,
  };
}

/** The exact command that replays a run. */
export function replayCommand(o: SimOptions): string {
  const parts = ['npm run sim --', `--seed ${o.seed}`, `--nodes ${o.nodes}`, `--faults ${o.faults}`, `--ticks ${o.ticks}`];
  parts.push(o.membership ? '--membership' : '--no-membership');
  if (o.bug) parts.push(`--bug ${o.bug}`);
  if (o.localReads) parts.push('--local-reads');
  return parts.join(' ');
}

/** What the replay command line asks for. */
export interface SimArgs {
  seeds: number[];
  /** The seed's default options with the command line's overrides applied. */
  optionsFor(seed: number): SimOptions;
  verbose: boolean;
}

export function parseSimArgs(argv: readonly string[]): SimArgs {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} wants a non-negative integer, got ${v}`);
    return n;
  };
  let seeds: number[];
  const range = flag('seeds');
  if (range) {
    const m = /^(\d+)\.\.(\d+)$/.exec(range);
    if (!m) throw new Error(`--seeds wants A..B, got ${range}`);
    seeds = [];
    for (let s = Number(m[1]); s <= Number(m[2]); s++) seeds.push(s);
  } else {
    seeds = [num('seed', flag('seed') ?? '1')];
  }
  const nodes = flag('nodes');
  const ticks = flag('ticks');
  const faults = flag('faults');
  if (faults && !FAULT_PROFILES.includes(faults as FaultProfileName)) {
    throw new Error(`--faults: one of ${FAULT_PROFILES.join(', ')}`);
  }
  const bug = flag('bug');
  if (bug && !PLANTED_BUGS.includes(bug as PlantedBug)) throw new Error(`--bug: one of ${PLANTED_BUGS.join(', ')}`);
  return {
    seeds,
    verbose: argv.includes('--verbose'),
    optionsFor(seed: number): SimOptions {
      const o = optionsForSeed(seed);
      if (nodes) o.nodes = num('nodes', nodes);
      if (ticks) o.ticks = num('ticks', ticks);
      if (faults) o.faults = faults as FaultProfileName;
      if (argv.includes('--membership')) o.membership = true;
      if (argv.includes('--no-membership')) o.membership = false;
      if (bug) o.bug = bug as PlantedBug;
      if (argv.includes('--local-reads')) o.localReads = true;
      return o;
    },
  };
}
