// The repair planner: which shards of a stripe are degraded, which can be rebuilt now, and
// whether enough survive — over RS(6,3) and three replicas, with shards missing, corrupt, on
// down or unknown nodes, and indices the manifest never recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { placeStripe } from '../../../services/erasure/placement.ts';
import { uniformPlacementMap, withNodeHealth } from '../../../services/erasure/placement-map.ts';
import { DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, type StorageScheme } from '../../../services/erasure/storage-scheme.ts';
import {
  assessStripe, chooseNodeForAddedShard, type ObservedShard, type ShardState, zonesForAbsentShards,
} from '../../../services/erasure/stripe-redundancy.ts';
import { evaluateWriteAck, zoneIds } from '../../../services/erasure/write-ack.ts';
import { propertyParams } from './property-config.ts';

const map = uniformPlacementMap();
const zones = zoneIds(map);

/** The stripe as placement lays it out, every shard in `state` unless `states` says otherwise. */
function stripe(scheme: StorageScheme, states: Record<number, ShardState | 'gone'> = {}, objectId = 'obj'): ObservedShard[] {
  return placeStripe(map, scheme, objectId, 0).shards
    .filter((p) => states[p.shard] !== 'gone')
    .map((p) => ({ index: p.shard, node: p.node!, zone: p.zone, state: (states[p.shard] ?? 'valid') as ShardState }));
}

test('a stripe with every shard valid is full: nothing degraded, nothing to do', () => {
  for (const scheme of [DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME]) {
    const r = assessStripe({ scheme, zones, shards: stripe(scheme) });
    assert.equal(r.full, true);
    assert.deepEqual(r.degraded, []);
    assert.deepEqual(r.repairs, []);
    assert.equal(r.rebuildable, true);
  }
});

test('missing and corrupt shards are rewritten in place on their own node', () => {
  const shards = stripe(DEFAULT_ERASURE_SCHEME, { 2: 'missing', 7: 'corrupt' });
  const r = assessStripe({ scheme: DEFAULT_ERASURE_SCHEME, zones, shards });
  assert.equal(r.full, false);
  assert.deepEqual(r.degraded.map((d) => [d.index, d.state, d.node]), [[2, 'missing', shards[2]!.node], [7, 'corrupt', shards[7]!.node]]);
  assert.deepEqual(r.repairs, [
    { kind: 'rewrite', index: 2, zone: shards[2]!.zone, node: shards[2]!.node },
    { kind: 'rewrite', index: 7, zone: shards[7]!.zone, node: shards[7]!.node },
  ]);
  assert.deepEqual(r.sources, [0, 1, 3, 4, 5, 6, 8]);
  assert.equal(r.rebuildable, true);
});

test('RS(6,3): three bad shards still rebuild from six; four do not', () => {
  const three = assessStripe({ scheme: DEFAULT_ERASURE_SCHEME, zones, shards: stripe(DEFAULT_ERASURE_SCHEME, { 0: 'missing', 4: 'corrupt', 8: 'missing' }) });
  assert.equal(three.rebuildable, true);
  assert.equal(three.repairs.length, 3);
  const four = assessStripe({ scheme: DEFAULT_ERASURE_SCHEME, zones, shards: stripe(DEFAULT_ERASURE_SCHEME, { 0: 'missing', 1: 'corrupt', 4: 'corrupt', 8: 'missing' }) });
  assert.equal(four.rebuildable, false);
  assert.equal(four.repairs.length, 4, 'the repairs are still listed; the caller sees they cannot proceed');
});

test('shards on down, unreachable or unknown nodes are degraded but not repaired (no source, no rewrite)', () => {
  const shards = stripe(DEFAULT_ERASURE_SCHEME, { 1: 'node-down', 3: 'unreachable', 5: 'node-unknown' });
  const r = assessStripe({ scheme: DEFAULT_ERASURE_SCHEME, zones, shards });
  assert.deepEqual(r.degraded.map((d) => d.state), ['node-down', 'unreachable', 'node-unknown']);
  assert.deepEqual(r.repairs, []);
  assert.deepEqual(r.sources, [0, 2, 4, 6, 7, 8]);
  assert.equal(r.full, false);
});

test('unchecked shards count as sources and are not degraded', () => {
  const r = assessStripe({ scheme: DEFAULT_REPLICA_SCHEME, zones, shards: stripe(DEFAULT_REPLICA_SCHEME, { 0: 'unchecked', 1: 'unchecked', 2: 'missing' }) });
  assert.deepEqual(r.sources, [0, 1]);
  assert.equal(r.rebuildable, true);
  assert.deepEqual(r.degraded.map((d) => d.index), [2]);
});

