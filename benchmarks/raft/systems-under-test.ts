// The two clusters behind one small interface, so the runner can order cells however it likes
// (interleaved or one system after the other) without knowing how each finds its leader.
import { join } from 'node:path';
import type { ChildRegistry } from './child-registry.ts';
import type { ServerProcess } from './load-cell.ts';
import type { SystemName } from './put-rpc.ts';
import { startEtcdCluster } from './etcd-cluster.ts';
import { startZonestoreCluster, type KvNode, type ZonestoreLaunchOptions } from './zonestore-cluster.ts';

export interface LeaderTarget {
  /** host:port the load clients dial. */
  address: string;
  label: string;
  servers: ServerProcess[];
}

export interface SystemUnderTest {
  readonly name: SystemName;
  /** Asked before every cell: leadership may have moved since the last one. */
  locateLeader(): Promise<LeaderTarget>;
  stop(): Promise<void>;
}

export interface ZonestoreUnderTest extends SystemUnderTest {
  readonly nodes: KvNode[];
  leaderNode(): Promise<KvNode>;
}

export async function launchEtcd(
  registry: ChildRegistry,
  baseDir: string,
  version: string,
  log: (line: string) => void,
): Promise<SystemUnderTest> {
  const cluster = await startEtcdCluster(registry, join(baseDir, 'etcd'), version, log);
  return {
    name: 'etcd',
    async locateLeader() {
      const leader = await cluster.findLeader();
      return {
        address: leader.grpcAddress,
        label: leader.name,
        servers: cluster.members.map((m) => ({ name: m.name, pid: m.pid, isLeader: m === leader })),
      };
    },
    stop: async () => {
      await Promise.all(cluster.members.map((m) => registry.stop(m.child)));
    },
  };
}

export async function launchZonestore(
  registry: ChildRegistry,
  baseDir: string,
  options: ZonestoreLaunchOptions,
  log: (line: string) => void,
): Promise<ZonestoreUnderTest> {
  const cluster = await startZonestoreCluster(registry, join(baseDir, 'zonestore'), options, log);
  return {
    name: 'zonestore',
    nodes: cluster.nodes,
    leaderNode: () => cluster.findLeader(),
    async locateLeader() {
      const leader = await cluster.findLeader();
      return {
        address: leader.kvAddress,
        label: leader.id,
        servers: cluster.nodes.map((n) => ({ name: n.id, pid: n.pid, isLeader: n === leader })),
      };
    },
    stop: async () => {
      cluster.close();
      await Promise.all(cluster.nodes.map((n) => registry.stop(n.child)));
    },
  };
}
