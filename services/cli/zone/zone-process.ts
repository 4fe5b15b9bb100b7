// One zone, hosted in one process: its data nodes, its meta replica (with garbage collection
// wired to the data nodes), its S3 gateway, the reporter that keeps the zone's nodes in the placement map and,
// while this zone's replica leads, the sweeper that marks silent nodes DOWN. Killing the process
// is losing the zone. Started in dependency order, stopped in reverse.
//
//   const zone = await startZone({ ...spec, log });   // spec from zone-layout.ts planZones()
//   zone.info  // addresses, for READY
//   await zone.stop();
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DataNode } from '../../data/data-node.ts';
import { MetaClient } from '../../meta/client/meta-client.ts';
import { startMetaReplica, type MetaReplica } from '../../meta/replica/meta-replica.ts';
import type { GarbageCollectorOptions } from '../../meta/gc/garbage-collector.ts';
import { DataNodeChunkDeleter } from './data-node-chunk-deleter.ts';
import { PlacementMapDirectory } from './data-node-directory.ts';
import { DataNodeReporter } from './data-node-reporter.ts';
import { StaleNodeSweeper } from './stale-node-sweeper.ts';
import { PeriodicTask } from './periodic-task.ts';
import { DEFAULT_LIFECYCLE_INTERVAL_MS, LifecycleWorker } from '../../meta/lifecycle/lifecycle-worker.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { RepairWorker, type RepairPassSummary } from '../../gateway/repair/index.ts';
import { HostedDataNode } from './hosted-data-node.ts';
import type { RootCredentials } from '../../gateway/credentials/root-credentials.ts';
import { SHARED_LOOPBACK, dataNodeDirOf, dataNodeId, metaDirOf, type ZoneSpec } from './zone-layout.ts';

/**
 * The zone's own calls to the metadata service (registration, reports, map reads) give up after
 * this long and are tried again next round, so a round never hangs through a long election.
 */
export const ZONE_META_CALL_TIMEOUT_MS = 5_000;
/** One attempt of such a call: a silent replica leaves time to ask another within the round. */
export const ZONE_META_ATTEMPT_TIMEOUT_MS = 2_000;

export interface ZoneOptions extends ZoneSpec {
  /** Data bytes each data node may hold (default: its filesystem's size). */
  dataNodeCapacityBytes?: number;
  /** Raft tick of the meta replica (tests shorten it for faster elections). */
  tickMs?: number;
  reportIntervalMs?: number;
  reportTimeoutMs?: number;
  gc?: Partial<GarbageCollectorOptions>;
  log: Logger;
  rootCredentials: RootCredentials;
  region?: string;
  /** Domains under which buckets are addressed virtual-host style. */
  baseDomains?: string[];
  /** The meta replica died on its own (storage failure): the host should exit. */
  onFatal?: (err: Error) => void;
  /** Pause between the repair worker's passes (default DEFAULT_REPAIR_INTERVAL_MS). */
  repairIntervalMs?: number;
  /** The gateway also serves HTTPS with this certificate on `port` of --host (0: any). */
  gatewayTls?: { certPem: string; keyPem: string; port: number };
  /** The gateway serves plain HTTP (default true). */
  gatewayPlainHttp?: boolean;
  /** The KMS root key (services/kms/); absent: the gateway refuses KMS and SSE requests. */
  kmsRootKey?: Buffer;
  /** Access / audit logs: delivery interval (default hourly) and the audit bucket; the write-ahead file lives in `<dataDir>/access-log/`. */
  accessLog?: { intervalMs?: number; auditBucket?: string };
  /** Test knob: the length of a lifecycle "day" in ms (default 86 400 000). */
  lifecycleDayLengthMs?: number;
  /** Pause between lifecycle passes (default DEFAULT_LIFECYCLE_INTERVAL_MS). */
  lifecycleIntervalMs?: number;
}

export interface ZoneInfo {
  zone: string;
  host: string;
  meta: { id: string; raftAddress: string; apiAddress: string };
  /** `address`: where the node listens; `advertisedAddress`: what the placement map records (a proxy, under chaos). */
  dataNodes: Array<{ id: string; address: string; advertisedAddress: string }>;
  /** The zone's S3 endpoint. */
  gateway: { address: string; url: string; httpsUrl?: string };
}

/** A listen address was taken: said plainly, since it usually means another cluster runs. */
export class AddressInUseError extends Error {
  constructor(readonly address: string, readonly what: string) {
    super(`${what} cannot listen on ${address}: the address is in use (another \`zonestore up\`, or another program, has it)`);
  }
}

