import type { NodeId } from '../../../../services/raft/types.ts';
import { Role } from '../../../../services/raft/types.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimCluster } from './sim-cluster.ts';
import { CrashPoint } from './sim-host.ts';
import type { FaultProfile } from './sim-options.ts';

const CRASH_POINTS: readonly CrashPoint[] = [
  CrashPoint.BeforePersist, CrashPoint.AfterSnapshot, CrashPoint.AfterPersist,
  CrashPoint.MidSend, CrashPoint.AfterSend, CrashPoint.MidApply,
];

const COMPACT_KEEP: readonly number[] = [0, 0, 1, 3, 10];

/**
 * Draws the faults of one tick from a profile: partitions (symmetric splits, one-way cuts),
 * heals, crashes and restarts, log compactions, leadership transfers and forced elections.
 * Hosts in `retired` (removed from the cluster) are never restarted.
 */
export class FaultInjector {
  partitioned = false;
  partitions = 0;
  readonly retired = new Set<NodeId>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly profile: FaultProfile,
    private readonly random: SeededRandom,
  ) {}

  pickCrashPoint = (): CrashPoint => this.random.pick(CRASH_POINTS);

  tick(): void {
    const p = this.profile;
    const c = this.cluster;
    const r = this.random;
    if (this.partitioned && r.chance(p.healRate)) this.heal();
    else if (!this.partitioned && r.chance(p.partitionRate)) this.partition();

    const members = c.hosts.filter((h) => !this.retired.has(h.id));
    const down = members.filter((h) => !h.alive);
    const maxDown = p.maxDown === 'majority' ? Math.floor(members.length / 2) + 1 : Math.floor((members.length - 1) / 2);
    if (down.length < maxDown && r.chance(p.crashRate)) {
      const live = members.filter((h) => h.alive);
      if (live.length > 0) c.crash(r.pick(live));
    }
    const leader = c.leader();
    if (leader && down.length < maxDown && r.chance(p.leaderCrashRate)) c.crash(leader);
    for (const h of down) if (r.chance(p.restartRate)) c.restart(h);

    if (r.chance(p.compactRate)) {
      const live = c.live();
      if (live.length > 0) c.compact(r.pick(live), r.pick(COMPACT_KEEP));
    }
    if (r.chance(p.transferRate)) {
      const leader = c.leader();
      const voters = leader?.node!.status().conf.voters.filter((v) => v !== leader.id) ?? [];
      if (leader && voters.length > 0) {
        const to = r.pick(voters);
        c.trace.add(c.now, `${leader.id} transfers leadership to ${to}`);
        leader.node!.transferLeadership(to);
      }
    }
    if (r.chance(p.campaignRate)) {
      const candidates = c.live().filter((h) => h.node!.role !== Role.Leader);
      if (candidates.length > 0) {
        const h = r.pick(candidates);
        c.trace.add(c.now, `${h.id} campaigns (forced)`);
        h.node!.campaign();
      }
    }
  }

  /** One of: isolate a node, split in two, or cut links one way only. */
  private partition(): void {
    const c = this.cluster;
    const ids = c.ids().filter((id) => !this.retired.has(id));
    const net = c.network;
    const kind = this.random.int(4);
    let text: string;
    if (kind === 0) {
      const a = this.random.pick(ids);
      net.isolate([a], ids);
      text = `isolate ${a}`;
    } else if (kind === 1) {
      const shuffled = this.random.shuffle([...ids]);
      const side = shuffled.slice(0, 1 + this.random.int(Math.floor(ids.length / 2)));
      net.isolate(side, ids);
      text = `split {${side.join(',')}} | rest`;
    } else if (kind === 2) {
      // A node that can hear but not be heard (or the reverse): the classic asymmetric case.
      const a = this.random.pick(ids);
      const outbound = this.random.chance(0.5);
      for (const b of ids) if (b !== a) (outbound ? net.cutLink(a, b) : net.cutLink(b, a));
      text = `${a} ${outbound ? 'cannot send' : 'cannot receive'}`;
    } else {
      const cuts: string[] = [];
      for (let i = 0; i < 1 + this.random.int(ids.length); i++) {
        const a = this.random.pick(ids);
        const b = this.random.pick(ids);
        if (a === b) continue;
        net.cutLink(a, b);
        cuts.push(`${a}>${b}`);
      }
      text = `cut ${cuts.join(' ') || 'nothing'}`;
    }
    this.partitioned = true;
    this.partitions++;
    c.trace.add(c.now, `partition: ${text}`);
  }

  heal(): void {
    this.cluster.network.healAll();
    if (this.partitioned) this.cluster.trace.add(this.cluster.now, 'partition healed');
    this.partitioned = false;
  }
}
