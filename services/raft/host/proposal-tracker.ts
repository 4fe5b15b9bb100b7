// Proposals waiting to be applied, by log index. A proposal is answered by the entry at its
// index: the same term means it is our entry (resolve with the apply result), a different
// term means a new leader replaced it (reject). Time limits catch everything else.
import type { Entry } from '../types.ts';
import { RaftHostError } from './raft-host-error.ts';

interface Waiter<R> {
  term: number;
  deadline: number;
  resolve(result: R): void;
  reject(err: Error): void;
}

export class ProposalTracker<R> {
  // Insertion order is proposal order, hence (nearly) deadline order: expiry scans a prefix.
  private readonly byIndex = new Map<number, Waiter<R>>();

  get size(): number {
    return this.byIndex.size;
  }

  add(index: number, term: number, deadline: number, resolve: (r: R) => void, reject: (e: Error) => void): void {
    // An older waiter at this index lost its entry to a truncation we have not seen yet.
    const old = this.byIndex.get(index);
    if (old) {
      this.byIndex.delete(index);
      old.reject(new RaftHostError('ProposalDropped', `entry ${index} was replaced`));
    }
    this.byIndex.set(index, { term, deadline, resolve, reject });
  }

  /** The entry at `entry.index` was applied with `result` (undefined for skipped entries). */
  applied(entry: Entry, result: R | undefined): void {
    const w = this.byIndex.get(entry.index);
    if (!w) return;
    this.byIndex.delete(entry.index);
    if (w.term === entry.term) w.resolve(result as R);
    else w.reject(new RaftHostError('ProposalDropped', `entry ${entry.index} of term ${w.term} was replaced by term ${entry.term}`));
  }

  /** The log was rewritten from `entries[0].index`: reject waiters whose entry changed or vanished. */
  truncated(entries: Entry[]): void {
    if (this.byIndex.size === 0 || entries.length === 0) return;
    const first = entries[0]!.index;
    const last = entries[entries.length - 1]!.index;
    for (const [index, w] of this.byIndex) {
      if (index < first) continue;
      const e = index <= last ? entries[index - first] : undefined;
      if (e && e.term === w.term) continue;
      this.byIndex.delete(index);
      w.reject(new RaftHostError('ProposalDropped', `entry ${index} of term ${w.term} was replaced`));
    }
  }

  /** A snapshot from the leader covers everything up to `index`: those outcomes are unknown here. */
  coveredBySnapshot(index: number): void {
    for (const [i, w] of this.byIndex) {
      if (i > index) continue;
      this.byIndex.delete(i);
      w.reject(new RaftHostError('ProposalOutcomeUnknown', `entry ${i} was compacted into a snapshot before it applied here`));
    }
  }

  expire(now: number): void {
    for (const [index, w] of this.byIndex) {
      if (w.deadline > now) break;
      this.byIndex.delete(index);
      w.reject(new RaftHostError('ProposalTimeout', `entry ${index} not applied in time; it may still apply`));
    }
  }

  rejectAll(err: Error): void {
    const all = [...this.byIndex.values()];
    this.byIndex.clear();
    for (const w of all) w.reject(err);
  }
}
