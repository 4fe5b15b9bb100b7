import { RaftLog } from './log.ts';
import { blankMessage } from './message.ts';
import { Progress, ProgressState } from './progress.ts';
import { committedIndex } from './quorum.ts';
import { ReadIndexQueue, encodeRound } from './read-index.ts';
import { MessageType, type ConfState, type Message, type NodeId } from './types.ts';

/** What the leader's replication logic needs from its node. */
export interface LeaderHost {
  readonly id: NodeId;
  readonly term: number;
  readonly log: RaftLog;
  readonly conf: ConfState;
  readonly maxEntriesPerMsg: number;
  readonly maxBytesPerMsg: number;
  readonly maxInflight: number;
  /** Planted bug switch, see RaftDebugSwitches. */
  readonly commitPreviousTermByCounting: boolean;
  send(msg: Omit<Message, 'from' | 'term'> & Partial<Pick<Message, 'term'>>): void;
  /** A confirmed read for `to` (the leader itself or a follower) may be served at `index`. */
  answerRead(to: NodeId, index: number, context: Uint8Array): void;
}

/** Everything a node keeps only while it leads: per-follower progress, reads, transfer. */
export class LeaderState {
  readonly prs = new Map<NodeId, Progress>();
  readonly reads = new ReadIndexQueue();
  /** Target of an ongoing leadership transfer, '' when none. */
  transferee: NodeId = '';
  transferElapsed = 0;
  /** Reads that arrived before an entry of this term committed (commit may lag until then). */
  private waitingReads: { from: NodeId; context: Uint8Array }[] = [];
  /** Index of the latest conf change proposed; a new one waits until it is applied. */
  pendingConfIndex: number;

  constructor(private readonly host: LeaderHost) {
    const next = host.log.lastIndex() + 1;
    this.pendingConfIndex = host.log.lastIndex();
    this.syncMembers();
    for (const pr of this.prs.values()) pr.next = next;
  }

  /** Add progress for new members and drop removed ones (after a conf change). */
  syncMembers(): void {
    const { voters, learners } = this.host.conf;
    const members = new Set([...voters, ...learners]);
    for (const id of [...this.prs.keys()]) if (!members.has(id)) this.prs.delete(id);
    for (const id of members) {
      const learner = !voters.includes(id);
      const pr = this.prs.get(id);
      if (pr) pr.isLearner = learner;
      else this.prs.set(id, new Progress(id, this.host.log.lastIndex() + 1, this.host.maxInflight, learner));
    }
    const self = this.prs.get(this.host.id);
    if (self) self.match = this.host.log.stableIndex;
  }

  /** Advance commit to what a majority of voters holds (current-term entries only, §5.4.2). */
  maybeCommit(): boolean {
    const log = this.host.log;
    const q = committedIndex(this.host.conf.voters, (id) => {
      if (id === this.host.id) return log.stableIndex;
      return this.prs.get(id)?.match ?? 0;
    });
    if (q <= log.committed) return false;
    if (log.term(q) !== this.host.term && !this.host.commitPreviousTermByCounting) return false;
    if (!log.commitTo(q)) return false;
    if (this.waitingReads.length > 0 && this.committedInCurrentTerm()) {
      const waiting = this.waitingReads;
      this.waitingReads = [];
      for (const r of waiting) this.read(r.from, r.context);
    }
    return true;
  }

  committedInCurrentTerm(): boolean {
    return this.host.log.term(this.host.log.committed) === this.host.term;
  }

