import { RaftNode, type RaftConfig } from '../../../../services/raft/node.ts';
import type { Entry, Message, NodeId, Ready, Snapshot } from '../../../../services/raft/types.ts';
import { KvStateMachine } from './kv-state-machine.ts';
import { SimDisk } from './sim-disk.ts';
import type { SeededRandom } from './seeded-random.ts';
import { SimViolation } from './violation.ts';

/** Where in the Ready cycle a simulated process dies (None: it does not). */
export enum CrashPoint {
  None = 'none',
  BeforePersist = 'before-persist',
  AfterSnapshot = 'after-snapshot',
  AfterPersist = 'after-persist',
  MidSend = 'mid-send',
  AfterSend = 'after-send',
  MidApply = 'mid-apply',
}

/** What the rest of the simulation learns from a host working through its Ready. */
export interface HostObserver {
  send(host: SimHost, msg: Message): void;
  persisted(host: SimHost, rd: Ready): void;
  restoredSnapshot(host: SimHost, snap: Snapshot): void;
  applied(host: SimHost, e: Entry): void;
  /** A ReadState this incarnation asked for is now servable (applied ≥ its index). */
  readServable(host: SimHost, context: Uint8Array): void;
}

/** Node settings shared by every incarnation (id, voters and random are filled per node). */
export type NodeSettings = Omit<RaftConfig, 'id' | 'voters' | 'random' | 'restore'>;

/**
 * One simulated server: a durable `SimDisk` plus a volatile process (the RaftNode, the KV state
 * machine, reads waiting to be served). It follows the Ready contract in order — persist, send,
 * restore/apply, advance — and can be killed at any point in between, after which only the
 * disk remains and `restart` rebuilds the process from it.
 */
export class SimHost {
  readonly disk = new SimDisk();
  node: RaftNode | null = null;
  kv = new KvStateMachine();
  /** Bumped on every start, so requests of a dead incarnation are recognisable. */
  incarnation = 0;
  /** ReadStates received but not yet servable (applied < index). */
  private waitingReads: { index: number; context: Uint8Array }[] = [];
  /** Feedback for the leader that must wait until after advance (never inside a Ready cycle). */
  private deferred: (() => void)[] = [];
  private inReady = false;

  constructor(
    readonly id: NodeId,
    private readonly initialVoters: NodeId[],
    private readonly settings: NodeSettings,
    private readonly random: SeededRandom,
    private readonly observer: HostObserver,
  ) {}

  get alive(): boolean {
    return this.node !== null;
  }

  /** Start (or restart) the process from whatever the disk holds. */
  start(): void {
    this.incarnation++;
    this.kv = KvStateMachine.fromSnapshot(this.disk.snapshot);
    this.waitingReads = [];
    this.deferred = [];
    const d = this.disk;
    const blank = d.hardState.term === 0 && !d.snapshot && d.entries.length === 0;
    this.node = new RaftNode({
      ...this.settings,
      id: this.id,
      voters: this.initialVoters,
      random: this.random.fork(),
      restore: blank
        ? undefined
        : { hardState: { ...d.hardState }, snapshot: d.snapshot, entries: d.entriesAfterSnapshot(), applied: this.kv.applied },
    });
  }

  crash(): void {
    this.node = null;
    this.waitingReads = [];
    this.deferred = [];
  }

  /** Run one Ready cycle if there is one; returns false if the process died during it. */
  processReady(crashAt: CrashPoint, random: SeededRandom): boolean {
    const node = this.node;
    if (!node || !node.hasReady()) return true;
    this.inReady = true;
    try {
      return this.runReady(node, node.ready(), crashAt, random);
    } finally {
      this.inReady = false;
    }
  }

