// Best-effort deletion of chunks nothing will refer to: the shards of a write that failed or
// was refused before its manifest was committed, and shards abandoned as stragglers. A chunk
// that cannot be deleted now (its node is down) is left behind; it is garbage no manifest
// names, for a future orphan sweep.
import { status } from '@grpc/grpc-js';
import { DISCARD_CONCURRENCY, DISCARD_TIMEOUT_MS } from './data-path-limits.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';

export interface ChunkRef {
  readonly node: string;
  readonly chunkId: string;
}

export interface DiscardOutcome {
  deleted: number;
  /** Not found (never stored, or already gone). */
  absent: number;
  /** The node could not be asked, or refused. */
  failed: number;
}

/** Deletes every chunk, DISCARD_CONCURRENCY at a time; never throws. */
export async function discardChunks(
  chunks: readonly ChunkRef[], clientOf: (node: string) => ChunkClient | undefined,
): Promise<DiscardOutcome> {
  const outcome: DiscardOutcome = { deleted: 0, absent: 0, failed: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const { node, chunkId } = chunks[next++]!;
      const client = clientOf(node);
      if (!client) {
        outcome.failed++;
        continue;
      }
      try {
        await client.deleteChunk(chunkId, { timeoutMs: DISCARD_TIMEOUT_MS });
        outcome.deleted++;
      } catch (err) {
        if ((err as { code?: number }).code === status.NOT_FOUND) outcome.absent++;
        else outcome.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DISCARD_CONCURRENCY, chunks.length) }, worker));
  return outcome;
}