function isAddressInUse(err: unknown): boolean {
  return /EADDRINUSE/.test((err as Error)?.message ?? '');
}

export class RunningZone {
  private stopping: Promise<void> | null = null;

  constructor(
    readonly info: ZoneInfo,
    readonly replica: MetaReplica,
    private readonly hostedNodes: readonly HostedDataNode[],
    private readonly repair: RepairWorker,
    private readonly stack: Array<() => Promise<void> | void>,
  ) {}

  /** The data nodes running now (a node stopped by stopDataNode is missing). */
  get dataNodes(): DataNode[] {
    return this.hostedNodes.flatMap((n) => (n.running ? [n.running] : []));
  }

  /**
   * Stops one data node as if it crashed (test/chaos hook): its server goes away, the gateway's
   * in-process client fails like a dead node's, and the reporter reports it DOWN.
   */
  stopDataNode(id: string): Promise<void> {
    return this.hosted(id).stop();
  }

  /** Starts a stopped data node again on its port and directory (an emptied directory starts empty). */
  startDataNode(id: string): Promise<void> {
    return this.hosted(id).start();
  }

  /** A repair pass that starts now (test/benchmark hook: the durability run times repair with it). */
  runRepairPass(): Promise<RepairPassSummary> {
    return this.repair.runFreshPass();
  }

  private hosted(id: string): HostedDataNode {
    const n = this.hostedNodes.find((x) => x.id === id);
    if (!n) throw new Error(`no data node ${id} in ${this.info.zone} (it has ${this.hostedNodes.map((x) => x.id).join(', ')})`);
    return n;
  }

  /** Stops everything in reverse order of start; later calls return the same promise. */
  stop(): Promise<void> {
    this.stopping ??= unwind(this.stack);
    return this.stopping;
  }
}

async function unwind(stack: Array<() => Promise<void> | void>): Promise<void> {
  for (const undo of [...stack].reverse()) await Promise.resolve().then(undo).catch(() => {});
}

