import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { placeStripe, type StripePlacement } from '../../../services/erasure/placement.ts';
import { type PlacementMap, uniformPlacementMap, withNodeHealth } from '../../../services/erasure/placement-map.ts';
import { DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, type StorageScheme } from '../../../services/erasure/storage-scheme.ts';

/** The bar: over 100k objects no node carries more than 1.1× the mean. */
const SPREAD_OBJECTS = 100_000;
const MAX_LOAD_OVER_MEAN = 1.1;

function countShards(map: PlacementMap, scheme: StorageScheme, objects: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const z of map.zones) for (const n of z.nodes) counts.set(n.id, 0);
  for (let i = 0; i < objects; i++) {
    for (const s of placeStripe(map, scheme, `bucket/object-${i}`, i % 3).shards) {
      if (s.node) counts.set(s.node, counts.get(s.node)! + 1);
    }
  }
  return counts;
}

function assertEvenSpread(counts: Map<string, number>, nodes: readonly string[], label: string): void {
  const loads = nodes.map((n) => counts.get(n)!);
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
  const max = Math.max(...loads);
  assert.ok(max <= MAX_LOAD_OVER_MEAN * mean, `${label}: max ${max} > ${MAX_LOAD_OVER_MEAN} × mean ${mean.toFixed(0)} (${loads})`);
}

function zoneOf(map: PlacementMap, node: string): string {
  return map.zones.find((z) => z.nodes.some((n) => n.id === node))!.id;
}

test('RS(6,3) on 3 zones × 3 nodes puts three shards in each zone, on three distinct nodes', () => {
  const map = uniformPlacementMap();
  for (let i = 0; i < 1000; i++) {
    const p = placeStripe(map, DEFAULT_ERASURE_SCHEME, `o${i}`, 0);
    assert.deepEqual(p.shards.map((s) => s.shard), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const zone of map.zones) {
      const here = p.shards.filter((s) => s.zone === zone.id);
      assert.equal(here.length, 3);
      assert.equal(new Set(here.map((s) => s.node)).size, 3);
      for (const s of here) assert.equal(zoneOf(map, s.node!), zone.id);
    }
    assert.ok(p.shards.every((s) => !s.fallback && s.node === s.homeNode));
  }
});

test('three replicas go one to each zone', () => {
  const map = uniformPlacementMap();
  for (let i = 0; i < 1000; i++) {
    const zones = placeStripe(map, DEFAULT_REPLICA_SCHEME, `o${i}`, 0).shards.map((s) => s.zone);
    assert.deepEqual([...zones].sort(), ['zone-a', 'zone-b', 'zone-c']);
  }
});

test(`load over ${SPREAD_OBJECTS} objects: no node above ${MAX_LOAD_OVER_MEAN}× the mean`, () => {
  const cases: [string, PlacementMap, StorageScheme][] = [
    ['RS(6,3) on 3×3', uniformPlacementMap(3, 3), DEFAULT_ERASURE_SCHEME],
    ['RS(6,3) on 3×5', uniformPlacementMap(3, 5), DEFAULT_ERASURE_SCHEME],
    ['RS(4,2) on 3×4', uniformPlacementMap(3, 4), { kind: 'erasure', dataShards: 4, parityShards: 2 }],
    ['REPLICA(3) on 3×3', uniformPlacementMap(3, 3), DEFAULT_REPLICA_SCHEME],
    ['REPLICA(3) on 3×7', uniformPlacementMap(3, 7), DEFAULT_REPLICA_SCHEME],
  ];
  for (const [label, map, scheme] of cases) {
    const counts = countShards(map, scheme, SPREAD_OBJECTS);
    assertEvenSpread(counts, [...counts.keys()], label);
  }
});

test('with a node down its shards spread evenly over the rest of its zone, never to another zone', () => {
  const all = uniformPlacementMap(3, 4);
  const map = withNodeHealth(all, 'down', ['zone-b-node-2']);
  const counts = countShards(map, DEFAULT_ERASURE_SCHEME, SPREAD_OBJECTS / 2);
  assert.equal(counts.get('zone-b-node-2'), 0);
  for (const zone of map.zones) {
    assertEvenSpread(counts, zone.nodes.filter((n) => n.health === 'up').map((n) => n.id), zone.id);
  }
});

