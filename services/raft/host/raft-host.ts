// The event loop that owns all I/O for one RaftNode: it feeds the pure core ticks, peer
// messages and client proposals, and runs the Ready cycle — persist (one synced batch), send,
// apply, advance — one cycle at a time. Everything that arrives while a cycle waits on the
// disk is batched into the next one, so under load each fsync carries many proposals.
import type { Logger } from 'pino';
import { RaftNode, type RaftConfig, type RaftRestore, type RaftStatus } from '../node.ts';
import { EntryType, MessageType, Role, type ConfChange, type Entry, type Message, type NodeId, type Ready } from '../types.ts';
import type { RaftLogStore } from '../storage/log-store.ts';
import { ProposalTracker } from './proposal-tracker.ts';
import { RaftHostError } from './raft-host-error.ts';
import { ReadTracker } from './read-tracker.ts';
import { SnapshotSchedule } from './snapshot-schedule.ts';
import type { StateMachine } from './state-machine.ts';

export interface MessageSender {
  /** Must not block or throw; undeliverable messages are dropped. */
  send(messages: Message[]): void;
}

export interface RaftHostConfig<R> {
  id: NodeId;
  /** Voters of a brand-new cluster (ignored once the store holds a snapshot). */
  voters: NodeId[];
  store: RaftLogStore;
  stateMachine: StateMachine<R>;
  transport: MessageSender;
  log: Logger;
  /** Milliseconds per logical tick. */
  tickMs?: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  /**
   * Snapshot and compact the log after at least this many applied entries (0 = never), once
   * they also outweigh the last snapshot in bytes (see SnapshotSchedule).
   */
  snapshotEvery?: number;
  /** Entries kept behind a snapshot so slightly lagging followers need no snapshot transfer. */
  snapshotKeepEntries?: number;
  proposalTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Election-timeout randomness; defaults to Math.random (real processes need no replay). */
  random?: RaftConfig['random'];
  /** Called once if the host stops on its own because storage failed. */
  onFatal?: (err: Error) => void;
  /** Watches the loop for metrics; never changes what the host does. */
  observer?: RaftHostObserver;
}

/** Hooks a host calls as things happen (metrics); they must not throw or block. */
export interface RaftHostObserver {
  /** The leader this node knows changed (to another node or to none). */
  leaderChanged(leader: NodeId, term: number): void;
  /** A proposal made through propose() resolved (applied) or was rejected, after `seconds`. */
  proposalFinished(seconds: number, applied: boolean): void;
}

export const RAFT_HOST_DEFAULTS = {
  tickMs: 100,
  electionTicks: 10,
  heartbeatTicks: 1,
  snapshotEvery: 10_000,
  snapshotKeepEntries: 1_000,
  proposalTimeoutMs: 10_000,
  readTimeoutMs: 5_000,
} as const;

/** Counters since start, for logs and benchmarks: what each Ready cycle carried and cost. */
export interface RaftHostCounters {
  readyCycles: number;
  savedEntries: number;
  appliedEntries: number;
  sentMessages: number;
  /** Total wall time spent awaiting the store's synced batch writes. */
  saveMs: number;
}

export interface RaftHostStatus extends RaftStatus {
  pendingProposals: number;
  droppedMessages: RaftNode['dropped'];
  counters: RaftHostCounters;
}

interface QueuedProposal<R> {
  data: Uint8Array;
  resolve(r: R): void;
  reject(e: Error): void;
}

/** Leader messages that acknowledge nothing about its own disk, hence may precede its write. */
const LEADER_EARLY_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.Append, MessageType.Heartbeat, MessageType.Snapshot, MessageType.TimeoutNow,
  MessageType.ReadIndexResponse,
]);

const mathRandom = { int: (n: number) => Math.floor(Math.random() * n) };