  private runReady(node: RaftNode, rd: Ready, crashAt: CrashPoint, random: SeededRandom): boolean {
    if (crashAt === CrashPoint.BeforePersist) return this.die();

    if (rd.snapshot) this.disk.installSnapshot(rd.snapshot);
    if (rd.snapshot && crashAt === CrashPoint.AfterSnapshot) return this.die();
    this.disk.append(rd.entries);
    if (rd.hardState) this.disk.setHardState(rd.hardState);
    this.observer.persisted(this, rd);
    if (crashAt === CrashPoint.AfterPersist) return this.die();

    const sendCount = crashAt === CrashPoint.MidSend ? random.int(rd.messages.length + 1) : rd.messages.length;
    for (let i = 0; i < sendCount; i++) this.observer.send(this, rd.messages[i]);
    if (crashAt === CrashPoint.MidSend || crashAt === CrashPoint.AfterSend) return this.die();

    if (rd.snapshot) {
      this.kv = KvStateMachine.fromSnapshot(rd.snapshot);
      this.observer.restoredSnapshot(this, rd.snapshot);
    }
    const applyCount = crashAt === CrashPoint.MidApply ? random.int(rd.committed.length + 1) : rd.committed.length;
    for (let i = 0; i < applyCount; i++) {
      this.kv.apply(rd.committed[i]);
      this.observer.applied(this, rd.committed[i]);
    }
    if (crashAt === CrashPoint.MidApply) return this.die();

    for (const rs of rd.readStates) this.waitingReads.push({ index: rs.index, context: rs.context });
    this.serveReads();
    node.advance(rd);
    this.checkSettled(node);
    this.runDeferred();
    return true;
  }

  /** Leader feedback the transport gives (snapshot outcome, unreachable peer); never mid-Ready. */
  defer(action: (node: RaftNode) => void): void {
    const node = this.node;
    if (!node) return;
    if (this.inReady) this.deferred.push(() => action(node));
    else action(node);
  }

  private runDeferred(): void {
    const actions = this.deferred;
    this.deferred = [];
    for (const a of actions) if (this.node) a();
    this.inReady = false;
  }

  private serveReads(): void {
    const still: typeof this.waitingReads = [];
    for (const r of this.waitingReads) {
      if (r.index <= this.kv.applied) this.observer.readServable(this, r.context);
      else still.push(r);
    }
    this.waitingReads = still;
  }

  /**
   * Once a node has nothing more to hand out, everything it acts on must be on disk: its log
   * end and hard state equal the persisted ones, and it applied exactly what the host applied.
   */
  private checkSettled(node: RaftNode): void {
    const st = node.status();
    if (st.applied !== this.kv.applied) {
      throw new SimViolation('host-contract', `${this.id}: node applied ${st.applied} but host applied ${this.kv.applied}`);
    }
    if (node.hasReady()) return;
    const hs = this.disk.hardState;
    // A snapshot implies its index is committed: a crash between persisting a snapshot and the
    // hard state leaves a lower commit on disk, which a restart lifts to the snapshot index.
    const commit = Math.max(hs.commit, this.disk.snapshot?.meta.index ?? 0);
    if (st.lastIndex !== this.disk.lastIndex() || st.term !== hs.term || st.vote !== hs.vote || st.commit !== commit) {
      throw new SimViolation(
        'host-contract',
        `${this.id}: settled node (last ${st.lastIndex}, term ${st.term}, vote '${st.vote}', commit ${st.commit}) ` +
          `differs from disk (last ${this.disk.lastIndex()}, term ${hs.term}, vote '${hs.vote}', commit ${commit})`,
      );
    }
  }

  /** Host-initiated log compaction at the applied index, keeping `keep` entries behind it. */
  compact(keep: number): Snapshot | undefined {
    const node = this.node;
    if (!node) return undefined;
    const applied = this.kv.applied;
    if (applied <= (this.disk.snapshot?.meta.index ?? 0)) return undefined;
    const snap = node.compact(applied, this.kv.snapshotData(), keep);
    if (snap.meta.index !== applied) {
      throw new SimViolation('host-contract', `${this.id}: compact(${applied}) returned snapshot at ${snap.meta.index}`);
    }
    this.disk.compact(snap, applied - keep);
    return snap;
  }

  private die(): false {
    this.crash();
    return false;
  }
}
