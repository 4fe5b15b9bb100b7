// A real three-zone cluster wired for chaos: every zone is a `zone-main.ts` process (as
// `zonestore up` runs them), each on its own loopback address, and everything a zone dials in
// another zone — meta Raft, meta API, data nodes — goes through a fault proxy (ZoneNetwork), so
// partitions can be cut per zone pair; optionally nftables drops too. Zones run with their
// control channel open (data node stop/start) and, as root, each data node on a tmpfs of its own
// (full disks). Faults are carried out by ChaosFaultExecutor; health is judged from outside at
// the servers' direct addresses. Everything lives in a fresh temp dir and is killed at stop.
//
//   const c = await ChaosCluster.start({ seed: 7, zoneArgs: FAST_ZONE_ARGS });
//   const f = await c.inject({ kind: 'zone-kill', zone: 'meta-leader' });
//   await c.heal(f); await c.waitHealthy(30_000); await c.stop();
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from '../../../services/common/free-ports.ts';
import { zoneHosts } from '../../../services/cli/zone/zone-hosts.ts';
import { DEFAULT_DATA_NODES_PER_ZONE, planZones, SHARED_LOOPBACK, type ZonePorts } from '../../../services/cli/zone/zone-layout.ts';
import type { NemesisFault } from '../nemesis/nemesis-fault.ts';
import type { ClusterTopology } from '../nemesis/nemesis-schedule.ts';
import { NftNetwork } from '../net/nft-network.ts';
import { ZoneNetwork, type ZoneAddress } from '../net/zone-network.ts';
import type { AppliedFault } from '../run/nemesis-driver.ts';
import { dataNodeDirs, dataNodesByZone, proxiedServers, proxiedSpecs } from './chaos-cluster-plan.ts';
import { leaderZoneOf, replicaStatuses, unhealthyReasons } from './cluster-probe.ts';
import { DEFAULT_DATA_NODE_DISK_BYTES, isRoot, isTmpfsMounted, mountTmpfs, unmountTmpfs } from './disk-fill.ts';
import { ChaosFaultExecutor } from './fault-executor.ts';
import { WatchedZoneCluster, type UnexpectedExit } from './watched-zone-cluster.ts';

export type { AppliedFault } from '../run/nemesis-driver.ts';

export const CHAOS_ZONES = 3;
/** From spawn to every zone ready and every data node UP (three tsx start-ups share the CPU). */
export const CHAOS_CLUSTER_START_TIMEOUT_MS = 90_000;
/**
 * Zone addresses under `proxy+nft`: nft rules are host-wide, so they must not be the
 * 127.0.0.11–13 that other local clusters (and tests running beside this one) use.
 */
export const NFT_ZONE_HOSTS = ['127.77.0.11', '127.77.0.12', '127.77.0.13'];
/** Tries to get proxy ports that do not collide with the servers' (both come from the kernel). */
const PORT_PLAN_ATTEMPTS = 5;
const DEFAULT_LEADER_TIMEOUT_MS = 5_000;

export interface ChaosClusterOptions {
  /** Seeds the proxies' jitter. */
  seed: number;
  /** Default 3. */
  dataNodesPerZone?: number;
  /** Extra zone-main flags (default none: `zonestore up`'s own timing). */
  zoneArgs?: string[];
  /** The zone processes' environment (a planted-bug flag goes here). */
  env?: NodeJS.ProcessEnv;
  /** Default 'proxy'; 'proxy+nft' also drops packets with nftables (root and `nft` needed, else proxy only, said in the log). */
  network?: 'proxy' | 'proxy+nft';
  /** Keep the temp dir at stop (logs, meta state; tmpfs disks are unmounted, so chunks are gone). */
  keepRoot?: boolean;
  /** Size of each data node's tmpfs (root only); default DEFAULT_DATA_NODE_DISK_BYTES. */
  dataNodeDiskBytes?: number;
  log?: (line: string) => void;
}