test('a replica written while a zone was down: the unrecorded copy is added in the zone that has none', () => {
  // Zone outage: the write stores copies only in the zones with nodes up.
  const down = withNodeHealth(map, 'down', map.zones[1]!.nodes.map((n) => n.id));
  const placed = placeStripe(down, DEFAULT_REPLICA_SCHEME, 'outage', 0).shards.filter((p) => p.node !== null);
  assert.equal(placed.length, 2);
  const shards = placed.map((p) => ({ index: p.shard, node: p.node!, zone: p.zone, state: 'valid' as const }));
  assert.equal(evaluateWriteAck({ scheme: DEFAULT_REPLICA_SCHEME, zones, stripeCount: 1, stored: shards.map((s) => ({ stripe: 0, shard: s.index, zone: s.zone })) }).acknowledged, true);
  const missingIndex = [0, 1, 2].find((i) => !shards.some((s) => s.index === i))!;
  const r = assessStripe({ scheme: DEFAULT_REPLICA_SCHEME, zones, shards });
  assert.deepEqual(r.degraded, [{ index: missingIndex, node: null, zone: map.zones[1]!.id, state: 'absent' }]);
  assert.deepEqual(r.repairs, [{ kind: 'add', index: missingIndex, zone: map.zones[1]!.id }]);
  assert.equal(r.rebuildable, true);
});

test('absent indices restore the even spread over zones', () => {
  assert.deepEqual(zonesForAbsentShards(['c', 'a', 'b'], [{ zone: 'a' }, { zone: 'c' }], [1]), ['b']);
  assert.deepEqual(zonesForAbsentShards(['a', 'b', 'c'], [{ zone: 'a' }, { zone: 'a' }, { zone: 'b' }], [3, 4, 5]), ['c', 'b', 'c']);
  assert.deepEqual(zonesForAbsentShards(['a', 'b', 'c'], [], [0, 1, 2]), ['a', 'b', 'c']);
});

test('property: after applying the planned repairs, a rebuildable stripe is full and spread as placement spreads it', () => {
  const scheme = DEFAULT_ERASURE_SCHEME;
  const states: (ShardState | 'gone')[] = ['valid', 'valid', 'valid', 'missing', 'corrupt', 'gone'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...states), { minLength: 9, maxLength: 9 }), fc.string(), (picked, objectId) => {
    const shards = stripe(scheme, Object.fromEntries(picked.map((s, i) => [i, s])), objectId);
    const r = assessStripe({ scheme, zones, shards });
    const bad = picked.filter((s) => s !== 'valid').length;
    assert.equal(r.rebuildable, 9 - bad >= 6);
    assert.equal(r.repairs.length, bad);
    // Apply: rewritten shards become valid, added ones appear valid in their zone.
    const after: ObservedShard[] = shards.map((s) => ({ ...s, state: 'valid' }));
    for (const rep of r.repairs) if (rep.kind === 'add') after.push({ index: rep.index, node: `${rep.zone}-new`, zone: rep.zone, state: 'valid' });
    const again = assessStripe({ scheme, zones, shards: after });
    assert.equal(again.full, true);
    for (const z of zones) assert.equal(after.filter((s) => s.zone === z).length, 3, `zone ${z} holds 3 shards`);
  }), propertyParams(200));
});

test('an added shard goes to an UP node of its zone holding the fewest shards of the stripe', () => {
  const zone = map.zones[0]!;
  const [a, b, c] = zone.nodes.map((n) => n.id) as [string, string, string];
  assert.equal(chooseNodeForAddedShard(zone, [a, b], 'k'), c);
  assert.equal(chooseNodeForAddedShard(withNodeHealth(map, 'down', [c]).zones[0]!, [a, a, b], 'k'), b);
  assert.equal(chooseNodeForAddedShard(withNodeHealth(map, 'down', [a, b, c]).zones[0]!, [], 'k'), null);
  // Ties are broken by the key, deterministically, and spread over the nodes.
  const picks = new Set(Array.from({ length: 50 }, (_, i) => chooseNodeForAddedShard(zone, [], `key-${i}`)));
  assert.equal(picks.size, 3);
  assert.equal(chooseNodeForAddedShard(zone, [], 'same'), chooseNodeForAddedShard(zone, [], 'same'));
});
