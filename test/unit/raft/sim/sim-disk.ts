import type { Entry, HardState, Snapshot } from '../../../../services/raft/types.ts';
import { NONE } from '../../../../services/raft/types.ts';
import { SimViolation } from './violation.ts';

/**
 * What survives a simulated crash: hard state, the latest snapshot and the log. Every write is
 * synchronous and atomic per call, like a synced classic-level batch; anything the host had not
 * written when it crashed is simply never written.
 */
export class SimDisk {
  hardState: HardState = { term: 0, vote: NONE, commit: 0 };
  snapshot: Snapshot | undefined;
  /** Contiguous; may start at or below snapshot index (compaction keeps a tail for followers). */
  entries: Entry[] = [];

  firstIndex(): number {
    return this.entries.length > 0 ? this.entries[0].index : (this.snapshot?.meta.index ?? 0) + 1;
  }

  lastIndex(): number {
    if (this.entries.length > 0) return this.entries[this.entries.length - 1].index;
    return this.snapshot?.meta.index ?? 0;
  }

  /** Term at `index`, from the log or the snapshot boundary; undefined when unknown. */
  term(index: number): number | undefined {
    if (index === 0) return 0;
    const e = this.entry(index);
    if (e) return e.term;
    if (this.snapshot && this.snapshot.meta.index === index) return this.snapshot.meta.term;
    return undefined;
  }

  entry(index: number): Entry | undefined {
    if (this.entries.length === 0) return undefined;
    const i = index - this.entries[0].index;
    return i >= 0 && i < this.entries.length ? this.entries[i] : undefined;
  }

  /** A snapshot from the leader replaces the whole log (Ready step 1). */
  installSnapshot(snap: Snapshot): void {
    if (this.snapshot && snap.meta.index < this.snapshot.meta.index) {
      throw new SimViolation(
        'host-contract',
        `Ready carries snapshot ${snap.meta.index} older than the persisted ${this.snapshot.meta.index}`,
      );
    }
    this.snapshot = snap;
    this.entries = [];
  }

  /** Host-initiated compaction: keep the snapshot, drop entries up to `dropThrough`. */
  compact(snap: Snapshot, dropThrough: number): void {
    if (!this.snapshot || snap.meta.index > this.snapshot.meta.index) this.snapshot = snap;
    this.entries = this.entries.filter((e) => e.index > dropThrough);
  }

  /** Ready's entries: the first entry's index replaces everything from there on. */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    for (let i = 1; i < entries.length; i++) {
      if (entries[i].index !== entries[i - 1].index + 1) {
        throw new SimViolation('host-contract', `Ready entries not contiguous at ${entries[i].index}`);
      }
    }
    const first = entries[0].index;
    const snapIndex = this.snapshot?.meta.index ?? 0;
    if (first <= snapIndex) {
      throw new SimViolation('host-contract', `Ready entry ${first} at or below snapshot ${snapIndex}`);
    }
    if (first > this.lastIndex() + 1) {
      throw new SimViolation('host-contract', `Ready entry ${first} leaves a gap after ${this.lastIndex()}`);
    }
    const keep = this.entries.length > 0 ? first - this.entries[0].index : 0;
    this.entries = this.entries.slice(0, Math.max(0, keep)).concat(entries);
  }

  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  /** Entries after the snapshot, as `RaftRestore.entries` wants them. */
  entriesAfterSnapshot(): Entry[] {
    const snapIndex = this.snapshot?.meta.index ?? 0;
    return this.entries.filter((e) => e.index > snapIndex);
  }
}
