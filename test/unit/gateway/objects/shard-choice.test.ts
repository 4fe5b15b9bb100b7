import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeOrder, directSources, type NodeRank, replicaOrder, type ShardSource,
} from '../../../../services/gateway/objects/shard-choice.ts';
import { propertyParams } from './memory-cluster.ts';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
/** RS(6,3): shard i in zone i mod 3 on node n<i>. */
const rsShards: ShardSource[] = Array.from({ length: 9 }, (_, i) => ({
  index: i, node: `n${i}`, zone: ZONES[i % 3]!, chunkId: `c${i}`, crc32c: i,
}));
const healthy = (): NodeRank => 0;

test('RS with healthy nodes reads the needed data shards directly', () => {
  const pref = { localZone: 'zone-b', rank: healthy };
  assert.deepEqual(directSources(rsShards, [2, 3, 4], pref)?.map((s) => s.index), [2, 3, 4]);
});

test('a needed data shard on a down node, or absent, means decoding', () => {
  const down = (node: string): NodeRank => (node === 'n3' ? 1 : 0);
  assert.equal(directSources(rsShards, [2, 3], { localZone: 'zone-a', rank: down }), null);
  assert.equal(directSources(rsShards.filter((s) => s.index !== 2), [2, 3], { localZone: 'zone-a', rank: healthy }), null);
});

test('decode order: healthy first, then needed data shards, then own zone, then index', () => {
  const rank = (node: string): NodeRank => (node === 'n3' ? 1 : node === 'n5' ? 2 : 0);
  const order = decodeOrder(rsShards.filter((s) => s.index !== 2), [2, 3, 4], { localZone: 'zone-c', rank }).map((s) => s.index);
  // 4 is needed and healthy; then own zone (c: 8); then the rest by index; n3 (down) and n5 (unknown) last.
  assert.deepEqual(order, [4, 8, 0, 1, 6, 7, 3, 5]);
});

test('replicas: healthy before unhealthy, own zone first', () => {
  const copies = rsShards.slice(0, 3);
  assert.deepEqual(replicaOrder(copies, { localZone: 'zone-c', rank: healthy }).map((s) => s.zone), ['zone-c', 'zone-a', 'zone-b']);
  const rank = (node: string): NodeRank => (node === 'n2' ? 1 : 0);
  assert.deepEqual(replicaOrder(copies, { localZone: 'zone-c', rank }).map((s) => s.zone), ['zone-a', 'zone-b', 'zone-c']);
});

test('orders are permutations of the shards, with every healthy shard before every unhealthy one', () => {
  const arb = fc.record({
    present: fc.subarray(rsShards, { minLength: 0 }),
    ranks: fc.array(fc.constantFrom<NodeRank>(0, 1, 2), { minLength: 9, maxLength: 9 }),
    local: fc.constantFrom(...ZONES),
    needed: fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }),
  });
  fc.assert(fc.property(arb, ({ present, ranks, local, needed }) => {
    const rank = (node: string): NodeRank => ranks[Number(node.slice(1))]!;
    const order = decodeOrder(present, needed, { localZone: local, rank });
    assert.deepEqual([...order].sort((a, b) => a.index - b.index), [...present].sort((a, b) => a.index - b.index));
    for (let i = 1; i < order.length; i++) assert.ok(rank(order[i - 1]!.node) <= rank(order[i]!.node));
    const direct = directSources(present, needed, { localZone: local, rank });
    if (direct) {
      assert.deepEqual(direct.map((s) => s.index), needed);
      assert.ok(direct.every((s) => rank(s.node) === 0));
    } else {
      assert.ok(needed.some((i) => !present.some((s) => s.index === i && rank(s.node) === 0)));
    }
  }), propertyParams(300));
});
