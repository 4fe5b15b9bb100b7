import { Role } from '../../../../services/raft/types.ts';
import { FaultInjector } from './fault-injector.ts';
import { encodePut } from './kv-state-machine.ts';
import { checkLinearizable, describeHistory } from './linearizability.ts';
import { MembershipDriver } from './membership-driver.ts';
import { runRandomWalk } from './random-walk.ts';
import { SeededRandom } from './seeded-random.ts';
import { SimCluster } from './sim-cluster.ts';
import { CrashPoint } from './sim-host.ts';
import { RELIABLE } from './sim-network.ts';
import { PROFILES, replayCommand, type SimOptions } from './sim-options.ts';
import { SimViolation } from './violation.ts';

export const ELECTION_TICKS = 10;
/** After every fault heals, a leader must commit a new entry within this many ticks… */
export const LIVENESS_BOUND_TICKS = 20 * ELECTION_TICKS;
/** …and every member must have applied it within this many more (catching up may take snapshots). */
export const CATCH_UP_BOUND_TICKS = 40 * ELECTION_TICKS;
/** Extra ticks for client operations still in flight to finish before the history is checked. */
const DRAIN_TICKS = 4 * ELECTION_TICKS;

export interface SimStats {
  /** The node settings the seed drew (PreVote, CheckQuorum, flow control). */
  config: string;
  ticks: number;
  leadersElected: number;
  committed: number;
  crashes: number;
  partitions: number;
  compactions: number;
  snapshotsSent: number;
  membershipChanges: number;
  messages: { sent: number; dropped: number; duplicated: number; delivered: number; malformed: number };
  ops: { recorded: number; completed: number; failed: number; abandoned: number };
  /** Ticks from the heal to a new entry committed everywhere. */
  recoveryTicks: number;
}

export interface SimResult {
  options: SimOptions;
  violation?: SimViolation;
  stats: SimStats;
  trace: string[];
}

/** Runs one seeded simulation: random faults, then heal and check liveness, then linearizability. */
export function runSimulation(options: SimOptions, echo?: (line: string) => void, traceMessages = false): SimResult {
  if (options.faults === 'walk') return runRandomWalk(options, echo, traceMessages);
  const random = new SeededRandom(options.seed);
  const profile = PROFILES[options.faults];
  const ids = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
  let cluster: SimCluster | undefined;
  let injector: FaultInjector | undefined;
  let membership: MembershipDriver | undefined;
  let violation: SimViolation | undefined;
  let recoveryTicks = -1;
  let config = '';
  try {
    cluster = new SimCluster(
      {
        ids,
        settings: {
          electionTicks: ELECTION_TICKS,
          heartbeatTicks: random.pick([1, 1, 2, 3]),
          // Mostly the production settings, sometimes without them: a deposed leader that never
          // steps down (no CheckQuorum) is the best test of ReadIndex and of term handling.
          preVote: random.chance(0.8),
          checkQuorum: random.chance(0.8),
          // Small limits make replication split, pipeline and repair in many small steps.
          maxEntriesPerMsg: random.pick([1, 2, 4, 64]),
          maxInflight: random.pick([1, 2, 4, 16]),
          debug: options.bug ? { [options.bug]: true } : undefined,
        },
        workload: {
          clients: 4, keys: 3, maxOps: 120, rate: 0.25, backgroundRate: 0.3, putRatio: 0.5,
          timeoutTicks: 6 * ELECTION_TICKS, localReads: options.localReads,
        },
      },
      random.fork(),
    );
    const st = cluster.config.settings;
    config = `preVote ${st.preVote}, checkQuorum ${st.checkQuorum}, heartbeat ${st.heartbeatTicks} ticks, ` +
      `election ${st.electionTicks} ticks, ≤${st.maxEntriesPerMsg} entries/append, ≤${st.maxInflight} appends in flight`;
    cluster.trace.echo = echo;
    cluster.traceMessages = traceMessages;
    const c = cluster;
    const inj = (injector = new FaultInjector(c, profile, random.fork()));
    c.network.faults = profile.network;
    membership = options.membership ? new MembershipDriver(c, inj, random.fork(), options.nodes) : undefined;
    const ready = 1 - profile.deferReadyRate;

    for (; c.now < options.ticks; c.now++) {
      inj.tick();
      membership?.tick();
      c.workload.step(c.hosts, c.now);
      c.workload.background(c.hosts);
      runTick(c, random, {
        readyChance: ready, crashChance: profile.readyCrashRate, skewRate: profile.skewRate,
        malformedRate: profile.malformedRate, pickCrash: inj.pickCrashPoint,
      });
    }

    // Heal everything and demand progress within the bound.
    inj.heal();
    c.network.faults = RELIABLE;
    for (const h of c.hosts) if (!h.alive && !inj.retired.has(h.id)) c.restart(h);
    c.trace.add(c.now, 'all faults healed');
    for (const h of c.live()) {
      const st = h.node!.status();
      c.trace.add(c.now, `  ${h.id}: ${st.role} term ${st.term}, last ${st.lastIndex}, commit ${st.commit}, applied ${st.applied}, snapshot ${st.snapshotIndex}`);
    }
    const healedAt = c.now;
    const probe = new LivenessProbe(c, inj.retired);
    let committedAt = -1;
    for (; !probe.appliedEverywhere(); c.now++) {
      if (committedAt < 0 && probe.committed()) committedAt = c.now;
      if (committedAt < 0 && c.now - healedAt > LIVENESS_BOUND_TICKS) {
        throw new SimViolation('liveness', `no leader committed a new entry within ${LIVENESS_BOUND_TICKS} ticks of the heal (${probe.describe()})`);
      }
      if (committedAt >= 0 && c.now - committedAt > CATCH_UP_BOUND_TICKS) {
        throw new SimViolation('liveness', `members did not apply the committed probe within ${CATCH_UP_BOUND_TICKS} ticks (${probe.describe()})`);
      }
      probe.step();
      c.workload.step(c.hosts, c.now);
      runTick(c, random, CALM_TICK);
    }
    recoveryTicks = c.now - healedAt;
    c.trace.add(c.now, `recovered in ${recoveryTicks} ticks`);
    c.workload.stop();
    for (let end = c.now + DRAIN_TICKS; c.now < end && c.workload.busy(); c.now++) {
      runTick(c, random, CALM_TICK);
    }

    const lin = checkLinearizable(c.workload.ops);
    if (!lin.ok) {
      throw new SimViolation(
        'linearizability',
        `${lin.exhausted ? 'search budget exhausted on' : 'no linearization for'} key ${lin.key}:\n${describeHistory(lin.history!)}`,
      );
    }
  } catch (err) {
    if (!(err instanceof SimViolation)) throw err;
    violation = err;
    cluster?.trace.add(cluster.now, `VIOLATION ${err.message.split('\n')[0]}`);
  }
  const c = cluster;
  return {
    options,
    violation,
    trace: c?.trace.tail(80) ?? [],
    stats: {
      config,
      ticks: c?.now ?? 0,
      leadersElected: c?.checker.leadersElected ?? 0,
      committed: c?.checker.committedCount() ?? 0,
      crashes: c?.crashes ?? 0,
      partitions: injector?.partitions ?? 0,
      compactions: c?.compactions ?? 0,
      snapshotsSent: c?.snapshotsSent ?? 0,
      membershipChanges: membership?.changes ?? 0,
      messages: {
        sent: c?.network.sent ?? 0,
        dropped: c?.network.dropped ?? 0,
        duplicated: c?.network.duplicated ?? 0,
        delivered: c?.network.delivered ?? 0,
        malformed: c?.malformed ?? 0,
      },
      ops: {
        recorded: c?.workload.ops.length ?? 0,
        completed: c?.workload.completed ?? 0,
        failed: c?.workload.failed ?? 0,
        abandoned: c?.workload.abandoned ?? 0,
      },
      recoveryTicks,
    },
  };
}