export class RaftHost<R> {
  private readonly node: RaftNode;
  private readonly cfg: Required<Omit<RaftHostConfig<R>, 'random' | 'onFatal' | 'observer'>> & Pick<RaftHostConfig<R>, 'onFatal' | 'observer'>;
  private queued: QueuedProposal<R>[] = [];
  private readonly proposals = new ProposalTracker<R>();
  private readonly reads = new ReadTracker();
  private ticker: NodeJS.Timeout | null = null;
  private turnScheduled = false;
  private loop: Promise<void> | null = null;
  private appliedIndex: number;
  /** The leader last reported to the observer ('' = none). */
  private observedLeader: NodeId = '';
  private readonly snapshots: SnapshotSchedule;
  /** Last log index handed to the store (set before the write completes). */
  private lastWrittenIndex: number;
  private persistedTerm: number;
  private persistedVote: NodeId;
  private stopped = false;
  private readonly counters: RaftHostCounters = { readyCycles: 0, savedEntries: 0, appliedEntries: 0, sentMessages: 0, saveMs: 0 };

  private constructor(cfg: RaftHostConfig<R>, restore: RaftRestore | undefined) {
    this.cfg = { ...RAFT_HOST_DEFAULTS, ...cfg };
    this.node = new RaftNode({
      id: cfg.id,
      voters: cfg.voters,
      electionTicks: this.cfg.electionTicks,
      heartbeatTicks: this.cfg.heartbeatTicks,
      preVote: true,
      checkQuorum: true,
      random: cfg.random ?? mathRandom,
      restore,
    });
    this.appliedIndex = restore?.applied ?? 0;
    this.snapshots = new SnapshotSchedule(
      this.cfg.snapshotEvery, restore?.snapshot?.meta.index ?? 0, restore?.snapshot?.data.length ?? 0,
    );
    const restoredEntries = restore?.entries ?? [];
    this.lastWrittenIndex = restoredEntries.length > 0
      ? restoredEntries[restoredEntries.length - 1]!.index
      : restore?.snapshot?.meta.index ?? 0;
    this.persistedTerm = restore?.hardState.term ?? 0;
    this.persistedVote = restore?.hardState.vote ?? '';
  }

  /** Recovers from `cfg.store` (restoring the state machine from its snapshot) and starts ticking. */
  static async open<R>(cfg: RaftHostConfig<R>): Promise<RaftHost<R>> {
    const stored = await cfg.store.load();
    const fresh = stored.hardState.term === 0 && !stored.snapshot && stored.entries.length === 0;
    let restore: RaftRestore | undefined;
    if (!fresh) {
      const snapshotIndex = stored.snapshot?.meta.index ?? 0;
      // An in-memory state machine holds nothing yet: it gets the snapshot and everything after
      // is re-applied. A durable one may already hold the snapshot's state and more.
      const durable = cfg.stateMachine.durableAppliedIndex?.() ?? 0;
      if (stored.snapshot && durable < snapshotIndex) await cfg.stateMachine.restore(stored.snapshot.data);
      restore = { ...stored, applied: Math.max(snapshotIndex, durable) };
    }
    const host = new RaftHost(cfg, restore);
    host.ticker = setInterval(() => host.tick(), host.cfg.tickMs);
    cfg.log.info({ id: cfg.id, fresh, term: stored.hardState.term, entries: stored.entries.length,
      snapshotIndex: stored.snapshot?.meta.index ?? 0 }, 'raft host started');
    return host;
  }

  get id(): NodeId {
    return this.node.id;
  }

  get isLeader(): boolean {
    return this.node.role === Role.Leader;
  }

  /** Highest log index applied to the state machine here. */
  get applied(): number {
    return this.appliedIndex;
  }

  get leader(): NodeId {
    return this.node.leader;
  }

  /**
   * Replicates `data` and resolves with the state machine's result once this node applied it.
   * Rejects at once with NotLeader (carrying the leader's id) on a follower.
   */
  propose(data: Uint8Array): Promise<R> {
    if (this.stopped) return Promise.reject(new RaftHostError('Stopped', 'host stopped'));
    if (this.node.role !== Role.Leader) {
      return Promise.reject(new RaftHostError('NotLeader', `${this.node.id} is not the leader`, this.node.leader));
    }
    const observer = this.cfg.observer;
    if (!observer) {
      return new Promise<R>((resolve, reject) => {
        this.queued.push({ data, resolve, reject });
        this.scheduleTurn();
      });
    }
    const t0 = performance.now();
    return new Promise<R>((resolve, reject) => {
      this.queued.push({
        data,
        resolve: (r) => { observer.proposalFinished((performance.now() - t0) / 1000, true); resolve(r); },
        reject: (e) => { observer.proposalFinished((performance.now() - t0) / 1000, false); reject(e); },
      });
      this.scheduleTurn();
    });
  }

