import type { NodeId } from '../types.ts';

export type RaftHostErrorCode =
  /** This node does not lead; `leader` names the one that does, '' when unknown. */
  | 'NotLeader'
  /** The proposal's entry was replaced by a new leader's log: it will never apply. */
  | 'ProposalDropped'
  /** No outcome within the time limit: the entry may or may not still apply. */
  | 'ProposalTimeout'
  /** The entry was covered by a snapshot from the leader before it applied here: outcome unknown. */
  | 'ProposalOutcomeUnknown'
  /** A linearizable read could not be confirmed in time (leader change, lost quorum). */
  | 'ReadTimeout'
  | 'Stopped'
  /** The durable store failed; the host stopped rather than risk acknowledging lost data. */
  | 'StorageFailed';

export class RaftHostError extends Error {
  constructor(
    readonly code: RaftHostErrorCode,
    message: string,
    readonly leader: NodeId = '',
  ) {
    super(`${code}: ${message}`);
    this.name = 'RaftHostError';
  }
}

export function isRaftHostError(err: unknown, code?: RaftHostErrorCode): err is RaftHostError {
  return err instanceof RaftHostError && (code === undefined || err.code === code);
}
