// The pure pieces of repair: what a node's answer says about a shard, a part's stripes and shard
// lengths from its records, rebuilding shards from others (RS and replicas, failed sources
// skipped), and the task limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { crc32c } from '@node-rs/crc32';
import { ManifestPartSchema, DataNodeState, SchemeSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { ChunkError } from '../../../../services/data/chunk-error.ts';
import { ERROR_CODE_METADATA_KEY } from '../../../../services/data/chunk-error-status.ts';
import { ReedSolomon, splitStripe, stripeAt } from '../../../../services/erasure/index.ts';
import { ShardReadError } from '../../../../services/gateway/objects/shard-reader.ts';
import type { ShardSource } from '../../../../services/gateway/objects/shard-choice.ts';
import { shardStateOfError, shardStateOfInfo, shardStateOfNode } from '../../../../services/gateway/repair/shard-observation.ts';
import { storedPart } from '../../../../services/gateway/repair/stored-data.ts';
import { StripeRebuildError, rebuildShards, sourceOrder } from '../../../../services/gateway/repair/stripe-rebuild.ts';
import { TaskLimit } from '../../../../services/gateway/repair/task-limit.ts';

function grpcError(code: grpc.status, chunkCode?: string) {
  const metadata = new grpc.Metadata();
  if (chunkCode) metadata.set(ERROR_CODE_METADATA_KEY, chunkCode);
  return Object.assign(new Error('x'), { code, details: 'x', metadata });
}

test('node answers become shard states: missing, corrupt, or unreachable when they say nothing about the chunk', () => {
  assert.equal(shardStateOfError(grpcError(grpc.status.NOT_FOUND, 'ChunkNotFound')), 'missing');
  assert.equal(shardStateOfError(grpcError(grpc.status.DATA_LOSS, 'ChunkMissing')), 'missing');
  assert.equal(shardStateOfError(grpcError(grpc.status.DATA_LOSS, 'ChunkCorrupt')), 'corrupt');
  assert.equal(shardStateOfError(grpcError(grpc.status.UNAVAILABLE)), 'unreachable');
  assert.equal(shardStateOfError(grpcError(grpc.status.DEADLINE_EXCEEDED)), 'unreachable');
  assert.equal(shardStateOfError(new ChunkError('ChunkNotFound', 'x')), 'missing');
  assert.equal(shardStateOfError(new ChunkError('ChunkMissing', 'x')), 'missing');
  assert.equal(shardStateOfError(new ChunkError('ChunkCorrupt', 'x')), 'corrupt');
  assert.equal(shardStateOfError(new ChunkError('StoreClosed', 'x')), 'unreachable');
  assert.equal(shardStateOfError(new ShardReadError('not the shard the manifest records')), 'corrupt');
  assert.equal(shardStateOfInfo({ length: 10n, crc32c: 5 }, { length: 10, crc32c: 5 }), 'valid');
  assert.equal(shardStateOfInfo({ length: 11n, crc32c: 5 }, { length: 10, crc32c: 5 }), 'corrupt');
  assert.equal(shardStateOfInfo({ length: 10n, crc32c: 6 }, { length: 10, crc32c: 5 }), 'corrupt');
  assert.equal(shardStateOfNode(undefined), 'node-unknown');
  assert.equal(shardStateOfNode(DataNodeState.DOWN), 'node-down');
  assert.equal(shardStateOfNode(DataNodeState.UP), undefined);
  assert.equal(shardStateOfNode(DataNodeState.DRAINING), undefined, 'draining nodes still answer');
});

const rs63 = create(SchemeSchema, { kind: { case: 'erasure', value: { dataShards: 6, parityShards: 3 } } });
const rep3 = create(SchemeSchema, { kind: { case: 'replica', value: { copies: 3 } } });

test('a part\'s stripes get their shard lengths from its own coding, or the manifest\'s', () => {
  const stripes = (n: number) => Array.from({ length: n }, () => ({ size: 0n, shards: [] }));
  const rs = storedPart(create(ManifestPartSchema, { number: 1, size: 6n * 1024n * 1024n + 600n, stripes: stripes(2) }), { scheme: rs63, blockSize: 6n * 1024n * 1024n });
  assert.equal(rs.scheme.kind, 'erasure');
  assert.deepEqual(rs.stripes.map((s) => s.shardLength), [1024 * 1024, 100]);
  // A part written as replicas (its own scheme) inside an RS manifest.
  const own = storedPart(create(ManifestPartSchema, { number: 2, size: 5000n, stripes: stripes(1), scheme: rep3, blockSize: 4n * 1024n * 1024n }), { scheme: rs63, blockSize: 6n * 1024n * 1024n });
  assert.deepEqual([own.scheme.kind, own.stripes[0]!.shardLength], ['replica', 5000]);
  assert.throws(() => storedPart(create(ManifestPartSchema, { number: 3, size: 10n, stripes: stripes(2) }), { scheme: rep3, blockSize: 1024n }), /2 stripes recorded, 1/);
  assert.deepEqual(storedPart(create(ManifestPartSchema, { number: 4, size: 0n }), { scheme: rep3, blockSize: 1024n }).stripes, []);
});

/** A reader over in-memory shards; `fail` indices reject like a bad or unreachable chunk. */
function memoryReader(shards: Uint8Array[], fail: Set<number>, reads: number[] = []) {
  return {
    async read(source: ShardSource, offset: number, length: number) {
      reads.push(source.index);
      if (fail.has(source.index)) throw new ShardReadError(`shard ${source.index} is bad`);
      return shards[source.index]!.subarray(offset, offset + length);
    },
  };
}

function rsStripe() {
  const data = new Uint8Array(6 * 1000 - 17).map((_, i) => (i * 31 + 7) & 0xff);
  const layout = { dataShards: 6, shardSize: 1000 };
  const stripe = stripeAt(data.length, layout, 0);
  const dataShards = splitStripe(data, stripe, layout);
  const rs = new ReedSolomon(6, 3);
  const all = [...dataShards, ...rs.encode(dataShards)];
  const sources: ShardSource[] = all.map((s, index) => ({ index, node: `n${index}`, zone: `zone-${index % 3}`, chunkId: `c${index}`, crc32c: crc32c(s) }));
  return { all, sources, shardLength: stripe.shardLength, rs };
}

test('RS shards are rebuilt from any six readable others, own zone first, failed sources skipped', async () => {
  const { all, sources, shardLength, rs } = rsStripe();
  const reads: number[] = [];
  const ctx = { reader: memoryReader(all, new Set([0]), reads), codec: () => rs, localZone: 'zone-1', signal: new AbortController().signal };
  const out = await rebuildShards(ctx, { kind: 'erasure', dataShards: 6, parityShards: 3 }, shardLength, sources.filter((s) => s.index !== 2 && s.index !== 7), [2, 7]);
  assert.deepEqual(out.get(2), all[2]);
  assert.deepEqual(out.get(7), all[7]);
  assert.deepEqual(reads.slice(0, 2), [1, 4], 'zone-1 sources first');
  await assert.rejects(rebuildShards({ ...ctx, reader: memoryReader(all, new Set([0, 1, 3, 4])) }, { kind: 'erasure', dataShards: 6, parityShards: 3 },
    shardLength, sources.filter((s) => s.index !== 2), [2]), StripeRebuildError);
});

test('a replica is copied from the first readable copy; sources are ordered own zone first, then by index', async () => {
  const copy = new Uint8Array([1, 2, 3]);
  const sources: ShardSource[] = [0, 1].map((index) => ({ index, node: `n${index}`, zone: `zone-${index}`, chunkId: `c${index}`, crc32c: crc32c(copy) }));
  const ctx = { reader: memoryReader([copy, copy], new Set([1])), codec: () => { throw new Error('no codec for replicas'); }, localZone: 'zone-1', signal: new AbortController().signal };
  const out = await rebuildShards(ctx, { kind: 'replica', copies: 3 }, 3, sources, [2]);
  assert.deepEqual(out.get(2), copy);
  assert.deepEqual(sourceOrder(sources, 'zone-1').map((s) => s.index), [1, 0]);
});

test('TaskLimit runs at most N at once, in order', async () => {
  const limit = new TaskLimit(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(Array.from({ length: 6 }, (_, i) => limit.run(async () => {
    running++;
    peak = Math.max(peak, running);
    order.push(i);
    await new Promise((r) => setTimeout(r, 5));
    running--;
  })));
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  assert.throws(() => new TaskLimit(0));
});
