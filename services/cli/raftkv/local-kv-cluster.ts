// Three kv-node processes on this machine, one per zone (127.0.0.11/.12/.13 where the OS allows,
// else 127.0.0.1), each with its own data directory under `root`. Ports are chosen once and
// kept, so a node restarted later rejoins at the address its peers know.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KvNodeProcess, freePort, type KvNodeSpec, type ReadyInfo } from './kv-node-process.ts';
import { zoneHosts } from '../zone/zone-hosts.ts';

export const ZONE_NODE_IDS = ['z1', 'z2', 'z3'] as const;

export interface LocalKvClusterOptions {
  root: string;
  tickMs?: number;
  snapshotEvery?: number;
  env?: NodeJS.ProcessEnv;
}

export class LocalKvCluster {
  private readonly procs = new Map<string, KvNodeProcess>();

  private constructor(readonly specs: ReadonlyMap<string, KvNodeSpec>) {}

  /** Picks addresses and ports; starts nothing yet. */
  static async plan(opts: LocalKvClusterOptions): Promise<LocalKvCluster> {
    const hosts = await zoneHosts(3);
    const peers: Record<string, string> = {};
    const kvPeers: Record<string, string> = {};
    for (const [i, id] of ZONE_NODE_IDS.entries()) {
      const host = hosts[i]!;
      peers[id] = `${host}:${await freePort(host)}`;
      kvPeers[id] = `${host}:${await freePort(host)}`;
    }
    const specs = new Map<string, KvNodeSpec>();
    for (const id of ZONE_NODE_IDS) {
      const dataDir = join(opts.root, id);
      mkdirSync(dataDir, { recursive: true });
      specs.set(id, {
        id, dataDir, raftAddr: peers[id]!, kvAddr: kvPeers[id]!, peers, kvPeers,
        tickMs: opts.tickMs, snapshotEvery: opts.snapshotEvery, env: opts.env,
        logFile: join(opts.root, `${id}.log`),
      });
    }
    return new LocalKvCluster(specs);
  }

  get kvEndpoints(): string[] {
    return [...this.specs.values()].map((s) => s.kvAddr);
  }

  node(id: string): KvNodeProcess | undefined {
    return this.procs.get(id);
  }

  /** Starts `id` (again) and waits for its READY line. */
  async start(id: string): Promise<ReadyInfo> {
    const spec = this.specs.get(id);
    if (!spec) throw new Error(`unknown node ${id}`);
    if (this.procs.get(id)?.running) throw new Error(`${id} is already running`);
    const p = KvNodeProcess.start(spec);
    this.procs.set(id, p);
    return p.ready;
  }

  async startAll(): Promise<ReadyInfo[]> {
    const started = [...this.specs.keys()].map((id) => this.start(id));
    return Promise.all(started);
  }

  kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    return this.procs.get(id)?.kill(signal) ?? Promise.resolve('not running');
  }

  async stop(id: string): Promise<number | string> {
    return this.procs.get(id)?.stop() ?? 'not running';
  }

  /** Stops every node (SIGTERM, SIGKILL after a grace period); safe to call any time. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop()));
  }

  /** Synchronous last resort for process-exit handlers: SIGKILL whatever still runs. */
  killAllNow(): void {
    for (const p of this.procs.values()) if (p.running) p.child.kill('SIGKILL');
  }
}
