// Configuration and status shapes of RaftNode (kept apart so the node file holds behaviour).
import type { ConfState, Entry, HardState, NodeId, RandomSource, Role, Snapshot } from './types.ts';

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
  /**
   * Voters of a brand-new cluster; ignored when `restore` carries a snapshot. A node joining
   * an existing cluster passes the cluster's current voters (without itself): conf changes
   * replayed from the log are applied on top of them. Must not be empty.
   */
  voters: NodeId[];
  learners?: NodeId[];
  electionTicks?: number;
  heartbeatTicks?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  random: RandomSource;
  /** Flow control: most entries in one Append message. */
  maxEntriesPerMsg?: number;
  /** Flow control: most bytes of entry data in one Append message. */
  maxBytesPerMsg?: number;
  /** Flow control: most un-acked Append messages in flight per follower. */
  maxInflight?: number;
  restore?: RaftRestore;
  debug?: RaftDebugSwitches;
}

export const RAFT_DEFAULTS = {
  electionTicks: 10,
  heartbeatTicks: 1,
  maxEntriesPerMsg: 4096,
  maxBytesPerMsg: 4 * 1024 * 1024,
  maxInflight: 64,
} as const;

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
