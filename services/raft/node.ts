import { applyConfChange, decodeConfChange, encodeConfChange } from './conf-change.ts';
import { LeaderState, type LeaderHost } from './leader.ts';
import { RaftLog } from './log.ts';
import { RAFT_DEFAULTS, type Proposed, type RaftConfig, type RaftStatus } from './raft-config.ts';
import { ProgressState } from './progress.ts';
import { validateMessage } from './message-check.ts';
import { blankMessage } from './message.ts';
import { VoteResult, tallyVotes } from './quorum.ts';
import { decodeRound } from './read-index.ts';
import {
  EntryType, MessageType, NONE, Role,
  type ConfChange, type ConfState, type DropReason, type Entry, type HardState, type Message, type NodeId,
  type RandomSource, type ReadState, type Ready, type Snapshot, type SoftState,
} from './types.ts';

export { encodeConfChange, decodeConfChange };

export type { RaftDebugSwitches, RaftRestore, RaftConfig, Proposed, RaftStatus } from './raft-config.ts';
export { RAFT_DEFAULTS } from './raft-config.ts';

const TRANSFER_CONTEXT = new TextEncoder().encode('transfer');

/**
 * One Raft peer as a pure state machine (the etcd/raft shape): the host feeds it ticks,
 * messages and proposals, and drains `ready()` for what to persist, send and apply.
 * No I/O, timers or ambient randomness happen in here.
 */
export class RaftNode implements LeaderHost {
  readonly id: NodeId;
  readonly dropped: Record<DropReason, number> = {
    malformed: 0, 'stale-term': 0, 'unknown-peer': 0, 'not-leader': 0, unexpected: 0,
  };
  readonly log: RaftLog;
  readonly maxEntriesPerMsg: number;
  readonly maxBytesPerMsg: number;
  readonly maxInflight: number;
  readonly commitPreviousTermByCounting: boolean;
  private readonly skipVoteLogCheck: boolean;
  private readonly electionTicks: number;
  private readonly heartbeatTicks: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly random: RandomSource;

  private _term = 0;
  private vote: NodeId = NONE;
  private _role = Role.Follower;
  private _leader: NodeId = NONE;
  conf: ConfState;
  private leaderState: LeaderState | undefined;
  private votes = new Map<NodeId, boolean>();
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;

  private msgs: Message[] = [];
  private readStates: ReadState[] = [];
  private prevHard: HardState;
  private prevSoft: SoftState;

  constructor(cfg: RaftConfig) {
    this.id = cfg.id;
    this.electionTicks = cfg.electionTicks ?? RAFT_DEFAULTS.electionTicks;
    this.heartbeatTicks = cfg.heartbeatTicks ?? RAFT_DEFAULTS.heartbeatTicks;
    this.preVote = cfg.preVote ?? true;
    this.checkQuorum = cfg.checkQuorum ?? true;
    this.random = cfg.random;
    this.maxEntriesPerMsg = cfg.maxEntriesPerMsg ?? RAFT_DEFAULTS.maxEntriesPerMsg;
    this.maxBytesPerMsg = cfg.maxBytesPerMsg ?? RAFT_DEFAULTS.maxBytesPerMsg;
    this.maxInflight = cfg.maxInflight ?? RAFT_DEFAULTS.maxInflight;
    this.commitPreviousTermByCounting = cfg.debug?.commitPreviousTermByCounting ?? false;
    this.skipVoteLogCheck = cfg.debug?.skipVoteLogCheck ?? false;

    const r = cfg.restore;
    if (!r?.snapshot && cfg.voters.length === 0) {
      // Conf changes in the log are replayed on top of `voters`: from an empty base a joining
      // node could conclude it is the only voter and elect itself without committed entries.
      throw new RangeError('RaftConfig.voters is empty: a joining node starts with the cluster\'s current voters (without itself)');
    }
    this.log = new RaftLog(r?.snapshot, r?.entries ?? [], r?.hardState.commit ?? 0, r?.applied ?? 0);
    this.conf = r?.snapshot
      ? cloneConf(r.snapshot.meta.conf)
      : { voters: [...cfg.voters].sort(), learners: [...(cfg.learners ?? [])].sort() };
    // Conf changes the state machine already applied before the restart.
    for (let i = this.log.firstIndex(); i <= this.log.applied; i++) this.applyConfEntry(this.log.entry(i));
    if (r) {
      this._term = r.hardState.term;
      this.vote = r.hardState.vote;
    }
    this.prevHard = this.hardState();
    this.prevSoft = this.softState();
    this.resetElectionTimeout();
  }

