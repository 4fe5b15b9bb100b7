// The pure decisions of the local cluster: port layout, which data nodes the leader marks
// DOWN, and when `zonestore status` calls a cluster healthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { DataNodeSchema, DataNodeState } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { staleDataNodes } from '../../../services/cli/zone/stale-node-sweeper.ts';
import {
  MAX_DATA_NODES_PER_ZONE, ZONE_PORT_STRIDE, fixedZonePorts, planZones, plannedDataNodeIds,
} from '../../../services/cli/zone/zone-layout.ts';
import { clusterProblems, leaderOf, type DataNodeView, type ReplicaView } from '../../../services/cli/status/cluster-health.ts';

test('fixed ports: zones never overlap, even when every zone shares 127.0.0.1', () => {
  const seen = new Set<number>();
  for (let zone = 1; zone <= 3; zone++) {
    const p = fixedZonePorts(7100, zone, MAX_DATA_NODES_PER_ZONE);
    for (const port of [p.metaApi, p.metaRaft, ...p.dataNodes]) {
      assert.ok(!seen.has(port), `port ${port} used twice`);
      assert.ok(port >= 7100 + zone * ZONE_PORT_STRIDE && port < 7100 + (zone + 1) * ZONE_PORT_STRIDE);
      seen.add(port);
    }
  }
  assert.equal(fixedZonePorts(7100, 1, 3).metaApi, 7110);
});

test('a plan names every zone, replica and data node, and every zone knows every replica', () => {
  const specs = planZones({
    root: '/d', hosts: ['127.0.0.11', '127.0.0.12', '127.0.0.13'], ports: [1, 2, 3].map((z) => fixedZonePorts(7100, z, 3)),
  });
  assert.deepEqual(specs.map((s) => [s.zone, s.metaId, s.dataDir, s.metaApiAddress]), [
    ['zone-1', 'meta-1', '/d/zone-1', '127.0.0.11:7110'],
    ['zone-2', 'meta-2', '/d/zone-2', '127.0.0.12:7120'],
    ['zone-3', 'meta-3', '/d/zone-3', '127.0.0.13:7130'],
  ]);
  for (const s of specs) assert.deepEqual(Object.keys(s.metaPeers), ['meta-1', 'meta-2', 'meta-3']);
  assert.equal(plannedDataNodeIds(specs).length, 9);
  assert.equal(plannedDataNodeIds(specs)[0], 'zone-1-data-1');
});

test('the leader marks DOWN exactly the UP nodes whose last report is older than the timeout', () => {
  const node = (id: string, reportedMs: number, state = DataNodeState.UP) =>
    create(DataNodeSchema, { id, zone: 'z', address: 'a', state, reportedMs: BigInt(reportedMs) });
  const nodes = [node('fresh', 9_000), node('edge', 5_000), node('stale', 4_999), node('already-down', 0, DataNodeState.DOWN)];
  assert.deepEqual(staleDataNodes(nodes, 10_000, 5_000), ['stale']);
});

test('healthy needs a leader, every replica answering and every data node registered and up', () => {
  const replica = (id: string, role: string, term = 2): ReplicaView =>
    ({ address: `${id}:1`, reachable: true, id, zone: `zone-${id}`, role, term, commit: 5, applied: 5 });
  const dataNode = (id: string, health: DataNodeView['health'] = 'up'): DataNodeView =>
    ({ id, zone: 'zone-1', address: 'a', health, capacityBytes: 1, usedBytes: 0, updatedMs: 0 });
  const replicas = [replica('1', 'leader'), replica('2', 'follower'), replica('3', 'follower')];
  assert.deepEqual(clusterProblems({ replicas, dataNodes: [dataNode('d1')], expectedDataNodes: ['d1'] }), []);

  assert.match(clusterProblems({ replicas, dataNodes: [dataNode('d1')], expectedDataNodes: ['d1', 'd2'] }).join(), /d2 is not registered/);
  assert.match(clusterProblems({ replicas, dataNodes: [dataNode('d1', 'down')] }).join(), /d1 \(zone-1\) is DOWN/);
  assert.match(clusterProblems({ replicas, dataNodes: [] }).join(), /no data nodes/);
  assert.match(clusterProblems({ replicas, placementError: 'x' }).join(), /placement map could not be read: x/);
  const noLeader = [replica('1', 'candidate'), replica('2', 'follower')];
  assert.match(clusterProblems({ replicas: noLeader, dataNodes: [dataNode('d1')] }).join(), /no meta leader/);
  const deadOne = [...replicas.slice(0, 2), { address: '3:1', reachable: false, error: 'connection refused' }];
  assert.match(clusterProblems({ replicas: deadOne, dataNodes: [dataNode('d1')] }).join(), /3:1 does not answer \(connection refused\)/);
  assert.match(clusterProblems({ replicas: [{ address: 'x:1', reachable: false }] }).join(), /no meta replica answered/);

  // A deposed leader that has not heard of the new term yet loses to the newer one.
  assert.equal(leaderOf([replica('1', 'leader', 2), replica('2', 'leader', 3)])?.id, '2');
});
