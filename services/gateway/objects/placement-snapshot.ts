// The placement map as the data path uses it: the erasure package's PlacementMap (zones, and
// which nodes may take new chunks) plus where each node serves. Built from meta's node list and
// the gateway's own suspicions. Pure.
import { type PlacementMap, validatePlacementMap } from '../../erasure/index.ts';
import { type DataNode, DataNodeState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

/** What a read needs to know about a node; `readable` is false when it is DOWN or suspected. */
export interface NodeEntry {
  readonly id: string;
  readonly zone: string;
  readonly address: string;
  readonly state: DataNodeState;
  /** Takes new chunks: UP in meta and not suspected here. */
  readonly writable: boolean;
  /** Worth trying first on a read: not DOWN in meta and not suspected here. */
  readonly healthy: boolean;
}

export interface PlacementSnapshot {
  /** Null when meta lists no node (nothing can be placed). */
  readonly map: PlacementMap | null;
  readonly nodes: ReadonlyMap<string, NodeEntry>;
}

/**
 * DRAINING nodes still serve reads but take no new chunks, so placement sees them as down;
 * so does a node the gateway suspects. Zones come from the nodes registered in them: a zone
 * whose nodes are all down stays in the map, which is what makes writes fall back to replicas.
 */
export function buildPlacementSnapshot(nodes: readonly DataNode[], suspects: ReadonlySet<string>, version = 0): PlacementSnapshot {
  const entries = new Map<string, NodeEntry>();
  const zones = new Map<string, { id: string; health: 'up' | 'down' }[]>();
  for (const n of nodes) {
    if (!n.id || !n.zone || entries.has(n.id)) continue;
    const suspected = suspects.has(n.id);
    const writable = n.state === DataNodeState.UP && !suspected;
    const healthy = n.state !== DataNodeState.DOWN && !suspected;
    entries.set(n.id, { id: n.id, zone: n.zone, address: n.address, state: n.state, writable, healthy });
    let zone = zones.get(n.zone);
    if (!zone) zones.set(n.zone, (zone = []));
    zone.push({ id: n.id, health: writable ? 'up' : 'down' });
  }
  const map = zones.size === 0 ? null
    : validatePlacementMap({ version, zones: [...zones].map(([id, zoneNodes]) => ({ id, nodes: zoneNodes })) });
  return { map, nodes: entries };
}

/** Addresses of nodes that were DOWN in `previous` and are not any more: their channels are stale. */
export function recoveredAddresses(nodes: readonly DataNode[], previous: readonly DataNode[] | null): string[] {
  if (!previous) return [];
  const wasDown = new Map(previous.filter((n) => n.state === DataNodeState.DOWN).map((n) => [n.id, n.address]));
  const out = new Set<string>();
  for (const n of nodes) {
    const before = wasDown.get(n.id);
    if (before !== undefined && n.state !== DataNodeState.DOWN) {
      out.add(before);
      out.add(n.address);
    }
  }
  return [...out];
}
