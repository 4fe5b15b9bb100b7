// Writes one stripe's shards in parallel, each as a fresh chunk, and settles when the stripe
// may be acknowledged or certainly cannot be. A failed shard is retried once on another node
// of its zone (StripeWriteProgress decides where). Every attempt is bounded by the shard
// timeout; once the shards stored meet the acknowledgement rule, the rest get
// STRAGGLER_GRACE_MS and are then abandoned: left out of the manifest and their chunks
// deleted, so a stalled node delays a write by seconds, not a timeout per stripe.
import type { PlacementMap, StorageScheme } from '../../erasure/index.ts';
import { StoreError } from '../errors/store-error.ts';
import type { ChunkRef } from './chunk-discard.ts';
import { newChunkId } from './chunk-naming.ts';
import { STRAGGLER_GRACE_MS } from './data-path-limits.ts';
import type { NodeEntry } from './placement-snapshot.ts';
import { type ShardTarget, StripeWriteProgress } from './stripe-write-progress.ts';

/** The I/O a stripe writer needs: the data path's clients, suspicion and clean-up. */
export interface ShardStore {
  /** Stores `bytes` as a new chunk on `node`; rejects on any failure, or when `signal` aborts. */
  put(node: NodeEntry, chunkId: string, bytes: Uint8Array, crc32c: number, signal: AbortSignal): Promise<void>;
  nodeFailed(node: string): void;
  nodeSucceeded(node: string): void;
  /** Deletes, in the background, a chunk that nothing will refer to. */
  discardLater(chunk: ChunkRef): void;
}

/** A chunk this write tried to create; `settled` resolves when its put is over either way. */
export interface ChunkAttempt extends ChunkRef {
  readonly settled: Promise<void>;
}

/** A stored shard, as the manifest's Shard records it. */
export interface WrittenShard {
  readonly index: number;
  readonly node: string;
  readonly zone: string;
  readonly chunkId: string;
  readonly crc32c: number;
  readonly size: number;
  readonly fallback: boolean;
}

export interface StripeWriteRequest {
  readonly map: PlacementMap;
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  readonly scheme: StorageScheme;
  /** Seeds placement: the same for every stripe of one write. */
  readonly placementKey: string;
  /** The stripe's index in the write (placement rotates zones by it). */
  readonly stripe: number;
  /** k + m shards, or one buffer per copy. */
  readonly shards: readonly Uint8Array[];
  readonly crcs: readonly number[];
  /** Aborts the whole write. */
  readonly signal: AbortSignal;
  /** Every chunk attempted is appended here, so a refused write can delete them all. */
  readonly attempts: ChunkAttempt[];
  /** STRAGGLER_GRACE_MS unless given (tests). */
  readonly graceMs?: number;
}

export function writeStripe(store: ShardStore, req: StripeWriteRequest): Promise<WrittenShard[]> {
  const progress = new StripeWriteProgress(req.map, req.scheme, req.placementKey, req.stripe);
  const written: WrittenShard[] = [];
  const running = new Map<ShardTarget, AbortController>();
  let grace: NodeJS.Timeout | undefined;
  let done = false;

  return new Promise<WrittenShard[]>((resolve, reject) => {
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      req.signal.removeEventListener('abort', finish);
      for (const ctl of running.values()) ctl.abort();
      if (req.signal.aborted) return reject(req.signal.reason);
      const decision = progress.decision();
      if (decision.acknowledged) return resolve(written.sort((a, b) => a.index - b.index));
      reject(new StoreError('ServiceUnavailable',
        `stripe ${req.stripe}: shards outside ${decision.zone} are ${decision.shardsOutsideZone}, ` +
        `${decision.needed} are needed to survive losing that zone; the write is refused`));
    };

    const check = (): void => {
      if (done) return;
      if (progress.settled) return finish();
      if (grace === undefined && progress.decision().acknowledged) grace = setTimeout(finish, req.graceMs ?? STRAGGLER_GRACE_MS);
    };

    const launch = (target: ShardTarget): void => {
      const node = req.nodes.get(target.node)!;
      const chunkId = newChunkId();
      const bytes = req.shards[target.shard]!;
      const crc32c = req.crcs[target.shard]!;
      const ctl = new AbortController();
      running.set(target, ctl);
      const put = store.put(node, chunkId, bytes, crc32c, ctl.signal);
      req.attempts.push({ node: target.node, chunkId, settled: put.then(() => {}, () => {}) });
      put.then(() => {
        running.delete(target);
        store.nodeSucceeded(target.node);
        if (done) {
          store.discardLater({ node: target.node, chunkId });
          return;
        }
        progress.succeeded(target);
        written.push({
          index: target.shard, node: target.node, zone: target.zone, chunkId, crc32c, size: bytes.length, fallback: target.fallback,
        });
        check();
      }, () => {
        running.delete(target);
        // Our own abort (the write gave up on it) says nothing about the node.
        if (ctl.signal.aborted) {
          store.discardLater({ node: target.node, chunkId });
          return;
        }
        store.nodeFailed(target.node);
        if (done) return;
        const retry = progress.failed(target);
        if (retry) launch(retry);
        check();
      });
    };

    if (req.signal.aborted) return reject(req.signal.reason);
    req.signal.addEventListener('abort', finish, { once: true });
    for (const target of progress.first) launch(target);
    check();
  });
}