export async function startZone(o: ZoneOptions): Promise<RunningZone> {
  const log = o.log;
  // Outgoing connections leave from the zone's own address, like its servers listen there.
  const localAddress = o.host === SHARED_LOOPBACK ? undefined : o.host;
  // Peers and this zone's own clients dial the meta replica at these addresses: no port 0.
  for (const p of Object.values(o.metaPeers)) {
    if (p.apiAddress.endsWith(':0') || p.raftAddress.endsWith(':0')) throw new Error(`meta addresses need fixed ports: ${p.raftAddress} / ${p.apiAddress}`);
  }
  const stack: Array<() => Promise<void> | void> = [];
  try {
    if (o.advertisedDataNodes && o.advertisedDataNodes.length !== o.dataNodePorts.length) {
      throw new Error(`${o.advertisedDataNodes.length} advertised data node addresses for ${o.dataNodePorts.length} data nodes`);
    }
    const dataNodes: HostedDataNode[] = [];
    // Started after the gateway; scrub findings before then are seen by its first pass anyway.
    let repair: RepairWorker | undefined;
    for (const [i, port] of o.dataNodePorts.entries()) {
      const id = dataNodeId(o.zone, i + 1);
      const listen = `${o.host}:${port}`;
      const node = new HostedDataNode({
        id, zone: o.zone, dir: dataNodeDirOf(o.dataDir, i + 1), listen, advertisedAddress: o.advertisedDataNodes?.[i],
        capacityBytes: o.dataNodeCapacityBytes, log: log.child({ dataNode: id }),
        onScrubFinding: (f) => repair?.noteDamage(id, f.chunkId),
      });
      await node.start().catch((err: unknown) => {
        throw isAddressInUse(err) ? new AddressInUseError(listen, `data node ${id}`) : err;
      });
      stack.push(() => node.stop());
      dataNodes.push(node);
    }

    const others = Object.entries(o.metaPeers).filter(([id]) => id !== o.metaId).map(([, p]) => p.apiAddress);
    // Own replica first: it is the cheapest to reach and the one the sweeper asks as leader.
    const meta = new MetaClient({
      addresses: [o.metaApiAddress, ...others], localAddress,
      callTimeoutMs: ZONE_META_ATTEMPT_TIMEOUT_MS, retryForMs: ZONE_META_CALL_TIMEOUT_MS,
    });
    stack.push(() => meta.close());
    const deleter = new DataNodeChunkDeleter({
      directory: new PlacementMapDirectory(async () => (await meta.call('getPlacementMap', {})).nodes),
      localAddress,
    });
    stack.push(() => deleter.close());

    const replica = await startMetaReplica({
      id: o.metaId, zone: o.zone, dataDir: metaDirOf(o.dataDir),
      raftAddress: o.metaRaftAddress, apiAddress: o.metaApiAddress, peers: o.metaPeers,
      chunkDeleter: deleter, tickMs: o.tickMs, gc: o.gc, log: log.child({ meta: o.metaId }), onFatal: o.onFatal,
    }).catch((err: unknown) => {
      if (!isAddressInUse(err)) throw err;
      const taken = /EADDRINUSE: address already in use (\S+)/.exec((err as Error).message)?.[1];
      throw new AddressInUseError(taken ?? `${o.metaApiAddress} or ${o.metaRaftAddress}`, `meta replica ${o.metaId}`);
    });
    stack.push(() => replica.stop());

    const reporter = new DataNodeReporter({
      meta, zone: o.zone, localAddress, intervalMs: o.reportIntervalMs, log,
      nodes: dataNodes.map((n) => ({ id: n.id, address: n.advertisedAddress, probeAddress: n.address })),
    });
    reporter.start();
    stack.push(() => reporter.stop());
    const sweeper = new StaleNodeSweeper({
      meta, isLeader: () => replica.host.isLeader, timeoutMs: o.reportTimeoutMs, intervalMs: o.reportIntervalMs, log,
    });
    sweeper.start();
    stack.push(() => sweeper.stop());
    // Every zone runs the loop; only the one whose replica leads does any work in a pass.
    const lifecycleLog = log.child({ lifecycle: o.zone });
    const lifecycle = new LifecycleWorker({ meta, isLeader: () => replica.host.isLeader, dayLengthMs: o.lifecycleDayLengthMs, log: lifecycleLog });
    const lifecycleTask = new PeriodicTask(async () => {
      if (!replica.host.isLeader) return;
      const report = await lifecycle.runPass();
      lifecycleLog.info(report, 'lifecycle pass done');
    }, o.lifecycleIntervalMs ?? DEFAULT_LIFECYCLE_INTERVAL_MS, lifecycleLog, 'lifecycle pass failed');
    lifecycleTask.start();
    stack.push(async () => { lifecycle.stop(); await lifecycleTask.stop(); });

    const gatewayListen = `${o.host}:${o.gatewayPort}`;
    const gateway: RunningGateway = await startGateway({
      host: o.host, port: o.gatewayPort, metaAddresses: [o.metaApiAddress, ...others], localZone: o.zone, localAddress,
      rootCredentials: o.rootCredentials, region: o.region, baseDomains: o.baseDomains,
      // Keyed by what the placement map says, so the gateway finds its own nodes by their map address.
      inProcessNodes: new Map(dataNodes.map((n) => [n.advertisedAddress, n.chunkClient])),
      log: log.child({ gateway: o.zone }), tls: o.gatewayTls, plainHttp: o.gatewayPlainHttp, kmsRootKey: o.kmsRootKey,
      accessLog: { walDir: join(o.dataDir, 'access-log'), ...o.accessLog },
    }).catch((err: unknown) => {
      throw isAddressInUse(err) ? new AddressInUseError(gatewayListen, 'S3 gateway') : err;
    });
    stack.push(() => gateway.stop());

    // This zone's shards are repaired by this zone (every zone walks all manifests).
    const worker = RepairWorker.start({
      meta, zone: o.zone, localAddress, intervalMs: o.repairIntervalMs, log: log.child({ repair: o.zone }),
      inProcessNodes: new Map(dataNodes.map((n) => [n.advertisedAddress, n.chunkClient])),
    });
    repair = worker;
    stack.push(() => worker.stop());

    const info: ZoneInfo = {
      zone: o.zone, host: o.host,
      meta: { id: replica.id, raftAddress: replica.raftAddress, apiAddress: replica.apiAddress },
      dataNodes: dataNodes.map((n) => ({ id: n.id, address: n.address, advertisedAddress: n.advertisedAddress })),
      gateway: { address: gateway.address, url: gateway.url, ...(gateway.httpsUrl && { httpsUrl: gateway.httpsUrl }) },
    };
    log.info(info, 'zone started');
    return new RunningZone(info, replica, dataNodes, worker, stack);
  } catch (err) {
    await unwind(stack);
    throw err;
  }
}
