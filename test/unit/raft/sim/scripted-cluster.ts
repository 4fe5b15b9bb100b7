import { MessageType, Role, type Message, type NodeId } from '../../../../services/raft/types.ts';
import type { RaftDebugSwitches } from '../../../../services/raft/node.ts';
import { encodePut } from './kv-state-machine.ts';
import { SeededRandom } from './seeded-random.ts';
import { CALM_TICK, runTick } from './run-simulation.ts';
import { SimCluster } from './sim-cluster.ts';
import type { SimHost } from './sim-host.ts';
import { RELIABLE } from './sim-network.ts';
import type { WorkloadLimits } from './client-workload.ts';

/**
 * A `SimCluster` driven by hand: no timers fire and nothing is delivered unless the script says
 * so, which lets a test reproduce an exact message schedule (e.g. the paper's Figure 8). The
 * same invariant checkers run after every step as in the randomized runs.
 */
export class ScriptedCluster {
  readonly c: SimCluster;
  private readonly random: SeededRandom;

  constructor(ids: NodeId[], debug: RaftDebugSwitches, seed = 1, opts: { preVote?: boolean; workload?: WorkloadLimits } = {}) {
    this.c = new SimCluster(
      {
        ids,
        // No CheckQuorum: its leader lease needs ticks, and elections happen only when the
        // script calls `campaign`. One entry per Append lets a script deliver a log entry by entry.
        settings: { electionTicks: 10, heartbeatTicks: 1, preVote: opts.preVote ?? false, checkQuorum: false, maxEntriesPerMsg: 1, debug },
        workload: opts.workload ?? { clients: 0, keys: 1, maxOps: 0, rate: 0, backgroundRate: 0, putRatio: 0, timeoutTicks: 1 },
      },
      new SeededRandom(seed),
    );
    this.random = new SeededRandom(seed + 1);
    this.c.network.faults = { ...RELIABLE, maxDelay: 0 };
  }

  host(id: NodeId): SimHost {
    return this.c.host(id);
  }

  /** Run a node's pending Ready cycle (persist, send, apply). */
  settle(id: NodeId): void {
    this.c.processReady(this.host(id));
  }

  campaign(id: NodeId): void {
    this.host(id).node!.campaign();
    this.settle(id);
  }

  propose(id: NodeId, value: string): void {
    const at = this.host(id).node!.propose([encodePut({ op: 'put', key: 'x', value })]);
    if (!at) throw new Error(`script: ${id} refused a proposal`);
    this.settle(id);
  }

  /**
   * Deliver in-flight messages matching `pred` (each followed by its Ready cycle) until none
   * is left; replies matching `pred` are delivered too. Returns how many were delivered.
   */
  deliver(pred: (m: Message) => boolean, maxRounds = 50): number {
    let n = 0;
    for (let round = 0; round < maxRounds; round++) {
      const batch = this.c.network.extract(pred);
      if (batch.length === 0) return n;
      for (const m of batch) this.c.deliver(m, true);
      n += batch.length;
    }
    throw new Error('script: messages kept flowing');
  }

  /** Deliver the first in-flight message matching `pred`; false if there is none. */
  deliverOne(pred: (m: Message) => boolean): boolean {
    const first = this.c.network.inFlight(pred)[0];
    if (!first) return false;
    this.c.network.extract((m) => m === first);
    this.c.deliver(first, true);
    return true;
  }

  /**
   * Let the cluster run on its own (timers, reliable delivery) until `done` or `ticks` pass;
   * returns whether `done` was reached.
   */
  runUntil(done: () => boolean, ticks: number): boolean {
    const end = this.c.now + ticks;
    for (; this.c.now < end; this.c.now++) {
      if (done()) return true;
      runTick(this.c, this.random, CALM_TICK);
    }
    return done();
  }

  /** Deliver everything exchanged within `group` (optionally only some message types). */
  exchange(group: NodeId[], types?: MessageType[]): number {
    return this.deliver((m) => group.includes(m.from) && group.includes(m.to) && (!types || types.includes(m.type)));
  }

  /** Lose every message in flight. */
  dropAll(): void {
    this.c.network.extract(() => true);
  }

  crash(id: NodeId): void {
    this.c.crash(this.host(id));
  }

  restart(id: NodeId): void {
    this.c.restart(this.host(id));
  }

  expectLeader(id: NodeId, term: number): void {
    const node = this.host(id).node;
    if (node?.role !== Role.Leader || node.term !== term) {
      throw new Error(`script: expected ${id} to lead term ${term}, it is ${node ? `${node.role} in term ${node.term}` : 'down'}`);
    }
  }

  lastIndex(id: NodeId): number {
    return this.host(id).disk.lastIndex();
  }
}

export const VOTES = [MessageType.Vote, MessageType.VoteResponse];