/** How one tick disturbs the hosts (network faults live in the network itself). */
export interface TickFaults {
  /** Chance a delivered message's Ready cycle runs right away (else at the end of the tick). */
  readyChance: number;
  /** Chance a Ready cycle is cut short by a crash at `pickCrash()`. */
  crashChance: number;
  skewRate: number;
  /** Chance a delivered message is preceded by a corrupted copy of itself. */
  malformedRate: number;
  pickCrash: () => CrashPoint;
}

export const CALM_TICK: TickFaults = { readyChance: 1, crashChance: 0, skewRate: 0, malformedRate: 0, pickCrash: () => CrashPoint.None };

/** One tick of the world: deliver what is due, tick every clock, run pending Ready cycles. */
export function runTick(c: SimCluster, random: SeededRandom, f: TickFaults): void {
  c.deliverDue(f.readyChance, f.crashChance, f.pickCrash, f.malformedRate);
  for (const h of random.shuffle(c.live())) {
    if (random.chance(f.skewRate)) {
      if (random.chance(0.5)) continue; // this clock runs slow
      c.tick(h); // this one runs fast
    }
    c.tick(h);
  }
  c.processAllReady(f.crashChance, f.pickCrash);
}

/**
 * The liveness check: a leader proposes a marker entry, and every live member of its
 * configuration must apply it. A marker lost to a leader change is proposed again.
 */
class LivenessProbe {
  private proposed: { index: number; term: number } | undefined;
  private attempts = 0;

  constructor(
    private readonly c: SimCluster,
    private readonly retired: ReadonlySet<string>,
  ) {}

  step(): void {
    const leader = this.c.leader();
    if (!leader) return;
    const committedTerm = this.proposed && this.c.checker.committedTerm(this.proposed.index);
    const lost = this.proposed && committedTerm !== undefined && committedTerm !== this.proposed.term;
    const stale = this.proposed && leader.node!.term !== this.proposed.term;
    if (this.proposed && !lost && !stale) return;
    const at = leader.node!.propose([encodePut({ op: 'put', key: 'liveness', value: `probe${this.attempts++}` })]);
    if (at) this.proposed = at;
  }

  committed(): boolean {
    const p = this.proposed;
    return p !== undefined && this.c.checker.committedTerm(p.index) === p.term;
  }

  appliedEverywhere(): boolean {
    const p = this.proposed;
    if (!p || !this.committed()) return false;
    const leader = this.c.leader();
    if (!leader || leader.node!.role !== Role.Leader) return false;
    const conf = leader.node!.status().conf;
    for (const id of [...conf.voters, ...conf.learners]) {
      const h = this.c.hosts.find((x) => x.id === id);
      if (!h || this.retired.has(id)) continue;
      if (!h.alive || h.kv.applied < p.index) return false;
    }
    return true;
  }

  describe(): string {
    return `probe ${this.proposed ? `${this.proposed.index}:${this.proposed.term}` : 'not proposed'}; ${this.c.describeHosts()}`;
  }
}

export function formatFailure(r: SimResult): string {
  return [
    `seed ${r.options.seed} broke ${r.violation?.kind}: ${r.violation?.message}`,
    `replay: ${replayCommand(r.options)}`,
    `config: ${r.stats.config}`,
    'trace tail:',
    ...r.trace.slice(-40),
  ].join('\n');
}
