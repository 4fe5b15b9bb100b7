// Plain data shapes of the Raft core. The core never sees protobuf, sockets or disks: the
// transport and storage adapters convert these to and from the wire/disk forms in proto/.

export type NodeId = string;
/** No node: an empty vote, an unknown leader. */
export const NONE: NodeId = '';

export enum EntryType {
  Normal = 0,
  ConfChange = 1,
}

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** What must be on disk before a node answers a vote or acknowledges entries. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMeta {
  index: number;
  term: number;
  conf: ConfState;
}

export interface Snapshot {
  meta: SnapshotMeta;
  data: Uint8Array;
}

export enum MessageType {
  Append = 1,
  AppendResponse = 2,
  Vote = 3,
  VoteResponse = 4,
  PreVote = 5,
  PreVoteResponse = 6,
  Heartbeat = 7,
  HeartbeatResponse = 8,
  Snapshot = 9,
  TimeoutNow = 10,
  ReadIndex = 11,
  ReadIndexResponse = 12,
}

/**
 * One message between peers. Fields not used by a type are zero/empty.
 * - Append: index/logTerm = the entry preceding `entries`; commit = leader's commit.
 * - AppendResponse: index = last index the follower now matches (or, on reject, the rejected
 *   index); rejectHint/logTerm = follower's hint for a faster back-off.
 * - Vote/PreVote: index/logTerm = candidate's last entry; context 'transfer' marks a
 *   leadership transfer (bypasses the leader lease).
 * - Heartbeat: commit = min(leader commit, follower match); context = ReadIndex round id.
 * - ReadIndex (follower → leader): context = request id; ReadIndexResponse: index = read index.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  snapshot?: Snapshot;
  context?: Uint8Array;
}

export enum Role {
  Follower = 'follower',
  PreCandidate = 'pre-candidate',
  Candidate = 'candidate',
  Leader = 'leader',
}

export interface SoftState {
  leader: NodeId;
  role: Role;
}

/** A linearizable read may be served once the state machine has applied `index`. */
export interface ReadState {
  index: number;
  context: Uint8Array;
}

/**
 * The batch of work the host must do, in this order:
 * 1. persist `snapshot` (if any), then `entries` (truncating any conflicting suffix: the first
 *    entry's index replaces everything from there on) and `hardState` (if any), with sync;
 * 2. send `messages`;
 * 3. restore the state machine from `snapshot` (if any), then apply `committed` in order and
 *    answer `readStates` once applied ≥ their index;
 * 4. call `advance(ready)`.
 */
export interface Ready {
  softState?: SoftState;
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
  committed: Entry[];
  messages: Message[];
  readStates: ReadState[];
}

export enum ConfChangeType {
  AddVoter = 0,
  RemoveNode = 1,
  AddLearner = 2,
}

/** Carried as the data of a ConfChange entry (encoded by `encodeConfChange`). */
export interface ConfChange {
  type: ConfChangeType;
  node: NodeId;
}

/** Why a message was dropped by `step` instead of acted on; counted in `RaftNode.dropped`. */
export type DropReason =
  | 'malformed'
  | 'stale-term'
  | 'unknown-peer'
  | 'not-leader'
  | 'unexpected';

export interface RandomSource {
  /** Uniform integer in [0, n). */
  int(n: number): number;
}