export class ChaosCluster {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly root: string,
    readonly zones: readonly string[],
    readonly topology: ClusterTopology,
    readonly endpoints: string[],
    readonly credentials: { accessKeyId: string; secretAccessKey: string },
    readonly metaApiAddresses: string[],
    readonly network: ZoneNetwork,
    /** The zone processes (for tests that look closer: logs, pids, exits nobody asked for). */
    readonly processes: WatchedZoneCluster,
    private readonly nft: NftNetwork | undefined,
    private readonly executor: ChaosFaultExecutor,
    private readonly nodeDirs: Map<string, string>,
    private readonly keepRoot: boolean,
    private readonly log: (line: string) => void,
  ) {}

  static async start(o: ChaosClusterOptions): Promise<ChaosCluster> {
    const log = o.log ?? (() => {});
    const perZone = o.dataNodesPerZone ?? DEFAULT_DATA_NODES_PER_ZONE;
    const wantNft = o.network === 'proxy+nft';
    const nftMissing = wantNft ? await NftNetwork.unavailableReason() : undefined;
    if (nftMissing) log(`--network proxy+nft: no nftables (${nftMissing}); faults go through the proxies only`);
    const useNft = wantNft && !nftMissing;
    const hosts = useNft ? NFT_ZONE_HOSTS : await zoneHosts(CHAOS_ZONES);
    if (new Set(hosts).size !== hosts.length || hosts.includes(SHARED_LOOPBACK)) {
      throw new Error('a chaos cluster needs one loopback address per zone (127.0.0.11…; Linux has them, stock macOS does not): proxies tell zones apart by source address');
    }

    const root = mkdtempSync(join(tmpdir(), 'zs-chaos-'));
    const cleanup: Array<() => Promise<void> | void> = [() => rmSync(root, { recursive: true, force: true })];
    const undo = async (): Promise<void> => {
      for (const u of cleanup.reverse()) await Promise.resolve().then(u).catch(() => {});
    };
    try {
      const { specs: plain, network } = await planWithProxies(root, hosts, perZone, o.seed);
      cleanup.push(() => network.stop());
      const specs = proxiedSpecs(plain, (name) => network.addressOf(name));
      const nodeDirs = dataNodeDirs(specs);

      if (isRoot()) {
        const bytes = o.dataNodeDiskBytes ?? DEFAULT_DATA_NODE_DISK_BYTES;
        for (const dir of nodeDirs.values()) {
          mountTmpfs(dir, bytes);
          cleanup.push(() => unmountTmpfs(dir));
        }
      } else {
        log('not root: data nodes use the ordinary disk, and disk-full faults are refused');
      }

      let nft: NftNetwork | undefined;
      if (useNft) {
        nft = await NftNetwork.start({ zones: specs.map((s): ZoneAddress => ({ zone: s.zone, host: s.host })) });
        const started = nft;
        cleanup.push(() => started.stop());
      }

      const processes = new WatchedZoneCluster(specs, { extraArgs: o.zoneArgs ?? [], env: o.env, control: true });
      processes.log = log;
      cleanup.push(async () => {
        processes.killAllNow();
        await processes.stopAll();
      });
      const { credentials } = processes.rootCredentials();
      const ready = await processes.startAll();
      const zones = specs.map((s) => s.zone);
      const cluster: ChaosCluster = new ChaosCluster(
        root, zones, { zones, dataNodes: dataNodesByZone(specs) }, ready.map((r) => r.gateway.url),
        { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        specs.map((s) => s.metaApiAddress), network, processes, nft,
        new ChaosFaultExecutor({
          zones: processes, network, rules: nft, log,
          nodeDir: (id) => {
            const dir = nodeDirs.get(id);
            if (!dir) throw new Error(`no data node ${id}`);
            return dir;
          },
          leaderZone: () => cluster.metaLeaderZone(),
        }),
        nodeDirs, o.keepRoot ?? false, log,
      );
      log(`chaos cluster in ${root}: ${zones.map((z, i) => `${z} ${specs[i]!.host} ${cluster.endpoints[i]}`).join(', ')}${nft ? `; nft table ${nft.tableName}` : ''}`);
      await cluster.waitHealthy(CHAOS_CLUSTER_START_TIMEOUT_MS);
      return cluster;
    } catch (err) {
      await undo();
      throw err;
    }
  }

  /** The zone hosting the meta leader, asked of every replica at its direct address; undefined if none appears in time. */
  async metaLeaderZone(timeoutMs = DEFAULT_LEADER_TIMEOUT_MS): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const zone = leaderZoneOf(await replicaStatuses(this.metaApiAddresses, Math.max(200, Math.min(2_000, deadline - Date.now()))));
      if (zone || Date.now() >= deadline) return zone;
      await sleep(200);
    }
  }

  /** Zones that exited without being killed or stopped (crashes), oldest first. */
  get unexpectedExits(): readonly UnexpectedExit[] {
    return this.processes.unexpectedExits;
  }

  inject(fault: NemesisFault): Promise<AppliedFault> {
    return this.executor.inject(fault);
  }

  heal(applied: AppliedFault): Promise<void> {
    return this.executor.heal(applied);
  }

  /** Every zone running and resumed, the network healed, disks unfilled, nodes started. */
  healAll(): Promise<void> {
    return this.executor.healAll();
  }

  /** Until every gateway answers, every replica answers with a leader among them, and every data node is UP. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const dataNodes = Object.values(this.topology.dataNodes).flat();
    let reasons: string[] = [];
    for (;;) {
      reasons = await unhealthyReasons({ metaApiAddresses: this.metaApiAddresses, endpoints: this.endpoints, dataNodes });
      if (reasons.length === 0) return;
      if (Date.now() >= deadline) throw new Error(`the chaos cluster is not healthy after ${timeoutMs} ms: ${reasons.join('; ')} (logs: ${this.root}/zone-*/zone.log)`);
      await sleep(250);
    }
  }

  /** A data node's directory (for tests that look at its files). */
  nodeDir(nodeId: string): string {
    const dir = this.nodeDirs.get(nodeId);
    if (!dir) throw new Error(`no data node ${nodeId}`);
    return dir;
  }

  /** Kills every zone, stops the proxies, removes nft rules and tmpfs mounts, and the temp dir unless kept. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.executor.resumeAll();
      await Promise.all(this.zones.map((z) => this.processes.kill(z, 'SIGKILL')));
      await this.network.stop().catch(() => {});
      await this.nft?.stop().catch(() => {});
      for (const dir of this.nodeDirs.values()) {
        try {
          if (isTmpfsMounted(dir)) unmountTmpfs(dir);
        } catch (err) {
          this.log(`cannot unmount ${dir}: ${(err as Error).message}`);
        }
      }
      if (!this.keepRoot) rmSync(this.root, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}

/**
 * Free ports for every server (fixed: a restarted zone comes back on them, and proxies target
 * them), then a proxy in front of each. A proxy the kernel happened to put on one of the
 * servers' ports (freed again before the zones bind) means trying again.
 */
async function planWithProxies(root: string, hosts: string[], perZone: number, seed: number) {
  for (let attempt = 1; ; attempt++) {
    const ports: ZonePorts[] = [];
    for (const host of hosts) {
      const [metaApi, metaRaft, gateway, ...dataNodes] = await freePorts(3 + perZone, host) as [number, number, number, ...number[]];
      ports.push({ metaApi, metaRaft, gateway, dataNodes });
    }
    const specs = planZones({ root, hosts, ports });
    const network = await ZoneNetwork.start(specs.map((s) => ({ zone: s.zone, host: s.host })), proxiedServers(specs), seed);
    const serverAddresses = new Set(specs.flatMap((s, i) => [ports[i]!.metaApi, ports[i]!.metaRaft, ports[i]!.gateway!, ...ports[i]!.dataNodes].map((p) => `${s.host}:${p}`)));
    const clash = proxiedServers(specs).some((srv) => serverAddresses.has(network.addressOf(srv.name)));
    if (!clash) return { specs, network };
    await network.stop();
    if (attempt >= PORT_PLAN_ATTEMPTS) throw new Error(`no clash-free port plan in ${PORT_PLAN_ATTEMPTS} attempts`);
  }
}