  /** Send one append (or the snapshot) to `to` if flow control allows. Returns whether it sent. */
  sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (!pr || to === this.host.id || pr.isPaused()) return false;
    const log = this.host.log;
    const prevIndex = pr.next - 1;
    const prevTerm = log.term(prevIndex);
    if (prevTerm === undefined) return this.sendSnapshot(pr);
    const entries = log.slice(pr.next, log.lastIndex() + 1, this.host.maxEntriesPerMsg, this.host.maxBytesPerMsg);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.host.send({ ...blankMessage(MessageType.Append, to), logTerm: prevTerm, index: prevIndex, entries, commit: log.committed });
    if (entries.length > 0) pr.sentEntries(entries[entries.length - 1].index);
    else if (pr.state === ProgressState.Probe) pr.probeSent = true;
    return true;
  }

  private sendSnapshot(pr: Progress): boolean {
    const snap = this.host.log.snapshot;
    if (!snap) return false; // cannot happen: entries are only compacted behind a snapshot
    this.host.send({ ...blankMessage(MessageType.Snapshot, pr.id), snapshot: snap });
    pr.becomeSnapshot(snap.meta.index);
    return true;
  }

  /** Keep the pipeline to `to` full. */
  fill(to: NodeId): void {
    let guard = this.host.maxInflight + 1;
    while (guard-- > 0 && this.sendAppend(to, false)) {
      /* keep sending */
    }
  }

  bcastAppend(sendIfEmpty: boolean): void {
    for (const id of this.prs.keys()) {
      if (id === this.host.id) continue;
      if (sendIfEmpty) this.sendAppend(id, true);
      this.fill(id);
    }
  }

  bcastHeartbeat(context?: Uint8Array): void {
    for (const [id, pr] of this.prs) {
      if (id === this.host.id) continue;
      this.host.send({ ...blankMessage(MessageType.Heartbeat, id), commit: Math.min(pr.match, this.host.log.committed), context });
    }
  }

  handleAppendResponse(m: Message): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    if (m.reject) {
      let hint = m.rejectHint;
      if (m.logTerm > 0) hint = this.host.log.findConflictByTerm(m.rejectHint, m.logTerm);
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === ProgressState.Replicate) pr.becomeProbe();
        this.sendAppend(m.from, true);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (pr.maybeUpdate(m.index)) {
      if (pr.state === ProgressState.Probe) pr.becomeReplicate();
      else if (pr.state === ProgressState.Snapshot && pr.match >= pr.pendingSnapshot) {
        pr.becomeProbe();
        pr.becomeReplicate();
      } else if (pr.state === ProgressState.Replicate) pr.inflights.freeLE(m.index);
      if (this.maybeCommit()) this.bcastAppend(true);
      else if (wasPaused || pr.state === ProgressState.Replicate) this.fill(m.from);
      if (m.from === this.transferee && pr.match === this.host.log.lastIndex()) this.sendTimeoutNow(m.from);
    }
  }

  handleHeartbeatResponse(m: Message, round: number | undefined): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state === ProgressState.Replicate && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < this.host.log.lastIndex() || pr.state === ProgressState.Probe) this.sendAppend(m.from, true);
    if (round === undefined) return;
    const acks = this.reads.ack(round, m.from);
    if (!acks) return;
    const votersAcked = this.host.conf.voters.filter((v) => acks.has(v)).length;
    if (votersAcked * 2 <= this.host.conf.voters.length) return;
    for (const r of this.reads.release(round)) this.host.answerRead(r.from, r.index, r.context);
  }

  /** Register a read at the current commit index and start a quorum confirmation round. */
  read(from: NodeId, context: Uint8Array): void {
    if (!this.committedInCurrentTerm()) {
      this.waitingReads.push({ from, context });
      return;
    }
    if (this.host.conf.voters.length === 1) {
      this.host.answerRead(from, this.host.log.committed, context);
      return;
    }
    const read = this.reads.add(this.host.log.committed, from, context, this.host.id);
    this.bcastHeartbeat(encodeRound(read.round));
  }

  sendTimeoutNow(to: NodeId): void {
    this.host.send(blankMessage(MessageType.TimeoutNow, to));
  }

  /** CheckQuorum: did a majority of voters (self included) talk to us since the last round? */
  quorumActive(): boolean {
    let active = 0;
    for (const v of this.host.conf.voters) {
      if (v === this.host.id || this.prs.get(v)?.recentActive) active++;
    }
    for (const pr of this.prs.values()) pr.recentActive = false;
    return active * 2 > this.host.conf.voters.length;
  }

  /** Retry snapshots that were probably lost (no answer for `limit` ticks). */
  tickSnapshots(limit: number): void {
    for (const pr of this.prs.values()) {
      if (pr.state === ProgressState.Snapshot && ++pr.snapshotTicks >= limit) pr.becomeProbe();
    }
  }
}
