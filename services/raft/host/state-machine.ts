import type { Entry } from '../types.ts';

/**
 * The replicated application a RaftHost drives. Calls happen on the host's loop, one at a
 * time, in log order; `apply` must be deterministic (every replica computes the same result).
 */
export interface StateMachine<R> {
  /** Applies one committed Normal entry with non-empty data; the result resolves its proposal. */
  apply(entry: Entry): R;
  /** The whole state as bytes, taken at the current applied index (for log compaction). */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's bytes. */
  restore(data: Uint8Array): void;
}
