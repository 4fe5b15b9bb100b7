// Where each zone of a local cluster lives: its loopback address, ports and directories, and
// the names of what it hosts. Pure. `zonestore up` derives fixed ports from a base port, because
// Raft peers are configured by address and a restarted cluster must find its members where they
// were; tests hand in free ports instead.
import { join } from 'node:path';
import type { MetaPeer } from '../../meta/replica/meta-replica.ts';

/** Zones get 127.0.0.11 … 127.0.0.19: one loopback address each, so at most nine. */
export const MAX_ZONES = 9;
/** Ports reserved per zone from the base port: zone N uses base + N × stride + slot. */
export const ZONE_PORT_STRIDE = 10;
/** Slot 0 is the meta API, slot 1 meta Raft; the rest of the stride are data nodes. */
const META_API_SLOT = 0;
const META_RAFT_SLOT = 1;
const FIRST_DATA_NODE_SLOT = 2;
export const MAX_DATA_NODES_PER_ZONE = ZONE_PORT_STRIDE - FIRST_DATA_NODE_SLOT;
/** Zone 1's meta API is then 127.0.0.11:7110, zone 2's 127.0.0.12:7120, … */
export const DEFAULT_BASE_PORT = 7100;
export const DEFAULT_ZONE_COUNT = 3;
export const DEFAULT_DATA_NODES_PER_ZONE = 3;
/** Where `zonestore up` keeps state when not told otherwise (relative to the working directory). */
export const DEFAULT_DATA_DIR = './data';
/** The S3 gateway of every zone listens here, each on its own address (9000 + i − 1 when all zones share one). */
export const DEFAULT_GATEWAY_PORT = 9000;
/** The root account's access key, created once per cluster at its root (see root-credentials.ts). */
export const ROOT_CREDENTIALS_FILE = 'root-credentials.json';
/** Used for every zone where the OS has no 127.0.0.1N addresses (stock macOS). */
export const SHARED_LOOPBACK = '127.0.0.1';

export interface ZonePorts {
  metaApi: number;
  metaRaft: number;
  /** One per data node; 0 lets the node pick (it registers the bound address). */
  dataNodes: number[];
  /** The S3 gateway; 0 (the default) lets it pick. */
  gateway?: number;
}

/** Everything a zone process needs to know to start (see zone-main.ts for the flags). */
export interface ZoneSpec {
  /** `zone-<n>`. */
  zone: string;
  /** The loopback address every server of the zone binds and every client of it binds from. */
  host: string;
  /** `<root>/zone-<n>`: holds meta/, data-1/ … */
  dataDir: string;
  metaId: string;
  metaRaftAddress: string;
  metaApiAddress: string;
  /** Every meta replica of the cluster, this zone's included. */
  metaPeers: Record<string, MetaPeer>;
  dataNodePorts: number[];
  /**
   * What the placement map records for each data node, in --data-node-port order (default: the
   * node's listen address). The chaos harness puts proxies here, so other zones dial through them.
   */
  advertisedDataNodes?: string[];
  gatewayPort: number;
  /** The cluster's root credentials file (one for all zones). */
  credentialsFile: string;
}

export const zoneName = (index: number): string => `zone-${index}`;
export const metaReplicaId = (index: number): string => `meta-${index}`;
export const zoneLoopbackAddress = (index: number): string => `127.0.0.${10 + index}`;
/** Data node ids are unique across the cluster, and say where the node is. */
export const dataNodeId = (zone: string, n: number): string => `${zone}-data-${n}`;
export const metaDirOf = (zoneDir: string): string => join(zoneDir, 'meta');
export const dataNodeDirOf = (zoneDir: string, n: number): string => join(zoneDir, `data-${n}`);

/** The fixed ports of zone `index` (1-based) under `basePort`. */
export function fixedZonePorts(basePort: number, index: number, dataNodes: number, gateway = 0): ZonePorts {
  const first = basePort + index * ZONE_PORT_STRIDE;
  return {
    gateway,
    metaApi: first + META_API_SLOT,
    metaRaft: first + META_RAFT_SLOT,
    dataNodes: Array.from({ length: dataNodes }, (_, i) => first + FIRST_DATA_NODE_SLOT + i),
  };
}

/** The highest port a layout under `basePort` uses. */
export function highestPort(basePort: number, zones: number): number {
  return basePort + zones * ZONE_PORT_STRIDE + ZONE_PORT_STRIDE - 1;
}

export interface ZonePlanInput {
  root: string;
  /** One per zone, in zone order. */
  hosts: string[];
  /** One per zone, in zone order. */
  ports: ZonePorts[];
}

/** The spec of every zone; zone i (1-based) gets hosts[i-1] and ports[i-1]. */
export function planZones({ root, hosts, ports }: ZonePlanInput): ZoneSpec[] {
  if (hosts.length !== ports.length) throw new Error(`${hosts.length} hosts for ${ports.length} zones`);
  if (hosts.length < 1 || hosts.length > MAX_ZONES) throw new Error(`a cluster has 1 to ${MAX_ZONES} zones, not ${hosts.length}`);
  const metaPeers: Record<string, MetaPeer> = {};
  hosts.forEach((host, i) => {
    metaPeers[metaReplicaId(i + 1)] = {
      raftAddress: `${host}:${ports[i]!.metaRaft}`, apiAddress: `${host}:${ports[i]!.metaApi}`,
    };
  });
  return hosts.map((host, i) => {
    const index = i + 1;
    const metaId = metaReplicaId(index);
    return {
      zone: zoneName(index), host, dataDir: join(root, zoneName(index)), metaId,
      metaRaftAddress: metaPeers[metaId]!.raftAddress, metaApiAddress: metaPeers[metaId]!.apiAddress,
      metaPeers, dataNodePorts: [...ports[i]!.dataNodes], gatewayPort: ports[i]!.gateway ?? 0,
      credentialsFile: join(root, ROOT_CREDENTIALS_FILE),
    };
  });
}

/** Ids of every data node a plan will register. */
export function plannedDataNodeIds(specs: readonly ZoneSpec[]): string[] {
  return specs.flatMap((s) => s.dataNodePorts.map((_, i) => dataNodeId(s.zone, i + 1)));
}
