// When to snapshot and compact. A count alone is not enough: a state that grows with every
// write (a KV store of distinct keys) would be serialized whole every N entries, an O(state)
// cost per N writes that grows without bound. So a snapshot is due only when at least
// `minEntries` were applied since the last one AND those entries carry at least as many bytes
// as the last snapshot had (the Raft dissertation's §5.1.3 size rule): snapshot work then stays
// proportional to the log it replaces.
export class SnapshotSchedule {
  private bytesSince = 0;

  constructor(
    /** 0 disables snapshots. */
    private readonly minEntries: number,
    private lastIndex: number,
    private lastBytes: number,
  ) {}

  /** Entries of `bytes` total were applied. */
  applied(bytes: number): void {
    this.bytesSince += bytes;
  }

  due(appliedIndex: number): boolean {
    return this.minEntries > 0
      && appliedIndex - this.lastIndex >= this.minEntries
      && this.bytesSince >= this.lastBytes;
  }

  /** A snapshot of `bytes` at `index` now stands (taken here or received from the leader). */
  taken(index: number, bytes: number): void {
    this.lastIndex = index;
    this.lastBytes = bytes;
    this.bytesSince = 0;
  }
}
