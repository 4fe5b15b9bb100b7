// The real local cluster a measured durability run breaks (issue #9): three zone processes on
// their own loopback addresses (the client tests' launcher), each with its control channel open,
// repair passes only when the run asks for them (so repair is timed from the moment the damage
// is in place), and the faults the durability model assumes done to the real files and
// processes: a zone lost with its data disks, a data node's disk wiped, a node stopped, bytes
// rotted or chunks deleted on disk. Everything lives in a fresh temp dir, removed at stop.
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectClusterReport } from '../../../services/cli/status/cluster-report.ts';
import { dataNodeDirOf, plannedDataNodeIds } from '../../../services/cli/zone/zone-layout.ts';
import { fanOutDirs } from '../../../services/data/chunk-id.ts';
import type { RepairPassSummary } from '../../../services/gateway/repair/index.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { flipChunkFile } from '../../../test/chaos/cluster/chunk-files.ts';
import { wipeDirectory } from '../../../test/chaos/cluster/disk-fill.ts';
import { FAST_ZONE_ARGS, startS3Cluster, type S3Cluster } from '../../../test/clients/s3-cluster-fixture.ts';

/** Repair runs when the run says so: the interval is far beyond any run's length. */
const REPAIR_INTERVAL_FOR_RUN_MS = 24 * 3_600_000;
/** One repair pass over the whole store (10,000 objects read and checked per zone). */
export const REPAIR_PASS_TIMEOUT_MS = 20 * 60_000;

export interface RepairRound {
  /** Wall time of the round (the zones' passes run at once). */
  ms: number;
  passes: Array<{ zone: string } & RepairPassSummary>;
}

export class DurabilityCluster {
  readonly meta: MetaClient;
  /** Gateway URL per zone; a restarted zone's gateway listens on a new port. */
  private readonly gateways: string[];

  private constructor(private readonly c: S3Cluster, private readonly log: (line: string) => void) {
    this.meta = new MetaClient({ addresses: c.cluster.metaApiAddresses });
    this.gateways = [...c.endpoints];
  }

  /** `fastTiming`: the tests' short Raft ticks and health reports instead of `zonestore up`'s own. */
  static async start(o: { fastTiming: boolean; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<DurabilityCluster> {
    const zoneArgs = [...(o.fastTiming ? FAST_ZONE_ARGS : []), '--repair-interval-ms', String(REPAIR_INTERVAL_FOR_RUN_MS)];
    return new DurabilityCluster(await startS3Cluster({ zoneArgs, control: true, env: o.env }), o.log ?? (() => {}));
  }

  get endpoints(): string[] {
    return [...this.gateways];
  }

  get credentials(): { accessKeyId: string; secretAccessKey: string } {
    return this.c.credentials;
  }

  get zones(): string[] {
    return this.c.cluster.specs.map((s) => s.zone);
  }

  get root(): string {
    return this.c.root;
  }

  /** The zone's process id (for tests and profiling). */
  pid(zone: string): number | undefined {
    return this.c.cluster.process(zone)?.child.pid;
  }

  dataNodesOf(zone: string): string[] {
    return plannedDataNodeIds([this.c.cluster.spec(zone)]);
  }

  /** Node ids are `<zone>-data-<n>`, stored under `<zone dir>/data-<n>`. */
  nodeDir(node: string): string {
    const m = /^(.*)-data-(\d+)$/.exec(node);
    if (!m) throw new Error(`not a data node id: ${node}`);
    return dataNodeDirOf(this.c.cluster.spec(m[1]!).dataDir, Number(m[2]));
  }

  chunkPath(node: string, chunkId: string): string {
    return join(this.nodeDir(node), 'chunks', ...fanOutDirs(chunkId), chunkId);
  }

  /** The zone is gone, data disks and all: its process killed, every data node's directory emptied. */
  async loseZone(zone: string): Promise<void> {
    await this.c.cluster.kill(zone, 'SIGKILL');
    for (const node of this.dataNodesOf(zone)) wipeDirectory(this.nodeDir(node));
    this.log(`${zone}: killed, its ${this.dataNodesOf(zone).length} data disks wiped`);
  }

  /** The zone comes back (its meta replica with its state, its data nodes as they are on disk). */
  async restoreZone(zone: string): Promise<void> {
    const ready = await this.c.cluster.start(zone);
    this.gateways[this.zones.indexOf(zone)] = ready.gateway.url;
    this.log(`${zone}: started again, gateway ${ready.gateway.url}`);
  }

  async stopNode(node: string): Promise<void> {
    await this.zoneProcess(node).control(`node-stop ${node}`);
  }

  async startNode(node: string): Promise<void> {
    await this.zoneProcess(node).control(`node-start ${node}`);
  }

  /** A data node's disk replaced by an empty one: stopped, emptied, started. */
  async wipeNode(node: string): Promise<void> {
    await this.stopNode(node);
    wipeDirectory(this.nodeDir(node));
    await this.startNode(node);
    this.log(`${node}: disk wiped`);
  }

  /** Bitrot: data bytes of the chunk inverted behind the node's back. False if the file is not there. */
  async rotChunk(node: string, chunkId: string, seed: number): Promise<boolean> {
    return (await flipChunkFile(this.chunkPath(node, chunkId), seed).catch(() => undefined)) !== undefined;
  }

  deleteChunk(node: string, chunkId: string): void {
    unlinkSync(this.chunkPath(node, chunkId));
  }

  /** One repair pass in each of `zones` (default every zone) at once, each starting now. */
  async repairRound(zones: readonly string[] = this.zones): Promise<RepairRound> {
    const started = Date.now();
    const passes = await Promise.all(zones.map(async (zone) => {
      const reply = await this.c.cluster.process(zone)!.control('repair-pass', REPAIR_PASS_TIMEOUT_MS);
      return { zone, ...(reply.result as RepairPassSummary) };
    }));
    return { ms: Date.now() - started, passes };
  }

  /** Until meta has a leader and every data node is registered and UP (bounded). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const expectedDataNodes = plannedDataNodeIds(this.c.cluster.specs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await collectClusterReport(this.c.cluster.metaApiAddresses, { expectedDataNodes });
      if (report.healthy) return;
      if (Date.now() >= deadline) throw new Error(`the cluster is not healthy after ${timeoutMs} ms (logs: ${this.c.root}/zone-*/zone.log)`);
      await sleep(250);
    }
  }

  /** Kills every zone and removes the temp dir unless `keep`. */
  async stop(o: { keep?: boolean } = {}): Promise<void> {
    this.meta.close();
    if (!o.keep) {
      await this.c.stop();
      return;
    }
    await this.c.cluster.stopAll();
    this.log(`cluster directory kept: ${this.c.root}`);
  }

  private zoneProcess(node: string) {
    const zone = /^(.*)-data-\d+$/.exec(node)?.[1];
    const p = zone ? this.c.cluster.process(zone) : undefined;
    if (!p?.running) throw new Error(`the zone of ${node} is not running`);
    return p;
  }
}
