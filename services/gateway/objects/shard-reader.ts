// Reads a byte range of one shard's chunk from its data node, and refuses anything that does
// not match the manifest: the chunk's recorded length and CRC32C (the node reports both with
// the first frame, so even a range read catches a wrong chunk), the exact bytes asked for, and
// for a whole-shard read the CRC32C of the bytes themselves. The node verifies every 64 KiB
// block before sending it, so a range read of a rotten chunk fails rather than lies.
import { status } from '@grpc/grpc-js';
import { crc32c } from '@node-rs/crc32';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import { SHARD_READ_TIMEOUT_MS } from './data-path-limits.ts';
import type { ShardReader } from './stripe-fetch.ts';
import type { ShardSource } from './shard-choice.ts';

export class ShardReadError extends Error {
  override readonly name = 'ShardReadError';
}

export interface ShardReaderOptions {
  /** The client of a node, or undefined when the placement map (read again if need be) does not know it. */
  clientOf(node: string): ChunkClient | undefined | Promise<ChunkClient | undefined>;
  /** Called when a node looks unreachable (not for a missing or bad chunk). */
  nodeFailed(node: string): void;
  timeoutMs?: number;
}

/** Network trouble, as opposed to an answer about the chunk. */
const UNREACHABLE = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

export function createShardReader(o: ShardReaderOptions): ShardReader {
  const timeoutMs = o.timeoutMs ?? SHARD_READ_TIMEOUT_MS;
  return {
    async read(source, offset, length, shardLength, signal) {
      signal.throwIfAborted();
      const client = await o.clientOf(source.node);
      if (!client) throw new ShardReadError(`node ${source.node} is not in the placement map`);
      const download = client.getChunk(source.chunkId, { offset, length }, { timeoutMs });
      const cancel = (): void => download.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        const out = Buffer.allocUnsafe(length);
        let at = 0;
        for await (const frame of download.frames()) {
          if (frame.offset !== offset + at || at + frame.data.length > length) {
            throw new ShardReadError(`chunk ${source.chunkId} on ${source.node}: frame at ${frame.offset} out of order`);
          }
          out.set(frame.data, at);
          at += frame.data.length;
        }
        // Already settled by the first frame when there was one.
        const info = await Promise.race([download.info(), Promise.resolve(undefined)]);
        if (!info || Number(info.length) !== shardLength || info.crc32c !== source.crc32c || at !== length) {
          throw new ShardReadError(`chunk ${source.chunkId} on ${source.node} is not the shard the manifest records ` +
            `(length ${info?.length}/${shardLength}, crc32c ${info?.crc32c}/${source.crc32c}, read ${at}/${length})`);
        }
        if (length === shardLength && crc32c(out) !== source.crc32c) {
          throw new ShardReadError(`chunk ${source.chunkId} on ${source.node}: CRC32C mismatch`);
        }
        return out;
      } catch (err) {
        download.cancel();
        if (UNREACHABLE.has((err as { code?: number }).code ?? -1)) o.nodeFailed(source.node);
        throw err;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
  };
}
