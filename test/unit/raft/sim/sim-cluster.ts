import { Role, MessageType, type Entry, type Message, type NodeId, type Ready, type Snapshot } from '../../../../services/raft/types.ts';
import { ClientWorkload } from './client-workload.ts';
import { SafetyChecker } from './safety-checker.ts';
import type { SeededRandom } from './seeded-random.ts';
import { CrashPoint, SimHost, type HostObserver, type NodeSettings } from './sim-host.ts';
import { SimNetwork } from './sim-network.ts';
import { corruptMessage } from './malformed-messages.ts';
import { formatMessage } from './message-format.ts';
import { SimTrace } from './sim-trace.ts';
import { SimViolation } from './violation.ts';
import type { WorkloadLimits } from './client-workload.ts';

export interface ClusterConfig {
  ids: NodeId[];
  settings: NodeSettings;
  workload: WorkloadLimits;
}

/**
 * The simulated world: hosts, the network between them, the clients, and the checkers that
 * watch everything. Each public method is one scheduler step and ends with the per-step
 * invariant checks; randomized and scripted runs drive the same methods.
 */
export class SimCluster implements HostObserver {
  readonly hosts: SimHost[] = [];
  readonly network: SimNetwork;
  readonly checker = new SafetyChecker();
  readonly workload: ClientWorkload;
  readonly trace = new SimTrace();
  /** The voters the cluster was created with (a joining node needs them to replay the log). */
  readonly initialVoters: NodeId[];
  now = 0;
  crashes = 0;
  snapshotsSent = 0;
  compactions = 0;
  malformed = 0;
  /** Trace every delivered message (replay --messages); too many for normal runs. */
  traceMessages = false;
  /** "role@term" last traced per host, to trace elections once. */
  private readonly lastRole = new Map<NodeId, string>();

  constructor(
    readonly config: ClusterConfig,
    private readonly random: SeededRandom,
  ) {
    this.network = new SimNetwork(random.fork());
    this.workload = new ClientWorkload(config.workload, random.fork());
    this.initialVoters = [...config.ids];
    for (const id of config.ids) this.addHost(id).start();
    this.checkStep();
  }

  /**
   * A node joining later must still be configured with the cluster's initial voters: the
   * initial configuration is not in the log, so a node replaying the log from index 1 builds
   * its configuration on top of `voters` (from an empty list the joiner could believe it is
   * the only voter and elect itself; the core refuses an empty list).
   */
  addHost(id: NodeId): SimHost {
    const h = new SimHost(id, this.initialVoters, this.config.settings, this.random.fork(), this);
    this.hosts.push(h);
    return h;
  }

  host(id: NodeId): SimHost {
    const h = this.hosts.find((x) => x.id === id);
    if (!h) throw new Error(`no host ${id}`);
    return h;
  }

  ids(): NodeId[] {
    return this.hosts.map((h) => h.id);
  }

  live(): SimHost[] {
    return this.hosts.filter((h) => h.alive);
  }

  leaders(): SimHost[] {
    return this.hosts.filter((h) => h.node?.role === Role.Leader);
  }

  /** The live leader with the highest term, if any. */
  leader(): SimHost | undefined {
    let best: SimHost | undefined;
    for (const h of this.leaders()) if (!best || h.node!.term > best.node!.term) best = h;
    return best;
  }

  // ---- HostObserver ---------------------------------------------------------------------------

  send(host: SimHost, msg: Message): void {
    const onWay = this.network.send(msg, this.now);
    if (msg.type === MessageType.Snapshot) {
      this.snapshotsSent++;
      this.trace.add(this.now, `${host.id} sends snapshot@${msg.snapshot!.meta.index} to ${msg.to}${onWay ? '' : ' (lost)'}`);
      if (!onWay) host.defer((n) => n.reportSnapshot(msg.to, false));
    } else if (!onWay && this.network.isCut(msg.from, msg.to)) {
      host.defer((n) => n.reportUnreachable(msg.to));
    }
  }

  persisted(host: SimHost, rd: Ready): void {
    this.checker.persisted(host, rd, this.hosts);
  }

  restoredSnapshot(host: SimHost, snap: Snapshot): void {
    this.trace.add(this.now, `${host.id} restores snapshot@${snap.meta.index}`);
    this.checker.restoredSnapshot(host, snap);
  }

  applied(host: SimHost, e: Entry): void {
    this.checker.applied(host, e);
    this.workload.applied(host, e);
  }

  readServable(host: SimHost, context: Uint8Array): void {
    this.workload.readServable(host, context);
  }

  // ---- steps ----------------------------------------------------------------------------------