  /** Resolves once this node's state reflects every write acknowledged before the call. */
  read(): Promise<void> {
    if (this.stopped) return Promise.reject(new RaftHostError('Stopped', 'host stopped'));
    return new Promise<void>((resolve, reject) => {
      this.reads.enqueue({ resolve, reject });
      this.scheduleTurn();
    });
  }

  /** Membership change through the log; resolves once applied here. */
  proposeConfChange(cc: ConfChange): Promise<void> {
    const p = this.node.proposeConfChange(cc);
    if (!p) return Promise.reject(new RaftHostError('NotLeader', 'not leader, or a conf change is pending', this.node.leader));
    this.scheduleTurn();
    return new Promise<void>((resolve, reject) => {
      this.proposals.add(p.index, p.term, Date.now() + this.cfg.proposalTimeoutMs, () => resolve(), reject);
    });
  }

  transferLeadership(to: NodeId): boolean {
    const ok = this.node.transferLeadership(to);
    this.scheduleTurn();
    return ok;
  }

  /** Peer messages from the transport, in the order their sender sent them. */
  receive(messages: Message[]): void {
    if (this.stopped) return;
    for (const m of messages) this.node.step(m);
    this.scheduleTurn();
  }

  reportUnreachable(peer: NodeId): void {
    if (!this.stopped) this.node.reportUnreachable(peer);
  }

  status(): RaftHostStatus {
    return { ...this.node.status(), pendingProposals: this.proposals.size + this.queued.length, droppedMessages: { ...this.node.dropped }, counters: { ...this.counters } };
  }

  /** Stops ticking, finishes the Ready cycle in progress, rejects what is pending, closes the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    await this.loop?.catch(() => {});
    this.failPending(new RaftHostError('Stopped', 'host stopped'));
    await this.cfg.store.close();
  }

  private tick(): void {
    if (this.stopped) return;
    this.node.tick();
    const now = Date.now();
    this.proposals.expire(now);
    this.reads.expire(now);
    this.scheduleTurn();
  }

  private scheduleTurn(): void {
    if (this.turnScheduled || this.stopped) return;
    this.turnScheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.turnScheduled = false;
    if (this.stopped) return;
    this.flushClientWork();
    if (!this.loop && this.node.hasReady()) this.loop = this.runReadyLoop().finally(() => { this.loop = null; });
  };

  /** One propose() for every proposal queued this turn; one ReadIndex for every read. */
  private flushClientWork(): void {
    if (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      const p = this.node.propose(batch.map((q) => q.data));
      if (!p) {
        const err = new RaftHostError('NotLeader', `${this.node.id} is not the leader`, this.node.leader);
        for (const q of batch) q.reject(err);
      } else {
        const deadline = Date.now() + this.cfg.proposalTimeoutMs;
        let index = p.index - batch.length + 1;
        for (const q of batch) this.proposals.add(index++, p.term, deadline, q.resolve, q.reject);
      }
    }
    if (this.reads.hasQueued) {
      this.reads.flush(Date.now() + this.cfg.readTimeoutMs, (ctx) => this.node.readIndex(ctx));
    }
  }

