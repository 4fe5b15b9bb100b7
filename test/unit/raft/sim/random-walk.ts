import { Role } from '../../../../services/raft/types.ts';
import { checkLinearizable, describeHistory } from './linearizability.ts';
import type { SimResult } from './run-simulation.ts';
import { ScriptedCluster } from './scripted-cluster.ts';
import { SeededRandom } from './seeded-random.ts';
import type { SimOptions } from './sim-options.ts';
import { SimViolation } from './violation.ts';

type WalkAction = 'campaign' | 'deliver' | 'drop' | 'crash' | 'restart' | 'propose' | 'compact' | 'client';

/**
 * Relative odds of each action per step. Tuned by measurement: rare crashes and frequent
 * proposals leave the most divergent log tails (2–3% of 3-node walks reach Figure 8 when the
 * commit-rule bug is planted, against ~0.5% with crash-heavy weights).
 */
export const WALK_WEIGHTS: Record<WalkAction, number> = {
  campaign: 8, deliver: 52, drop: 4, crash: 2, restart: 5, propose: 12, compact: 2, client: 5,
};

function pickAction(random: SeededRandom): WalkAction {
  const entries = Object.entries(WALK_WEIGHTS) as [WalkAction, number][];
  let x = random.float() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [action, w] of entries) {
    if (x < w) return action;
    x -= w;
  }
  return 'deliver';
}

/** Ticks allowed, once the walk ends and timers run again, for every node to converge. */
const CONVERGE_TICKS = 500;

/**
 * The 'walk' fault mode: no clocks at all. Each step picks one action at random — a node
 * campaigns, one in-flight message (any one: arbitrary reordering) is delivered or lost, a node
 * crashes or restarts, a leader takes a proposal, a client starts an operation. Short logs and
 * arbitrary schedules make this the quickest way to reach corner cases like the paper's Figure 8,
 * which timed runs almost never line up. Afterwards timers run and the cluster must converge.
 */
export function runRandomWalk(options: SimOptions, echo?: (line: string) => void, traceMessages = false): SimResult {
  const random = new SeededRandom(options.seed);
  const ids = Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`);
  const s = new ScriptedCluster(ids, options.bug ? { [options.bug]: true } : {}, options.seed, {
    preVote: random.chance(0.5),
    workload: { clients: 2, keys: 2, maxOps: 40, rate: 0.05, backgroundRate: 0, putRatio: 0.5, timeoutTicks: 60, localReads: options.localReads },
  });
  const c = s.c;
  c.trace.echo = echo;
  c.traceMessages = traceMessages;
  let violation: SimViolation | undefined;
  let proposals = 0;
  try {
    for (let step = 0; step < options.ticks; step++) {
      c.now = step;
      const live = c.live();
      const inFlight = c.network.inFlight();
      switch (pickAction(random)) {
        case 'campaign': {
          const cands = live.filter((h) => h.node!.role !== Role.Leader);
          if (cands.length > 0) s.campaign(random.pick(cands).id);
          break;
        }
        case 'deliver':
          if (inFlight.length > 0) {
            const m = random.pick(inFlight);
            s.deliverOne((x) => x === m);
          }
          break;
        case 'drop':
          if (inFlight.length > 0) {
            const m = random.pick(inFlight);
            c.network.extract((x) => x === m);
          }
          break;
        case 'crash':
          if (live.length > 1) c.crash(random.pick(live));
          break;
        case 'restart': {
          const dead = c.hosts.filter((h) => !h.alive);
          if (dead.length > 0) c.restart(random.pick(dead));
          break;
        }
        case 'propose': {
          const leaders = live.filter((h) => h.node!.role === Role.Leader);
          if (leaders.length > 0) {
            const l = random.pick(leaders);
            l.node!.propose([new TextEncoder().encode(`walk${proposals++}`)]);
            c.processReady(l);
          }
          break;
        }
        case 'compact':
          if (live.length > 0) c.compact(random.pick(live), random.pick([0, 1]));
          break;
        case 'client':
          c.workload.step(c.hosts, step);
          for (const h of c.live()) c.processReady(h);
          break;
      }
    }
    c.trace.add(c.now, 'walk over: restart everything, let timers run');
    for (const h of c.hosts) if (!h.alive) c.restart(h);
    c.workload.stop();
    const converged = s.runUntil(() => {
      const leader = c.leader();
      if (!leader) return false;
      const commit = leader.node!.status().commit;
      return leader.node!.term === leader.disk.term(commit) && c.hosts.every((h) => h.kv.applied === commit);
    }, CONVERGE_TICKS);
    if (!converged) throw new SimViolation('liveness', `no convergence within ${CONVERGE_TICKS} ticks after the walk: ${c.describeHosts()}`);
    const lin = checkLinearizable(c.workload.ops);
    if (!lin.ok) throw new SimViolation('linearizability', `key ${lin.key}:\n${describeHistory(lin.history!)}`);
  } catch (err) {
    if (!(err instanceof SimViolation)) throw err;
    violation = err;
    c.trace.add(c.now, `VIOLATION ${err.message.split('\n')[0]}`);
  }
  return {
    options,
    violation,
    trace: c.trace.tail(80),
    stats: {
      config: `clockless walk, preVote ${c.config.settings.preVote}, checkQuorum false, 1 entry/append`,
      ticks: c.now,
      leadersElected: c.checker.leadersElected,
      committed: c.checker.committedCount(),
      crashes: c.crashes,
      partitions: 0,
      compactions: 0,
      snapshotsSent: c.snapshotsSent,
      membershipChanges: 0,
      messages: { sent: c.network.sent, dropped: c.network.dropped, duplicated: 0, delivered: c.network.delivered, malformed: 0 },
      ops: { recorded: c.workload.ops.length, completed: c.workload.completed, failed: c.workload.failed, abandoned: c.workload.abandoned },
      recoveryTicks: c.now - options.ticks,
    },
  };
}
