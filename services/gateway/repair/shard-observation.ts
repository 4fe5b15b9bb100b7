// What an answer (or failure) from a data node says about one shard, as the planner's
// ShardState. Pure: covers gRPC errors from a remote node, ChunkErrors from an in-process store,
// and the gateway's own "not the shard the manifest records" refusals.
import { status } from '@grpc/grpc-js';
import type { ShardState } from '../../erasure/index.ts';
import { ERROR_CODE_METADATA_KEY } from '../../data/chunk-error-status.ts';
import { ChunkError } from '../../data/chunk-error.ts';
import { ShardReadError } from '../objects/shard-reader.ts';
import { DataNodeState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

/** The ChunkError code a remote node put in the trailer, if any. */
function chunkErrorCode(err: { metadata?: { get(key: string): unknown[] } }): string | undefined {
  const v = err.metadata?.get?.(ERROR_CODE_METADATA_KEY)?.[0];
  return typeof v === 'string' ? v : undefined;
}

export function shardStateOfError(err: unknown): ShardState {
  if (err instanceof ShardReadError) return 'corrupt';
  if (err instanceof ChunkError) {
    if (err.code === 'ChunkNotFound' || err.code === 'ChunkMissing') return 'missing';
    if (err.code === 'ChunkCorrupt') return 'corrupt';
    return 'unreachable';
  }
  const e = err as { code?: number; metadata?: { get(key: string): unknown[] } };
  if (e?.code === status.NOT_FOUND) return 'missing';
  if (e?.code === status.DATA_LOSS) return chunkErrorCode(e) === 'ChunkMissing' ? 'missing' : 'corrupt';
  // Anything else says nothing about the chunk: the node is down, slow, or failing.
  return 'unreachable';
}

/** A stored chunk's reported length and CRC32C against the manifest's: valid or corrupt. */
export function shardStateOfInfo(info: { length: bigint | number; crc32c: number }, expected: { length: number; crc32c: number }): ShardState {
  return Number(info.length) === expected.length && info.crc32c >>> 0 === expected.crc32c >>> 0 ? 'valid' : 'corrupt';
}

/** The state of a shard whose node the map lists as `state` (or not at all), before asking it. */
export function shardStateOfNode(state: DataNodeState | undefined): ShardState | undefined {
  if (state === undefined) return 'node-unknown';
  if (state === DataNodeState.DOWN) return 'node-down';
  return undefined;
}
