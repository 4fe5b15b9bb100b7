// Asking data nodes about every shard of one stored object: each shard's state for the
// planner. A shard on a node the map marks DOWN, or does not list, is judged without a call.
// With `statChunk` the node reads and checks the chunk itself and answers only its length and
// CRC32C (nothing shipped); a client without it (an in-process wrapper) is read whole through
// the data path's shard reader, which checks the same things.
import type { ObservedShard, ShardState } from '../../erasure/index.ts';
import type { Shard } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import type { NodeEntry } from '../objects/placement-snapshot.ts';
import { createShardReader } from '../objects/shard-reader.ts';
import { shardStateOfError, shardStateOfInfo, shardStateOfNode } from './shard-observation.ts';
import type { StoredData } from './stored-data.ts';
import type { TaskLimit } from './task-limit.ts';

export interface ShardCheckContext {
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  clientOf(address: string): ChunkClient;
  /** Read whole chunks (default) rather than only consult the node's index. */
  readonly verify: boolean;
  readonly timeoutMs: number;
  readonly limit: TaskLimit;
  readonly signal?: AbortSignal;
  /** Which shards to ask about; the others are `unchecked`. Default: all. */
  shouldCheck?(shard: Shard): boolean;
}

export interface StripeObservation {
  /** Index of the part in StoredData.parts. */
  readonly partIndex: number;
  readonly stripe: number;
  readonly shards: ReadonlyArray<ObservedShard & { readonly record: Shard }>;
}

export async function checkShard(ctx: ShardCheckContext, shard: Shard, shardLength: number): Promise<ShardState> {
  const entry = ctx.nodes.get(shard.node);
  const judged = shardStateOfNode(entry?.state);
  if (judged !== undefined) return judged;
  try {
    const client = ctx.clientOf(entry!.address);
    if (client.statChunk) {
      const info = await client.statChunk(shard.chunkId, ctx.verify, { timeoutMs: ctx.timeoutMs });
      return shardStateOfInfo(info, { length: shardLength, crc32c: shard.crc32c });
    }
    const reader = createShardReader({ clientOf: () => client, nodeFailed: () => {}, timeoutMs: ctx.timeoutMs });
    const source = { index: shard.index, node: shard.node, zone: shard.zone, chunkId: shard.chunkId, crc32c: shard.crc32c };
    await reader.read(source, 0, shardLength, shardLength, ctx.signal ?? new AbortController().signal);
    return 'valid';
  } catch (err) {
    ctx.signal?.throwIfAborted();
    return shardStateOfError(err);
  }
}

/** Every stripe of `data` with the state of each of its recorded shards. */
export async function observeStoredData(ctx: ShardCheckContext, data: StoredData): Promise<StripeObservation[]> {
  const out: StripeObservation[] = [];
  const checks: Promise<void>[] = [];
  data.parts.forEach((part, partIndex) => {
    for (const stripe of part.stripes) {
      const shards: Array<{ -readonly [K in keyof ObservedShard]: ObservedShard[K] } & { record: Shard }> = stripe.record.shards.map((record) => ({
        index: record.index, node: record.node, zone: record.zone, state: 'unchecked', record,
      }));
      for (const s of shards) {
        if (ctx.shouldCheck && !ctx.shouldCheck(s.record)) continue;
        checks.push(ctx.limit.run(async () => {
          s.state = await checkShard(ctx, s.record, stripe.shardLength);
        }));
      }
      out.push({ partIndex, stripe: stripe.index, shards });
    }
  });
  await Promise.all(checks);
  return out;
}
