// API skeleton — being implemented. Signatures are final.
import type {
  ConfChange, ConfState, DropReason, Entry, HardState, Message, NodeId, RandomSource, Ready, Role,
  Snapshot,
} from './types.ts';

export interface RaftDebugSwitches {
  /** Planted bug for the simulation: commit entries of earlier terms by counting replicas. */
  commitPreviousTermByCounting?: boolean;
  /** Planted bug: grant votes without the candidate-log-up-to-date check. */
  skipVoteLogCheck?: boolean;
}

/** State a restarted node recovers from its durable store. */
export interface RaftRestore {
  hardState: HardState;
  snapshot?: Snapshot;
  /** Entries after the snapshot, in order, contiguous. */
  entries: Entry[];
  /** Highest index the host's state machine has already applied (≥ snapshot index). */
  applied: number;
}

export interface RaftConfig {
  id: NodeId;
  /** Voters of a brand-new cluster; ignored when `restore` carries a snapshot. */
  voters: NodeId[];
  learners?: NodeId[];
  electionTicks?: number; // default 10
  heartbeatTicks?: number; // default 1
  preVote?: boolean; // default true
  checkQuorum?: boolean; // default true
  random: RandomSource;
  /** Flow control: most entries in one Append message. default 4096 */
  maxEntriesPerMsg?: number;
  /** Flow control: most bytes of entry data in one Append message. default 4 MiB */
  maxBytesPerMsg?: number;
  /** Flow control: most un-acked Append messages in flight per follower. default 64 */
  maxInflight?: number;
  restore?: RaftRestore;
  debug?: RaftDebugSwitches;
}

export interface Proposed {
  index: number;
  term: number;
}

export interface RaftStatus {
  id: NodeId;
  role: Role;
  leader: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lastIndex: number;
  snapshotIndex: number;
  conf: ConfState;
  transferee: NodeId;
}

export declare class RaftNode {
  constructor(cfg: RaftConfig);
  readonly id: NodeId;
  get role(): Role;
  get leader(): NodeId;
  get term(): number;
  /** Messages dropped by `step`, by reason. */
  readonly dropped: Record<DropReason, number>;
  /** Advance logical time by one tick (election and heartbeat timers). */
  tick(): void;
  /** Feed a message from a peer. Never throws: bad or stale messages are dropped and counted. */
  step(msg: Message): void;
  /** Leader only: append entries. Returns where the last one landed, or null (not leader, transferring). */
  propose(data: Uint8Array[]): Proposed | null;
  /** Leader only, one at a time: null while an earlier change is unapplied. */
  proposeConfChange(cc: ConfChange): Proposed | null;
  /** Request a linearizable read; answered by a ReadState in a later Ready. False when no leader is known. */
  readIndex(context: Uint8Array): boolean;
  /** Start an election now (PreVote first when enabled). */
  campaign(): void;
  /** Leader only: hand leadership to `to` once it is caught up. */
  transferLeadership(to: NodeId): boolean;
  hasReady(): boolean;
  ready(): Ready;
  advance(rd: Ready): void;
  /** The host's state machine captured `data` at applied index `index`: keep it as the snapshot and drop log entries up to it (keeping `keep` trailing entries for slow followers). */
  compact(index: number, data: Uint8Array, keep?: number): Snapshot;
  reportUnreachable(id: NodeId): void;
  reportSnapshot(id: NodeId, ok: boolean): void;
  status(): RaftStatus;
}

export declare function encodeConfChange(cc: ConfChange): Uint8Array;
export declare function decodeConfChange(data: Uint8Array): ConfChange;
