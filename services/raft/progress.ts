import type { NodeId } from './types.ts';

export enum ProgressState {
  /** Unknown match: one append in flight at a time until the follower answers. */
  Probe = 'probe',
  /** Known match: appends are pipelined optimistically, bounded by `inflights`. */
  Replicate = 'replicate',
  /** Follower needs the snapshot; appends pause until it is installed. */
  Snapshot = 'snapshot',
}

/** Bounded window of un-acknowledged append messages (their last indexes, ascending). */
export class Inflights {
  private items: number[] = [];
  constructor(readonly capacity: number) {}

  full(): boolean {
    return this.items.length >= this.capacity;
  }

  count(): number {
    return this.items.length;
  }

  add(lastIndex: number): void {
    this.items.push(lastIndex);
  }

  /** Release every message whose last index is ≤ `index` (acknowledged). */
  freeLE(index: number): void {
    let n = 0;
    while (n < this.items.length && this.items[n] <= index) n++;
    if (n > 0) this.items.splice(0, n);
  }

  freeFirst(): void {
    this.items.shift();
  }

  reset(): void {
    this.items = [];
  }
}

/** The leader's view of one follower. */
export class Progress {
  // invariant: match < next
  match = 0;
  next: number;
  state = ProgressState.Probe;
  /** Probe state: an append is outstanding; wait for its answer or a heartbeat reply. */
  probeSent = false;
  /** Snapshot state: the index of the snapshot being installed. */
  pendingSnapshot = 0;
  /** Ticks spent in Snapshot state, so a lost snapshot is retried. */
  snapshotTicks = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(readonly id: NodeId, next: number, maxInflight: number, public isLearner: boolean) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  becomeProbe(): void {
    if (this.state === ProgressState.Snapshot) {
      this.next = Math.max(this.match + 1, this.pendingSnapshot + 1);
    } else {
      this.next = this.match + 1;
    }
    this.reset(ProgressState.Probe);
  }

  becomeReplicate(): void {
    this.next = this.match + 1;
    this.reset(ProgressState.Replicate);
  }

  becomeSnapshot(index: number): void {
    this.reset(ProgressState.Snapshot);
    this.pendingSnapshot = index;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  /** An append was acknowledged up to `index`. Returns false when it taught us nothing. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * An append at `rejected` was refused; `hint` is the highest index that may match.
   * Returns false for a stale rejection (one that answers an append we no longer care about).
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === ProgressState.Replicate) {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  /** Optimistically account for an append ending at `lastIndex`. */
  sentEntries(lastIndex: number): void {
    if (this.state === ProgressState.Replicate) {
      this.next = lastIndex + 1;
      this.inflights.add(lastIndex);
    } else if (this.state === ProgressState.Probe) {
      this.probeSent = true;
    }
  }

  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.Probe:
        return this.probeSent;
      case ProgressState.Replicate:
        return this.inflights.full();
      case ProgressState.Snapshot:
        return true;
    }
  }
}