  private async runReadyLoop(): Promise<void> {
    try {
      while (!this.stopped) {
        this.flushClientWork();
        if (!this.node.hasReady()) return;
        await this.handleReady(this.node.ready());
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /**
   * One Ready cycle. Two departures from the strict persist-then-send-then-apply order, both
   * from the Raft dissertation (§10.2.1) and etcd, and both keep a disk write off the commit
   * path:
   * - a leader whose term and vote are already durable sends its replication traffic before
   *   its own write completes: followers persist in parallel, and the core counts the leader's
   *   own copy toward commit only after `advance` (its stable index), so nothing commits on
   *   an unsynced leader log;
   * - committed entries that were persisted by an earlier cycle are applied before this
   *   cycle's write, so acknowledgements don't wait for the next batch's fsync.
   */
  private async handleReady(rd: Ready): Promise<void> {
    if (rd.snapshot) this.proposals.coveredBySnapshot(rd.snapshot.meta.index);
    // Only a Ready that rewrites already-written indices can orphan a waiting proposal; plain
    // appends (every Ready of a steady leader) skip the scan.
    if (rd.entries.length > 0 && rd.entries[0]!.index <= this.lastWrittenIndex) this.proposals.truncated(rd.entries);
    if (rd.snapshot) this.lastWrittenIndex = rd.snapshot.meta.index;
    if (rd.entries.length > 0) this.lastWrittenIndex = rd.entries[rd.entries.length - 1]!.index;
    const c = this.counters;
    c.readyCycles++;
    c.sentMessages += rd.messages.length;
    c.appliedEntries += rd.committed.length;

    let late = rd.messages;
    const termOrVoteChanged = rd.hardState !== undefined
      && (rd.hardState.term !== this.persistedTerm || rd.hardState.vote !== this.persistedVote);
    if (this.node.role === Role.Leader && !termOrVoteChanged && !rd.snapshot && rd.messages.length > 0) {
      const early: Message[] = [];
      late = [];
      for (const m of rd.messages) (LEADER_EARLY_TYPES.has(m.type) ? early : late).push(m);
      this.cfg.transport.send(early);
    }
    let committed = rd.committed;
    if (!rd.snapshot && committed.length > 0) {
      const firstUnstable = rd.entries.length > 0 ? rd.entries[0]!.index : Infinity;
      let durable = 0;
      while (durable < committed.length && committed[durable]!.index < firstUnstable) durable++;
      if (durable > 0) {
        await this.apply(durable === committed.length ? committed : committed.slice(0, durable));
        committed = committed.slice(durable);
      }
    }

    if (rd.hardState || rd.entries.length > 0 || rd.snapshot) {
      const t0 = performance.now();
      await this.cfg.store.save({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot });
      c.saveMs += performance.now() - t0;
      c.savedEntries += rd.entries.length;
      if (rd.hardState) {
        this.persistedTerm = rd.hardState.term;
        this.persistedVote = rd.hardState.vote;
      }
    }
    if (this.stopped) return; // stop() raced the disk: don't act on a Ready we won't advance
    this.cfg.transport.send(late);
    if (rd.snapshot) {
      await this.cfg.stateMachine.restore(rd.snapshot.data);
      this.appliedIndex = rd.snapshot.meta.index;
      this.snapshots.taken(rd.snapshot.meta.index, rd.snapshot.data.length);
    }
    if (committed.length > 0) await this.apply(committed);
    for (const rs of rd.readStates) this.reads.confirmed(rs, this.appliedIndex);
    if (rd.softState) {
      this.cfg.log.info({ id: this.node.id, term: this.node.term, ...rd.softState }, 'raft role changed');
      if (rd.softState.leader !== this.observedLeader) {
        this.observedLeader = rd.softState.leader;
        this.cfg.observer?.leaderChanged(rd.softState.leader, this.node.term);
      }
    }
    this.node.advance(rd);
    await this.maybeSnapshot();
  }

  private async apply(entries: Entry[]): Promise<void> {
    const sm = this.cfg.stateMachine;
    for (const e of entries) {
      let result = e.type === EntryType.Normal && e.data.length > 0 ? sm.apply(e) : undefined;
      // Only durable state machines return promises; in-memory ones pay no await per entry.
      if (result instanceof Promise) result = await result;
      this.proposals.applied(e, result);
      this.snapshots.applied(e.data.length);
    }
    this.appliedIndex = entries[entries.length - 1]!.index;
    this.reads.applied(this.appliedIndex);
  }

  private async maybeSnapshot(): Promise<void> {
    if (!this.snapshots.due(this.appliedIndex)) return;
    const index = this.appliedIndex;
    const data = await this.cfg.stateMachine.snapshot();
    const snap = this.node.compact(index, data, this.cfg.snapshotKeepEntries);
    this.snapshots.taken(index, data.length);
    // The core keeps `snapshotKeepEntries` behind the snapshot in memory for slow followers;
    // on disk the snapshot alone suffices for a restart.
    await this.cfg.store.compact(snap);
  }

  private fail(err: Error): void {
    if (this.stopped) return;
    this.cfg.log.fatal({ err, id: this.node.id }, 'raft host stopping: storage failed');
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    this.failPending(new RaftHostError('StorageFailed', err.message));
    this.cfg.onFatal?.(err);
  }

  private failPending(err: RaftHostError): void {
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) q.reject(err);
    this.proposals.rejectAll(err);
    this.reads.rejectAll(err);
  }
}