test('a shard whose home node is down falls back within the zone and is marked; the others stay put', () => {
  const all = uniformPlacementMap();
  const down = 'zone-a-node-1';
  const map = withNodeHealth(all, 'down', [down]);
  let fallbacks = 0;
  for (let i = 0; i < 2000; i++) {
    const before = placeStripe(all, DEFAULT_ERASURE_SCHEME, `o${i}`, 1);
    const after = placeStripe(map, DEFAULT_ERASURE_SCHEME, `o${i}`, 1);
    after.shards.forEach((s, j) => {
      assert.equal(s.homeNode, before.shards[j]!.homeNode, 'home nodes do not depend on health');
      assert.equal(s.zone, before.shards[j]!.zone);
      if (s.homeNode === down) {
        fallbacks++;
        assert.ok(s.fallback && s.node !== null && s.node !== down && zoneOf(map, s.node) === s.zone);
      } else {
        assert.ok(!s.fallback && s.node === before.shards[j]!.node);
      }
    });
  }
  assert.ok(fallbacks > 0);
});

test('a zone with no node up gets no shards written (node null); other zones are unaffected', () => {
  const all = uniformPlacementMap();
  const map = withNodeHealth(all, 'down', ['zone-c-node-1', 'zone-c-node-2', 'zone-c-node-3']);
  const p = placeStripe(map, DEFAULT_REPLICA_SCHEME, 'x', 0);
  assert.deepEqual(p.shards.filter((s) => s.node === null).map((s) => s.zone), ['zone-c']);
  assert.equal(p.shards.filter((s) => s.node !== null).length, 2);
});

test('placement is deterministic and independent of the order zones are listed in', () => {
  const map = uniformPlacementMap(3, 4);
  const reversed: PlacementMap = { ...map, zones: [...map.zones].reverse() };
  const a: StripePlacement[] = [], b: StripePlacement[] = [];
  for (let i = 0; i < 200; i++) {
    a.push(placeStripe(map, DEFAULT_ERASURE_SCHEME, `k${i}`, i));
    b.push(placeStripe(reversed, DEFAULT_ERASURE_SCHEME, `k${i}`, i));
  }
  assert.deepEqual(a, b);
});

test('adding a node to a zone moves only the shards it wins (about 1/(n+1) of the zone)', () => {
  const before = uniformPlacementMap(3, 4);
  const after: PlacementMap = {
    version: 2,
    zones: before.zones.map((z) => z.id === 'zone-a' ? { ...z, nodes: [...z.nodes, { id: 'zone-a-node-5', health: 'up' as const }] } : z),
  };
  let moved = 0, inZone = 0;
  for (let i = 0; i < 20_000; i++) {
    const p = placeStripe(before, DEFAULT_REPLICA_SCHEME, `o${i}`, 0);
    const q = placeStripe(after, DEFAULT_REPLICA_SCHEME, `o${i}`, 0);
    p.shards.forEach((s, j) => {
      if (s.zone !== 'zone-a') return assert.equal(q.shards[j]!.node, s.node);
      inZone++;
      if (q.shards[j]!.node !== s.node) {
        moved++;
        assert.equal(q.shards[j]!.node, 'zone-a-node-5');
      }
    });
  }
  assert.ok(Math.abs(moved / inZone - 1 / 5) < 0.02, `moved ${moved}/${inZone}`);
});

test('a scheme that cannot survive losing a zone is rejected', () => {
  const isCode = (e: unknown) => e instanceof ErasureError && e.code === 'SchemeCannotSurviveZoneLoss';
  assert.throws(() => placeStripe(uniformPlacementMap(), { kind: 'erasure', dataShards: 10, parityShards: 4 }, 'x', 0), isCode);
  assert.throws(() => placeStripe(uniformPlacementMap(1, 9), DEFAULT_ERASURE_SCHEME, 'x', 0), isCode);
  assert.throws(() => placeStripe(uniformPlacementMap(), { kind: 'replica', copies: 1 }, 'x', 0), isCode);
  assert.doesNotThrow(() => placeStripe(uniformPlacementMap(4, 3), { kind: 'erasure', dataShards: 9, parityShards: 3 }, 'x', 0));
});

test('malformed maps are rejected with InvalidPlacementMap', () => {
  const isCode = (e: unknown) => e instanceof ErasureError && e.code === 'InvalidPlacementMap';
  const up = (id: string) => ({ id, health: 'up' as const });
  const bad: PlacementMap[] = [
    { version: 1, zones: [] },
    { version: 1, zones: [{ id: 'a', nodes: [up('n1')] }, { id: 'a', nodes: [up('n2')] }] },
    { version: 1, zones: [{ id: 'a', nodes: [up('n1')] }, { id: 'b', nodes: [up('n1')] }] },
    { version: 1, zones: [{ id: 'a', nodes: [up('n1')] }, { id: 'b', nodes: [] }] },
  ];
  for (const map of bad) assert.throws(() => placeStripe(map, DEFAULT_REPLICA_SCHEME, 'x', 0), isCode);
});
