// A throwaway local cluster for a tool (bench, and any other command that needs one briefly):
// the three zone processes `zonestore up` runs, with the flags it uses, on free ports in a fresh
// temp dir, waited on until healthy (bounded), and stopped — every zone process, then the
// directory — whatever happens. Free ports rather than `up`'s fixed ones, so it never collides
// with a cluster the user already runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../common/free-ports.ts';
import type { RootCredentials } from '../../gateway/credentials/root-credentials.ts';
import { collectClusterReport } from '../status/cluster-report.ts';
import { LocalZoneCluster } from '../zone/local-zone-cluster.ts';
import type { ZoneReady } from '../zone/zone-launcher.ts';
import { zoneHosts } from '../zone/zone-hosts.ts';
import { DEFAULT_DATA_NODES_PER_ZONE, DEFAULT_ZONE_COUNT, planZones, plannedDataNodeIds, type ZonePorts, type ZoneSpec } from '../zone/zone-layout.ts';

/** From start to a leader and every data node registered and up (three zones share the CPU). */
export const LOCAL_CLUSTER_HEALTHY_LIMIT_MS = 90_000;
const HEALTH_POLL_MS = 250;

export interface LocalClusterOptions {
  zones?: number;
  dataNodesPerZone?: number;
  /** The zone processes' environment (e.g. NODE_OPTIONS preloading a profiler hook). */
  env?: NodeJS.ProcessEnv;
  /** More zone-main.ts flags. */
  extraArgs?: string[];
  /** Prefix of the temp dir's name. */
  tempPrefix?: string;
}

export interface LocalCluster {
  readonly cluster: LocalZoneCluster;
  readonly root: string;
  readonly credentials: RootCredentials;
  /** Each zone's S3 gateway, in zone order. */
  readonly endpoints: string[];
  readonly zones: Array<{ zone: string; pid: number }>;
  stop(): Promise<void>;
  /** For exit handlers, where nothing can be awaited. */
  killNow(): void;
}

/** Meta ports from the free range (peers must know them up front); data nodes and gateways pick their own. */
async function freePortSpecs(root: string, zones: number, dataNodesPerZone: number): Promise<ZoneSpec[]> {
  const hosts = await zoneHosts(zones);
  const perHost = new Map<string, number[]>();
  // One batch per distinct host, so zones sharing 127.0.0.1 never get the same port twice.
  for (const host of new Set(hosts)) perHost.set(host, await freePorts(2 * hosts.filter((h) => h === host).length, host));
  const ports: ZonePorts[] = hosts.map((host) => {
    const [metaApi, metaRaft] = perHost.get(host)!.splice(0, 2) as [number, number];
    return { metaApi, metaRaft, dataNodes: Array.from({ length: dataNodesPerZone }, () => 0), gateway: 0 };
  });
  return planZones({ root, hosts, ports });
}

export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const root = mkdtempSync(join(tmpdir(), opts.tempPrefix ?? 'zonestore-tool-cluster-'));
  let cluster: LocalZoneCluster | undefined;
  const stop = async (): Promise<void> => {
    await cluster?.stopAll();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const specs = await freePortSpecs(root, opts.zones ?? DEFAULT_ZONE_COUNT, opts.dataNodesPerZone ?? DEFAULT_DATA_NODES_PER_ZONE);
    cluster = new LocalZoneCluster(specs, { env: opts.env, extraArgs: opts.extraArgs });
    const { credentials } = cluster.rootCredentials();
    const ready: ZoneReady[] = await cluster.startAll();
    await waitUntilHealthy(cluster, plannedDataNodeIds(specs));
    const c = cluster;
    return {
      cluster: c, root, credentials,
      endpoints: ready.map((z) => z.gateway.url),
      zones: ready.map((z) => ({ zone: z.zone, pid: z.pid })),
      stop,
      killNow: () => {
        c.killAllNow();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitUntilHealthy(cluster: LocalZoneCluster, expectedDataNodes: string[]): Promise<void> {
  const deadline = Date.now() + LOCAL_CLUSTER_HEALTHY_LIMIT_MS;
  for (;;) {
    const report = await collectClusterReport(cluster.metaApiAddresses, { expectedDataNodes });
    if (report.healthy) return;
    if (Date.now() >= deadline) {
      throw new Error(`the local cluster is not healthy after ${LOCAL_CLUSTER_HEALTHY_LIMIT_MS} ms: ${report.problems.join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
  }
}
