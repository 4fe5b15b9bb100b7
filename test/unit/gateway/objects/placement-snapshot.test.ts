import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { DataNodeSchema, DataNodeState } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { DEFAULT_SCHEME_POLICY, selectScheme } from '../../../../services/erasure/index.ts';
import { NodeSuspicion } from '../../../../services/gateway/objects/node-suspicion.ts';
import { buildPlacementSnapshot, recoveredAddresses } from '../../../../services/gateway/objects/placement-snapshot.ts';
import { uploadSchemeFor } from '../../../../services/gateway/objects/scheme-codec.ts';

const node = (id: string, zone: string, state = DataNodeState.UP) => create(DataNodeSchema, { id, zone, address: `${id}:1`, state });
const nodes = ['z1', 'z2', 'z3'].flatMap((z) => [1, 2, 3].map((n) => node(`${z}-${n}`, z)));

test('UP nodes take writes; DOWN, DRAINING and suspected ones do not; only DOWN and suspected ones are read last', () => {
  const withStates = nodes.map((n) => (n.id === 'z1-1' ? node(n.id, n.zone, DataNodeState.DOWN)
    : n.id === 'z1-2' ? node(n.id, n.zone, DataNodeState.DRAINING) : n));
  const s = buildPlacementSnapshot(withStates, new Set(['z2-1']));
  const health = Object.fromEntries(s.map!.zones.flatMap((z) => z.nodes.map((n) => [n.id, n.health])));
  assert.equal(health['z1-1'], 'down');
  assert.equal(health['z1-2'], 'down');
  assert.equal(health['z1-3'], 'up');
  assert.equal(health['z2-1'], 'down');
  assert.deepEqual(['z1-1', 'z1-2', 'z2-1', 'z3-1'].map((id) => s.nodes.get(id)!.healthy), [false, true, false, true]);
});

test('a zone whose nodes are all suspected makes new objects replicas, as does one meta marks DOWN', () => {
  const s = buildPlacementSnapshot(nodes, new Set(['z3-1', 'z3-2', 'z3-3']));
  assert.equal(selectScheme({ size: 10 << 20 }, DEFAULT_SCHEME_POLICY, s.map!).reason, 'zone-outage');
  assert.equal(uploadSchemeFor(DEFAULT_SCHEME_POLICY, undefined, s.map).scheme.kind, 'replica');
  assert.deepEqual(uploadSchemeFor(DEFAULT_SCHEME_POLICY, undefined, buildPlacementSnapshot(nodes, new Set()).map),
    { scheme: { kind: 'erasure', dataShards: 6, parityShards: 3 }, blockSize: 6 << 20 });
  assert.equal(uploadSchemeFor(DEFAULT_SCHEME_POLICY, undefined, null).scheme.kind, 'erasure');
  assert.equal(buildPlacementSnapshot([], new Set()).map, null);
});

test('suspicion lasts its period, and a success ends it at once', () => {
  const s = new NodeSuspicion(1_000);
  s.failed('a', 0);
  s.failed('b', 500);
  assert.deepEqual([...s.suspects(999)].sort(), ['a', 'b']);
  assert.deepEqual([...s.suspects(1_000)], ['b']);
  s.succeeded('b');
  assert.deepEqual([...s.suspects(1_001)], []);
});

test('a node back from DOWN gets a fresh channel (old and new address); others keep theirs', () => {
  const before = [node('a', 'z1', DataNodeState.DOWN), node('b', 'z1', DataNodeState.DOWN), node('c', 'z2')];
  const after = [create(DataNodeSchema, { id: 'a', zone: 'z1', address: 'a:2', state: DataNodeState.UP }),
    node('b', 'z1', DataNodeState.DOWN), node('c', 'z2')];
  assert.deepEqual(recoveredAddresses(after, before).sort(), ['a:1', 'a:2']);
  assert.deepEqual(recoveredAddresses(after, null), []);
});
