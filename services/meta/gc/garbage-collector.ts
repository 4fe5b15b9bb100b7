// Background deletion of chunks that no committed record refers to. The queue (g/) is filled
// by apply, so nothing is ever queued before its command committed. Only the leader collects
// (one collector per cluster); an item is acknowledged through Raft once all its chunks are
// gone. Items wait a grace period first, so a reader that fetched a manifest just before an
// overwrite can still read the old chunks.
import type { Logger } from 'pino';
import type { GarbageItem } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MAX_LIST_GARBAGE } from '../limits.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import type { ChunkDeleter } from './chunk-deleter.ts';
import { listGarbage } from './garbage-queue.ts';

export interface GarbageCollectorOptions {
  /** Pause between collection rounds. */
  intervalMs: number;
  /** How long an item waits after it was queued (leader time) before its chunks are deleted. */
  graceMs: number;
  /** Items looked at per round. */
  batchItems: number;
}

export const GC_DEFAULTS: GarbageCollectorOptions = {
  intervalMs: 1_000,
  graceMs: 30_000,
  batchItems: 100,
};

export interface GarbageCollectorDeps {
  store: MetaStateStore;
  deleter: ChunkDeleter;
  isLeader(): boolean;
  /** Commits the removal of these items (through Raft). */
  acknowledge(ids: string[]): Promise<void>;
  now?: () => number;
  log: Logger;
}

export class GarbageCollector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private readonly opts: GarbageCollectorOptions;
  /** Chunks deleted and items acknowledged since start (for status and tests). */
  readonly stats = { rounds: 0, chunksDeleted: 0, itemsAcknowledged: 0, failures: 0 };

  constructor(private readonly deps: GarbageCollectorDeps, opts: Partial<GarbageCollectorOptions> = {}) {
    this.opts = { ...GC_DEFAULTS, ...opts, batchItems: Math.min(opts.batchItems ?? GC_DEFAULTS.batchItems, MAX_LIST_GARBAGE) };
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce().catch((err: unknown) => {
        this.stats.failures++;
        this.deps.log.warn({ err: (err as Error).message }, 'garbage collection round failed');
      }).finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.intervalMs);
      });
    };
    this.timer = setTimeout(tick, this.opts.intervalMs);
  }

  /** One round: delete the chunks of every item past its grace period, then acknowledge them. */
  async runOnce(): Promise<number> {
    if (!this.deps.isLeader()) return 0;
    this.stats.rounds++;
    const now = (this.deps.now ?? Date.now)();
    const items = await listGarbage(this.deps.store, this.opts.batchItems);
    const due = items.filter((i) => Number(i.enqueuedMs) + this.opts.graceMs <= now);
    const done: string[] = [];
    for (const item of due) {
      if (this.stopped || !this.deps.isLeader()) break;
      if (await this.collect(item)) done.push(item.id);
    }
    if (done.length > 0) {
      await this.deps.acknowledge(done);
      this.stats.itemsAcknowledged += done.length;
    }
    return done.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async collect(item: GarbageItem): Promise<boolean> {
    const { failed } = await this.deps.deleter.deleteChunks(item.chunks);
    this.stats.chunksDeleted += item.chunks.length - failed.length;
    if (failed.length > 0) {
      this.deps.log.info({ item: item.id, failed: failed.length }, 'some chunks could not be deleted yet; will retry');
      return false;
    }
    return true;
  }
}
