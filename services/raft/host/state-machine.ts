import type { Entry } from '../types.ts';

/**
 * The replicated application a RaftHost drives. Calls happen on the host's loop, one at a
 * time, in log order; `apply` must be deterministic (every replica computes the same result).
 *
 * In-memory state machines implement the methods synchronously. A durable state machine (one
 * that writes its state to disk as it applies) may return promises — the host waits for each
 * before the next call — and implements `durableAppliedIndex`.
 */
export interface StateMachine<R> {
  /** Applies one committed Normal entry with non-empty data; the result resolves its proposal. */
  apply(entry: Entry): R | Promise<R>;
  /** The whole state as bytes, taken at the current applied index (for log compaction). */
  snapshot(): Uint8Array | Promise<Uint8Array>;
  /** Replaces the whole state with a snapshot's bytes. */
  restore(data: Uint8Array): void | Promise<void>;
  /**
   * Durable state machines only: the highest index whose effects survive a restart. On open,
   * the host then skips restoring a stored snapshot this already covers and hands out only the
   * entries after it (the state machine must skip any entry at or below it that still comes).
   */
  durableAppliedIndex?(): number;
}
