import type { Entry, Snapshot } from './types.ts';

/**
 * The in-memory view of one node's Raft log: the entries after the last compaction point,
 * how far they are persisted, committed and applied, and the current snapshot.
 *
 * The host keeps the durable copy; this class only tracks which suffix still has to be
 * written (`unstable`) and which committed entries still have to be handed out for applying.
 */
export class RaftLog {
  /** entries[i].index === offset + i */
  private entries: Entry[] = [];
  /** Index/term of the entry just before `entries` (the compaction point). */
  private prevIndex: number;
  private prevTerm: number;
  /** Latest snapshot known (sent to followers too far behind). invariant: snapshot.meta.index >= prevIndex */
  snapshot: Snapshot | undefined;
  /** A snapshot received from the leader that the host has not persisted yet. */
  pendingSnapshot: Snapshot | undefined;
  // invariant: prevIndex <= applied <= handedOut <= committed <= lastIndex()
  committed: number;
  applied: number;
  /** Highest committed index already given to the host in a Ready (applied once it advances). */
  handedOut: number;
  /** Entries with index <= stableIndex are on the host's disk. */
  stableIndex: number;

  constructor(snapshot: Snapshot | undefined, entries: Entry[], committed: number, applied: number) {
    this.snapshot = snapshot;
    this.prevIndex = snapshot?.meta.index ?? 0;
    this.prevTerm = snapshot?.meta.term ?? 0;
    // Restored entries must continue the snapshot without a gap.
    this.entries = entries.filter((e) => e.index > this.prevIndex);
    this.stableIndex = this.lastIndex();
    this.committed = Math.min(Math.max(committed, this.prevIndex), this.lastIndex());
    this.applied = Math.min(Math.max(applied, this.prevIndex), this.committed);
    this.handedOut = this.applied;
  }

  firstIndex(): number {
    return this.prevIndex + 1;
  }

  lastIndex(): number {
    return this.prevIndex + this.entries.length;
  }

  lastTerm(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].term : this.prevTerm;
  }

  /** Term of the entry at `index`, or undefined when compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index === this.prevIndex) return this.prevTerm;
    if (index < this.prevIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.prevIndex - 1].term;
  }

  entry(index: number): Entry | undefined {
    if (index <= this.prevIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.prevIndex - 1];
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: a candidate's log is at least as up-to-date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /** Leader-side append of new entries at the end. */
  append(entries: Entry[]): number {
    for (const e of entries) this.entries.push(e);
    return this.lastIndex();
  }

  /**
   * Follower-side append (AppendEntries receiver rules 2–5). Returns the index of the last
   * new entry, or null when the log does not contain an entry at prevIndex with prevTerm.
   * Never truncates at or below `committed`: such a request is answered as if it matched up
   * to the committed index (it can only be a stale duplicate under correct Raft).
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, entries: Entry[]): number | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) return null;
      this.truncateAndAppend(entries.slice(conflict - prevIndex - 1));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** First index among `entries` whose term differs from ours or that we lack; 0 if none. */
  private findConflict(entries: Entry[]): number {
    for (const e of entries) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  private truncateAndAppend(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = entries[0].index;
    if (first <= this.prevIndex) return; // already compacted, hence committed and identical
    this.entries.length = first - this.prevIndex - 1;
    for (const e of entries) this.entries.push(e);
    if (this.stableIndex >= first) this.stableIndex = first - 1;
  }

  /**
   * The largest index ≤ `index` whose term is ≤ `term` (used to skip a whole term of
   * conflicting entries in one round trip when a follower rejects an append).
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex());
    while (i > this.prevIndex) {
      const t = this.term(i);
      if (t === undefined || t <= term) break;
      i--;
    }
    return i;
  }

  commitTo(index: number): boolean {
    if (index <= this.committed) return false;
    this.committed = Math.min(index, this.lastIndex());
    return true;
  }

  /** Entries in [lo, hi), limited by count and total data bytes (at least one if any). */
  slice(lo: number, hi: number, maxCount: number, maxBytes: number): Entry[] {
    const out: Entry[] = [];
    let bytes = 0;
    const end = Math.min(hi, this.lastIndex() + 1);
    for (let i = Math.max(lo, this.firstIndex()); i < end; i++) {
      const e = this.entries[i - this.prevIndex - 1];
      bytes += e.data.length;
      if (out.length > 0 && (out.length >= maxCount || bytes > maxBytes)) break;
      out.push(e);
    }
    return out;
  }

  unstableEntries(): Entry[] {
    if (this.stableIndex >= this.lastIndex()) return [];
    return this.entries.slice(Math.max(this.stableIndex, this.prevIndex) - this.prevIndex);
  }

  /** The host persisted entries up to `index` whose term was `term` when handed out. */
  stableTo(index: number, term: number): void {
    if (index > this.stableIndex && this.matchTerm(index, term)) this.stableIndex = index;
  }

  /** Committed entries not yet handed to the host for applying. */
  nextCommitted(): Entry[] {
    // Committed entries not yet stable here are in the same Ready's `entries`, which the host
    // persists before it applies.
    if (this.committed <= this.handedOut) return [];
    return this.entries.slice(this.handedOut - this.prevIndex, this.committed - this.prevIndex);
  }

  /** Install a snapshot received from the leader: the log restarts after it. */
  restore(snapshot: Snapshot): void {
    const { index, term } = snapshot.meta;
    this.entries = [];
    this.prevIndex = index;
    this.prevTerm = term;
    this.snapshot = snapshot;
    this.pendingSnapshot = snapshot;
    this.committed = index;
    this.handedOut = index;
    this.stableIndex = index;
  }

  /** The host applied (or restored) everything up to `index`. */
  appliedTo(index: number): void {
    if (index > this.applied) this.applied = Math.min(index, this.committed);
  }

  /** Keep `snapshot` and drop entries up to `dropThrough` (≤ snapshot index). */
  compact(snapshot: Snapshot, dropThrough: number): void {
    this.snapshot = snapshot;
    const upTo = Math.min(dropThrough, this.applied, this.stableIndex);
    if (upTo <= this.prevIndex) return;
    const t = this.term(upTo)!;
    this.entries = this.entries.slice(upTo - this.prevIndex);
    this.prevIndex = upTo;
    this.prevTerm = t;
  }
}
