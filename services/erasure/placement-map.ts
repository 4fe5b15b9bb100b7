// The cluster as placement sees it: zones, the data nodes in each, and whether each node can
// take writes. The map lives in the metadata service; here it is only a validated value.
import { ErasureError } from './errors.ts';

export const DEFAULT_ZONE_COUNT = 3;
export const DEFAULT_NODES_PER_ZONE = 3;

export type NodeHealth = 'up' | 'down';

export interface DataNodeInfo {
  readonly id: string;
  readonly health: NodeHealth;
}

export interface ZoneInfo {
  readonly id: string;
  readonly nodes: readonly DataNodeInfo[];
}

export interface PlacementMap {
  /** Bumped on every change, so a manifest can say which map placed it. */
  readonly version: number;
  readonly zones: readonly ZoneInfo[];
}

/** Throws InvalidPlacementMap unless zone and node ids are non-empty and unique, and no zone is empty. */
export function validatePlacementMap(map: PlacementMap): PlacementMap {
  const fail = (message: string): never => { throw new ErasureError('InvalidPlacementMap', message); };
  if (map.zones.length === 0) fail('no zones');
  const zoneIds = new Set<string>();
  const nodeIds = new Set<string>();
  for (const zone of map.zones) {
    if (!zone.id) fail('empty zone id');
    if (zoneIds.has(zone.id)) fail(`duplicate zone ${zone.id}`);
    zoneIds.add(zone.id);
    if (zone.nodes.length === 0) fail(`zone ${zone.id} has no nodes`);
    for (const node of zone.nodes) {
      if (!node.id) fail(`empty node id in zone ${zone.id}`);
      if (nodeIds.has(node.id)) fail(`duplicate node ${node.id}`);
      nodeIds.add(node.id);
      if (node.health !== 'up' && node.health !== 'down') fail(`node ${node.id} has unknown health ${String(node.health)}`);
    }
  }
  return map;
}

/**
 * A map of `zoneCount` zones named zone-a, zone-b, … with `nodesPerZone` healthy nodes each,
 * named <zone>-node-1, …: the default three-zone layout (local clusters, tests, benchmarks).
 */
export function uniformPlacementMap(
  zoneCount = DEFAULT_ZONE_COUNT, nodesPerZone = DEFAULT_NODES_PER_ZONE, version = 1,
): PlacementMap {
  const zones = Array.from({ length: zoneCount }, (_, z) => {
    const id = `zone-${String.fromCharCode(97 + (z % 26))}${z >= 26 ? Math.floor(z / 26) : ''}`;
    return {
      id,
      nodes: Array.from({ length: nodesPerZone }, (_, n) => ({ id: `${id}-node-${n + 1}`, health: 'up' as const })),
    };
  });
  return validatePlacementMap({ version, zones });
}

/** A copy of the map with the given nodes' health changed. */
export function withNodeHealth(map: PlacementMap, health: NodeHealth, nodeIds: readonly string[]): PlacementMap {
  const ids = new Set(nodeIds);
  return {
    version: map.version + 1,
    zones: map.zones.map((z) => ({ ...z, nodes: z.nodes.map((n) => (ids.has(n.id) ? { ...n, health } : n)) })),
  };
}

export function healthyNodeCount(zone: ZoneInfo): number {
  return zone.nodes.filter((n) => n.health === 'up').length;
}
