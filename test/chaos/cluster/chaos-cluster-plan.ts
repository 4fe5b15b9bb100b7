// The shape of a chaos cluster, pure: which servers get a fault proxy in front of them (each
// zone's meta Raft and meta API, and every data node: everything another zone dials), and the
// zone specs that make every zone dial the other zones only through those proxies — the other
// replicas as meta peers at their proxies' addresses, and each data node advertised in the
// placement map at its proxy. A zone's own servers are reached directly (a zone never
// partitions from itself), and the gateways are not proxied: clients are not a zone.
import { dataNodeId, dataNodeDirOf, type ZoneSpec } from '../../../services/cli/zone/zone-layout.ts';
import type { MetaPeer } from '../../../services/meta/replica/meta-replica.ts';
import type { ProxiedServer } from '../net/zone-network.ts';

export const metaRaftProxyName = (zone: string): string => `${zone}/meta-raft`;
export const metaApiProxyName = (zone: string): string => `${zone}/meta-api`;
/** A data node's proxy is named by the node's id (`zone-1-data-2`). */
export const dataNodeProxyName = (nodeId: string): string => nodeId;

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Every server another zone dials, by proxy name. Specs need fixed ports (no 0). */
export function proxiedServers(specs: readonly ZoneSpec[]): ProxiedServer[] {
  return specs.flatMap((s) => {
    const servers: ProxiedServer[] = [
      { name: metaRaftProxyName(s.zone), zone: s.zone, host: s.host, port: portOf(s.metaRaftAddress) },
      { name: metaApiProxyName(s.zone), zone: s.zone, host: s.host, port: portOf(s.metaApiAddress) },
      ...s.dataNodePorts.map((port, i) => ({ name: dataNodeProxyName(dataNodeId(s.zone, i + 1)), zone: s.zone, host: s.host, port })),
    ];
    for (const srv of servers) if (srv.port === 0) throw new Error(`${srv.name} needs a fixed port to be proxied`);
    return servers;
  });
}

/**
 * The specs with every cross-zone address replaced by its proxy's: other zones' replicas as
 * meta peers, and this zone's data nodes advertised at their proxies.
 */
export function proxiedSpecs(specs: readonly ZoneSpec[], proxyAddressOf: (name: string) => string): ZoneSpec[] {
  const zoneOfMeta = new Map(specs.map((s) => [s.metaId, s.zone]));
  return specs.map((s) => {
    const metaPeers: Record<string, MetaPeer> = {};
    for (const [id, peer] of Object.entries(s.metaPeers)) {
      const zone = zoneOfMeta.get(id);
      metaPeers[id] = id === s.metaId || zone === undefined
        ? peer
        : { raftAddress: proxyAddressOf(metaRaftProxyName(zone)), apiAddress: proxyAddressOf(metaApiProxyName(zone)) };
    }
    return {
      ...s, metaPeers,
      advertisedDataNodes: s.dataNodePorts.map((_, i) => proxyAddressOf(dataNodeProxyName(dataNodeId(s.zone, i + 1)))),
    };
  });
}

/** Data node ids per zone (the nemesis topology's names). */
export function dataNodesByZone(specs: readonly ZoneSpec[]): Record<string, string[]> {
  return Object.fromEntries(specs.map((s) => [s.zone, s.dataNodePorts.map((_, i) => dataNodeId(s.zone, i + 1))]));
}

/** Where each data node keeps its chunks, by node id. */
export function dataNodeDirs(specs: readonly ZoneSpec[]): Map<string, string> {
  return new Map(specs.flatMap((s) => s.dataNodePorts.map((_, i) => [dataNodeId(s.zone, i + 1), dataNodeDirOf(s.dataDir, i + 1)] as const)));
}