  get term(): number {
    return this._term;
  }

  get role(): Role {
    return this._role;
  }

  get leader(): NodeId {
    return this._leader;
  }

  private hardState(): HardState {
    return { term: this._term, vote: this.vote, commit: this.log.committed };
  }

  private softState(): SoftState {
    return { leader: this._leader, role: this._role };
  }

  private promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  send(partial: Omit<Message, 'from' | 'term'> & Partial<Pick<Message, 'term'>>): void {
    this.msgs.push({ ...partial, from: this.id, term: partial.term ?? this._term } as Message);
  }

  // ---- time -------------------------------------------------------------------------------

  tick(): void {
    if (this._role === Role.Leader) this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  private tickLeader(): void {
    const ls = this.leaderState!;
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTicks) {
      this.electionElapsed = 0;
      if (this.checkQuorum && !ls.quorumActive()) {
        this.becomeFollower(this._term, NONE);
        return;
      }
    }
    if (ls.transferee !== NONE && ++ls.transferElapsed >= this.electionTicks) {
      ls.transferee = NONE; // the transfer did not finish in time: keep leading
    }
    ls.tickSnapshots(this.electionTicks * 2);
    if (this.heartbeatElapsed >= this.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      ls.bcastHeartbeat();
    }
  }

  private resetElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTicks + this.random.int(this.electionTicks);
  }

  // ---- role changes -------------------------------------------------------------------------

  private reset(term: number): void {
    if (this._term !== term) {
      this._term = term;
      this.vote = NONE;
    }
    this._leader = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetElectionTimeout();
    this.votes = new Map();
    this.leaderState = undefined;
  }

  private becomeFollower(term: number, leader: NodeId): void {
    this.reset(term);
    this._role = Role.Follower;
    this._leader = leader;
  }

  private becomePreCandidate(): void {
    // Pre-vote changes neither term nor vote: a partitioned node cannot inflate terms.
    this.votes = new Map();
    this._role = Role.PreCandidate;
    this._leader = NONE;
  }

  private becomeCandidate(): void {
    this.reset(this._term + 1);
    this.vote = this.id;
    this._role = Role.Candidate;
  }

  private becomeLeader(): void {
    this.reset(this._term);
    this._role = Role.Leader;
    this._leader = this.id;
    this.leaderState = new LeaderState(this);
    // A no-op entry of the new term lets earlier-term entries commit (§5.4.2) and marks
    // the point after which conf changes and ReadIndex are safe.
    this.log.append([{ term: this._term, index: this.log.lastIndex() + 1, type: EntryType.Normal, data: new Uint8Array(0) }]);
    this.leaderState.syncMembers();
    this.leaderState.bcastAppend(false);
    if (this.conf.voters.length === 1) this.leaderState.maybeCommit();
  }

  /** Start an election now (PreVote first when enabled). */
  campaign(): void {
    if (!this.promotable() || this._role === Role.Leader) return;
    if (this.preVote) this.startElection(true, undefined);
    else this.startElection(false, undefined);
  }

  private startElection(pre: boolean, context: Uint8Array | undefined): void {
    if (pre) this.becomePreCandidate();
    else this.becomeCandidate();
    const term = pre ? this._term + 1 : this._term;
    this.votes.set(this.id, true);
    if (tallyVotes(this.conf.voters, this.votes) === VoteResult.Won) {
      if (pre) this.startElection(false, context);
      else this.becomeLeader();
      return;
    }
    for (const v of this.conf.voters) {
      if (v === this.id) continue;
      this.send({
        ...blankMessage(pre ? MessageType.PreVote : MessageType.Vote, v),
        term, index: this.log.lastIndex(), logTerm: this.log.lastTerm(), context,
      });
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Feed a message from a peer. Never throws: bad or stale messages are dropped and counted. */
  step(m: Message): void {
    const bad = validateMessage(m, this.id);
    if (bad) {
      this.dropped[bad]++;
      return;
    }
    if (m.term > this._term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const force = sameBytes(m.context, TRANSFER_CONTEXT);
        const inLease = this.checkQuorum && this._leader !== NONE && this.electionElapsed < this.electionTicks;
        if (!force && inLease) {
          this.dropped['stale-term']++; // a leader is alive: don't let a rogue node disrupt it
          return;
        }
      }
      if (m.type === MessageType.PreVote || (m.type === MessageType.PreVoteResponse && !m.reject)) {
        // Pre-votes are about a future term; they change nothing here.
      } else if (m.type === MessageType.Append || m.type === MessageType.Heartbeat || m.type === MessageType.Snapshot) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this._term) {
      if ((this.checkQuorum || this.preVote) && (m.type === MessageType.Heartbeat || m.type === MessageType.Append)) {
        // Tell a stale leader about the newer term, or it would never step down.
        this.send(blankMessage(MessageType.AppendResponse, m.from));
      } else if (m.type === MessageType.PreVote) {
        this.send({ ...blankMessage(MessageType.PreVoteResponse, m.from), reject: true });
      }
      this.dropped['stale-term']++;
      return;
    }

    if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
      this.handleVoteRequest(m);
      return;
    }
    switch (this._role) {
      case Role.Leader:
        this.stepLeader(m);
        break;
      case Role.Candidate:
      case Role.PreCandidate:
        this.stepCandidate(m);
        break;
      case Role.Follower:
        this.stepFollower(m);
        break;
    }
  }

  private handleVoteRequest(m: Message): void {
    const pre = m.type === MessageType.PreVote;
    const canVote = this.vote === m.from || (this.vote === NONE && this._leader === NONE) || (pre && m.term > this._term);
    const upToDate = this.skipVoteLogCheck || this.log.isUpToDate(m.index, m.logTerm);
    const respType = pre ? MessageType.PreVoteResponse : MessageType.VoteResponse;
    if (canVote && upToDate) {
      // A granted pre-vote answers with the candidate's future term so it can be counted.
      this.send({ ...blankMessage(respType, m.from), term: m.term });
      if (!pre) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ ...blankMessage(respType, m.from), reject: true });
    }
  }

  private stepLeader(m: Message): void {
    const ls = this.leaderState!;
    if (!ls.prs.has(m.from) && m.type !== MessageType.ReadIndex) {
      this.dropped['unknown-peer']++;
      return;
    }
    switch (m.type) {
      case MessageType.AppendResponse:
        ls.handleAppendResponse(m);
        return;
      case MessageType.HeartbeatResponse:
        ls.handleHeartbeatResponse(m, decodeRound(m.context));
        return;
      case MessageType.ReadIndex:
        ls.read(m.from, m.context ?? new Uint8Array(0));
        return;
      case MessageType.VoteResponse:
      case MessageType.PreVoteResponse:
        return; // late answers from the election we already won
      default:
        this.dropped.unexpected++;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case MessageType.Append:
      case MessageType.Heartbeat:
      case MessageType.Snapshot:
        // Someone else won this term.
        this.becomeFollower(m.term, m.from);
        this.stepFollower(m);
        return;
      case MessageType.PreVoteResponse:
      case MessageType.VoteResponse: {
        const expected = this._role === Role.PreCandidate ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        if (m.type !== expected) return;
        this.votes.set(m.from, !m.reject);
        const result = tallyVotes(this.conf.voters, this.votes);
        if (result === VoteResult.Won) {
          if (this._role === Role.PreCandidate) this.startElection(false, m.context);
          else this.becomeLeader();
        } else if (result === VoteResult.Lost) {
          this.becomeFollower(this._term, NONE);
        }
        return;
      }
      default:
        this.dropped.unexpected++;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.Append:
        this.electionElapsed = 0;
        this._leader = m.from;
        this.handleAppend(m);
        return;
      case MessageType.Heartbeat:
        this.electionElapsed = 0;
        this._leader = m.from;
        this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
        this.send({ ...blankMessage(MessageType.HeartbeatResponse, m.from), context: m.context });
        return;
      case MessageType.Snapshot:
        this.electionElapsed = 0;
        this._leader = m.from;
        this.handleSnapshot(m);
        return;
      case MessageType.TimeoutNow:
        if (this.promotable()) this.startElection(false, TRANSFER_CONTEXT);
        return;
      case MessageType.ReadIndexResponse:
        this.readStates.push({ index: m.index, context: m.context ?? new Uint8Array(0) });
        return;
      case MessageType.ReadIndex:
        // A follower that thought we lead: forward once we know who does.
        if (this._leader !== NONE) this.send({ ...m, to: this._leader });
        else this.dropped['not-leader']++;
        return;
      default:
        this.dropped.unexpected++;
    }
  }

  private respondAppend(to: NodeId, index: number, reject = false, rejectHint = 0, logTerm = 0): void {
    this.send({ ...blankMessage(MessageType.AppendResponse, to), index, logTerm, reject, rejectHint });
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.respondAppend(m.from, this.log.committed);
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== null) {
      this.respondAppend(m.from, lastNew);
      return;
    }
    // Hint the leader at the last index that may match, skipping whole conflicting terms.
    const hintIndex = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.respondAppend(m.from, m.index, true, hintIndex, this.log.term(hintIndex) ?? 0);
  }

  private handleSnapshot(m: Message): void {
    const snap = m.snapshot!;
    const { index, term } = snap.meta;
    if (index <= this.log.committed) {
      this.respondAppend(m.from, this.log.committed);
      return;
    }
    if (this.log.matchTerm(index, term)) {
      // We already hold the snapshot's entries: just learn that they are committed. Answer
      // with the commit index, not our last index: entries after it are not known to match.
      this.log.commitTo(index);
      this.respondAppend(m.from, this.log.committed);
      return;
    }
    this.log.restore(snap);
    this.conf = cloneConf(snap.meta.conf);
    this.respondAppend(m.from, this.log.lastIndex());
  }

  // ---- client API ---------------------------------------------------------------------------

  /** Leader only: append entries. Returns where the last one landed, or null. */
  propose(data: Uint8Array[]): Proposed | null {
    const ls = this.leaderState;
    if (data.length === 0) return null;
    if (!ls || ls.transferee !== NONE) {
      this.dropped['not-leader']++;
      return null;
    }
    let index = this.log.lastIndex();
    const entries: Entry[] = data.map((d) => ({ term: this._term, index: ++index, type: EntryType.Normal, data: d }));
    this.log.append(entries);
    ls.bcastAppend(false);
    if (this.conf.voters.length === 1) ls.maybeCommit();
    return { index, term: this._term };
  }

  /** Leader only, one at a time: null while an earlier change is unapplied. */
  proposeConfChange(cc: ConfChange): Proposed | null {
    const ls = this.leaderState;
    if (!ls || ls.transferee !== NONE || ls.pendingConfIndex > this.log.applied) return null;
    const index = this.log.lastIndex() + 1;
    this.log.append([{ term: this._term, index, type: EntryType.ConfChange, data: encodeConfChange(cc) }]);
    ls.pendingConfIndex = index;
    ls.bcastAppend(false);
    return { index, term: this._term };
  }

  /** Request a linearizable read; answered by a ReadState in a later Ready. */
  readIndex(context: Uint8Array): boolean {
    if (this.leaderState) {
      this.leaderState.read(this.id, context);
      return true;
    }
    if (this._leader === NONE || this._role !== Role.Follower) return false;
    this.send({ ...blankMessage(MessageType.ReadIndex, this._leader), context });
    return true;
  }

  answerRead(to: NodeId, index: number, context: Uint8Array): void {
    if (to === this.id) this.readStates.push({ index, context });
    else this.send({ ...blankMessage(MessageType.ReadIndexResponse, to), index, context });
  }

  /** Leader only: hand leadership to `to` once it is caught up. */
  transferLeadership(to: NodeId): boolean {
    const ls = this.leaderState;
    if (!ls || to === this.id || !this.conf.voters.includes(to)) return false;
    ls.transferee = to;
    ls.transferElapsed = 0;
    const pr = ls.prs.get(to)!;
    if (pr.match === this.log.lastIndex()) ls.sendTimeoutNow(to);
    else ls.sendAppend(to, true);
    return true;
  }

  reportUnreachable(id: NodeId): void {
    const pr = this.leaderState?.prs.get(id);
    if (pr && pr.state === ProgressState.Replicate) pr.becomeProbe();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.leaderState?.prs.get(id);
    if (!pr || pr.state !== ProgressState.Snapshot) return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    pr.probeSent = true; // wait for the follower's answer (or a heartbeat) before probing
  }

  // ---- Ready / advance ----------------------------------------------------------------------

  hasReady(): boolean {
    return (
      this.msgs.length > 0 ||
      this.readStates.length > 0 ||
      this.log.unstableEntries().length > 0 ||
      this.log.pendingSnapshot !== undefined ||
      this.log.committed > this.log.handedOut ||
      !sameHard(this.hardState(), this.prevHard) ||
      !sameSoft(this.softState(), this.prevSoft)
    );
  }

  ready(): Ready {
    const rd: Ready = {
      entries: this.log.unstableEntries(),
      committed: this.log.nextCommitted(),
      messages: this.msgs,
      readStates: this.readStates,
    };
    this.msgs = [];
    this.readStates = [];
    const hs = this.hardState();
    if (!sameHard(hs, this.prevHard)) rd.hardState = hs;
    const ss = this.softState();
    if (!sameSoft(ss, this.prevSoft)) rd.softState = ss;
    if (this.log.pendingSnapshot) rd.snapshot = this.log.pendingSnapshot;
    if (rd.committed.length > 0) this.log.handedOut = rd.committed[rd.committed.length - 1].index;
    return rd;
  }

  advance(rd: Ready): void {
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.snapshot) {
      if (this.log.pendingSnapshot === rd.snapshot) this.log.pendingSnapshot = undefined;
      this.log.appliedTo(rd.snapshot.meta.index);
    }
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1];
      this.log.stableTo(last.index, last.term);
    }
    for (const e of rd.committed) this.applyConfEntry(e);
    if (rd.committed.length > 0) this.log.appliedTo(rd.committed[rd.committed.length - 1].index);
    const ls = this.leaderState;
    if (ls) {
      const self = ls.prs.get(this.id);
      if (self) self.match = this.log.stableIndex;
      if (ls.maybeCommit()) ls.bcastAppend(true);
    }
  }

  private applyConfEntry(e: Entry | undefined): void {
    if (!e || e.type !== EntryType.ConfChange) return;
    const cc = decodeConfChange(e.data);
    if (!cc) return;
    this.conf = applyConfChange(this.conf, cc);
    const ls = this.leaderState;
    if (!ls) return;
    ls.syncMembers();
    if (!this.conf.voters.includes(this.id)) {
      this.becomeFollower(this._term, NONE); // removed: stop leading
      return;
    }
    if (ls.transferee !== NONE && !this.conf.voters.includes(ls.transferee)) ls.transferee = NONE;
    if (ls.maybeCommit()) ls.bcastAppend(true);
    else ls.bcastAppend(false);
  }

  /**
   * The host's state machine captured `data` at applied index `index`: keep it as the
   * snapshot and drop log entries up to `index - keep` (the rest stay for slow followers).
   */
  compact(index: number, data: Uint8Array, keep = 0): Snapshot {
    if (index > this.log.applied || index < this.log.firstIndex() - 1) {
      throw new RangeError(`compact index ${index} outside [${this.log.firstIndex() - 1}, applied ${this.log.applied}]`);
    }
    for (let i = index + 1; i <= this.log.applied; i++) {
      if (this.log.entry(i)?.type === EntryType.ConfChange) {
        throw new RangeError(`compact index ${index}: a conf change at ${i} is applied after it`);
      }
    }
    const snap: Snapshot = { meta: { index, term: this.log.term(index)!, conf: cloneConf(this.conf) }, data };
    this.log.compact(snap, index - keep);
    return snap;
  }

  status(): RaftStatus {
    return {
      id: this.id, role: this._role, leader: this._leader, term: this._term, vote: this.vote,
      commit: this.log.committed, applied: this.log.applied, lastIndex: this.log.lastIndex(),
      snapshotIndex: this.log.snapshot?.meta.index ?? 0, conf: cloneConf(this.conf),
      transferee: this.leaderState?.transferee ?? NONE,
    };
  }
}

function cloneConf(c: ConfState): ConfState {
  return { voters: [...c.voters], learners: [...c.learners] };
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.leader === b.leader && a.role === b.role;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