  /** Run `fn` against a live node, turning a throw from the core into a violation. */
  private guard<T>(h: SimHost, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SimViolation) throw err;
      throw new SimViolation('exception', `${h.id} threw in ${what}: ${(err as Error).stack ?? err}`);
    }
  }

  /** Deliver one message (if its target is alive) and optionally run its Ready cycle. */
  deliver(msg: Message, processReady: boolean, crashAt = CrashPoint.None): void {
    const h = this.hosts.find((x) => x.id === msg.to);
    if (!h || !h.node) return;
    const node = h.node;
    if (this.traceMessages) this.trace.add(this.now, `deliver ${formatMessage(msg)}`);
    this.guard(h, `step(${MessageType[msg.type]})`, () => node.step(msg));
    if (msg.type === MessageType.Snapshot) {
      const sender = this.hosts.find((x) => x.id === msg.from);
      sender?.defer((n) => n.reportSnapshot(msg.to, true));
    }
    if (processReady) this.processReady(h, crashAt);
    else this.checkStep();
  }

  processReady(h: SimHost, crashAt = CrashPoint.None): void {
    if (!h.node) return;
    const survived = this.guard(h, 'Ready cycle', () => h.processReady(crashAt, this.random));
    if (!survived) this.noteCrash(h, `crashes during Ready (${crashAt})`);
    this.checkStep();
  }

  tick(h: SimHost): void {
    const node = h.node;
    if (!node) return;
    this.guard(h, 'tick', () => node.tick());
    this.checkStep();
  }

  crash(h: SimHost): void {
    if (!h.node) return;
    h.crash();
    this.noteCrash(h, 'crashes');
    this.checkStep();
  }

  private noteCrash(h: SimHost, why: string): void {
    this.crashes++;
    this.workload.crashed(h);
    this.trace.add(this.now, `${h.id} ${why}`);
  }

  restart(h: SimHost): void {
    if (h.node) return;
    this.guard(h, 'restart', () => h.start());
    this.checker.restarted(h);
    this.trace.add(this.now, `${h.id} restarts (term ${h.disk.hardState.term}, last ${h.disk.lastIndex()}, commit ${h.disk.hardState.commit})`);
    this.checkStep();
  }

  compact(h: SimHost, keep: number): void {
    if (!h.node) return;
    const snap = this.guard(h, 'compact', () => h.compact(keep));
    if (snap) {
      this.compactions++;
      this.trace.add(this.now, `${h.id} compacts at ${snap.meta.index} keeping ${keep}`);
    }
    this.checkStep();
  }

  /**
   * Deliver a corrupted copy of `msg`: the node must drop and count it, never throw or act on
   * it (the Ready check after it would see any effect).
   */
  deliverMalformed(msg: Message): void {
    const h = this.hosts.find((x) => x.id === msg.to);
    const node = h?.node;
    if (!h || !node) return;
    const bad = corruptMessage(msg, this.random);
    const before = Object.values(node.dropped).reduce((a, b) => a + b, 0);
    this.guard(h, 'step(malformed)', () => node.step(bad));
    const after = Object.values(node.dropped).reduce((a, b) => a + b, 0);
    if (after !== before + 1) {
      throw new SimViolation('host-contract', `${h.id} did not drop a malformed message: ${JSON.stringify({ ...bad, entries: bad.entries?.length })}`);
    }
    this.malformed++;
    this.checkStep();
  }

  /** Deliver everything due now, each followed (usually) by its Ready cycle. */
  deliverDue(readyChance: number, crashChance: number, pickCrash: () => CrashPoint, malformedChance = 0): void {
    for (const msg of this.network.takeDue(this.now)) {
      if (this.random.chance(malformedChance)) this.deliverMalformed(msg);
      const crashAt = this.random.chance(crashChance) ? pickCrash() : CrashPoint.None;
      this.deliver(msg, this.random.chance(readyChance), crashAt);
    }
  }

  /** Run every live node's pending Ready cycle, in random order. */
  processAllReady(crashChance: number, pickCrash: () => CrashPoint): void {
    for (const h of this.random.shuffle(this.live())) {
      const crashAt = this.random.chance(crashChance) ? pickCrash() : CrashPoint.None;
      this.processReady(h, crashAt);
    }
  }

  /** One line per host: role, term, log end, commit, applied (for violation reports). */
  describeHosts(): string {
    return this.hosts
      .map((h) => {
        if (!h.node) return `${h.id} down`;
        const st = h.node.status();
        return `${h.id} ${st.role} t${st.term} last ${st.lastIndex} commit ${st.commit} applied ${st.applied} snap ${st.snapshotIndex}`;
      })
      .join('; ');
  }

  checkStep(): void {
    this.checker.afterStep(this.hosts);
    for (const h of this.hosts) {
      const node = h.node;
      if (!node) continue;
      const seen = `${node.role}@${node.term}`;
      if (this.lastRole.get(h.id) === seen) continue;
      this.lastRole.set(h.id, seen);
      if (node.role === Role.Leader || node.role === Role.Candidate) {
        this.trace.add(this.now, `${h.id} is ${node.role} in term ${node.term} (last ${node.status().lastIndex})`);
      }
    }
  }
}
