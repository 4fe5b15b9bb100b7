import { ConfChangeType, type ConfChange, type NodeId } from '../../../../services/raft/types.ts';
import type { FaultInjector } from './fault-injector.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimCluster } from './sim-cluster.ts';

/** Chance per tick that the driver tries a membership change. */
const CHANGE_RATE = 0.02;
/** Ticks a removed node keeps running (and possibly disrupting) before it is shut down for good. */
const RETIRE_AFTER = 40;

interface Removal {
  node: NodeId;
  index: number;
  term: number;
  committedAt?: number;
}

/**
 * One-at-a-time membership changes through `proposeConfChange`: remove a voter when the cluster
 * is at full size, otherwise add a brand-new node (as a voter, or as a learner promoted later).
 * New nodes get fresh ids and blank disks — reusing an id with a wiped disk could let it vote
 * twice in one term. A removed node is shut down for good once its removal commits.
 */
export class MembershipDriver {
  changes = 0;
  private nextId: number;
  private readonly removals: Removal[] = [];

  constructor(
    private readonly cluster: SimCluster,
    private readonly injector: FaultInjector,
    private readonly random: SeededRandom,
    private readonly fullSize: number,
  ) {
    this.nextId = cluster.hosts.length + 1;
  }

  tick(): void {
    this.retireRemoved();
    if (!this.random.chance(CHANGE_RATE)) return;
    const leader = this.cluster.leader();
    if (!leader) return;
    const conf = leader.node!.status().conf;
    let cc: ConfChange;
    let fresh = false;
    if (conf.learners.length > 0) {
      cc = { type: ConfChangeType.AddVoter, node: this.random.pick(conf.learners) };
    } else if (conf.voters.length >= this.fullSize) {
      cc = { type: ConfChangeType.RemoveNode, node: this.random.pick(conf.voters) };
    } else {
      cc = { type: this.random.chance(0.5) ? ConfChangeType.AddVoter : ConfChangeType.AddLearner, node: `n${this.nextId}` };
      fresh = true;
    }
    const at = leader.node!.proposeConfChange(cc);
    if (!at) return;
    this.changes++;
    this.cluster.trace.add(this.cluster.now, `${leader.id} proposes ${ConfChangeType[cc.type]} ${cc.node} at ${at.index}`);
    if (fresh) {
      this.nextId++;
      this.cluster.addHost(cc.node).start();
    }
    if (cc.type === ConfChangeType.RemoveNode) this.removals.push({ node: cc.node, index: at.index, term: at.term });
  }

  private retireRemoved(): void {
    const c = this.cluster;
    for (const r of this.removals) {
      if (this.injector.retired.has(r.node)) continue;
      if (r.committedAt === undefined) {
        if (c.checker.committedTerm(r.index) === r.term) r.committedAt = c.now;
        continue;
      }
      if (c.now - r.committedAt < RETIRE_AFTER) continue;
      this.injector.retired.add(r.node);
      const h = c.host(r.node);
      if (h.alive) c.crash(h);
      c.trace.add(c.now, `${r.node} retired`);
    }
  }
}
