// What the Raft host needs from durable storage. One implementation lives on classic-level
// (level-log-store.ts); tests may substitute an in-memory one.
import type { Entry, HardState, Snapshot } from '../types.ts';

/** Everything a restarted node recovers (the host adds `applied`). */
export interface StoredRaftState {
  hardState: HardState;
  snapshot?: Snapshot;
  /** Entries after the snapshot, contiguous and in order. */
  entries: Entry[];
}

/** The persistence part of a Ready. */
export interface LogWrite {
  hardState?: HardState;
  entries: Entry[];
  /** A snapshot received from the leader: it replaces the whole log. */
  snapshot?: Snapshot;
}

export interface RaftLogStore {
  load(): Promise<StoredRaftState>;
  /** Persists one Ready atomically; returns once durable where Raft requires durability. */
  save(write: LogWrite): Promise<void>;
  /** Keeps a locally taken snapshot and drops the entries it covers. */
  compact(snapshot: Snapshot): Promise<void>;
  close(): Promise<void>;
}

export type StorageErrorCode = 'CorruptLog' | 'StoreClosed' | 'StoreNotLoaded';

export class StorageError extends Error {
  constructor(readonly code: StorageErrorCode, message: string) {
    super(`${code}: ${message}`);
  }
}

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: '', commit: 0 });
