// Three metadata replicas as child processes, one per zone address (127.0.0.11/.12/.13), on
// free ports and fresh temp dirs. Every wait has a timeout; stop() (and, as a last resort,
// process exit) kills every child, so a failing test leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { freePorts } from '../../../services/common/free-ports.ts';
import { EXIT_WITH_PARENT_ENV } from '../../../services/common/process-lifecycle.ts';

const ZONE_LOOPBACKS = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
export const READY_TIMEOUT_MS = 30_000;
/** Time a child gets after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;
const ENTRY = resolve('services/meta/meta-node-main.ts');

export interface ClusterOptions {
  tickMs?: number;
  snapshotEvery?: number;
  snapshotKeep?: number;
  /** Extra arguments for every replica. */
  extraArgs?: string[];
  /** Node flags for every replica process (e.g. --cpu-prof when profiling a benchmark). */
  nodeArgs?: string[];
  /** pino level of the replicas' logs (default info: tests read some lines). */
  logLevel?: string;
}

export interface Member {
  id: string;
  zone: string;
  ip: string;
  raftAddress: string;
  apiAddress: string;
  dataDir: string;
  child: ChildProcess | null;
  exited: Promise<void> | null;
  /** The child's stderr (logs), for assertions and failure reports. */
  log: string[];
}

/** 127.0.0.0/8 is all loopback on Linux; elsewhere (stock macOS) only 127.0.0.1 exists. */
async function canListenOn(ip: string): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(0, ip, () => s.close(() => res(true)));
  });
}

/** One loopback address per zone where the OS has them, else all on 127.0.0.1. */
export async function zoneIps(): Promise<string[]> {
  return (await canListenOn(ZONE_LOOPBACKS[1]!)) ? ZONE_LOOPBACKS : ZONE_LOOPBACKS.map(() => '127.0.0.1');
}

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });

export class MetaProcessCluster {
  private readonly clients: MetaClient[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(readonly root: string, readonly members: Member[], private readonly opts: ClusterOptions) {}

  static async start(opts: ClusterOptions = {}): Promise<MetaProcessCluster> {
    const root = mkdtempSync(join(tmpdir(), 'zs-meta-it-'));
    const members: Member[] = [];
    const ips = await zoneIps();
    for (let i = 0; i < ips.length; i++) {
      const ip = ips[i]!;
      const [raft, api] = await freePorts(2, ip);
      members.push({
        id: `meta-${i + 1}`, zone: `zone-${i + 1}`, ip, raftAddress: `${ip}:${raft}`, apiAddress: `${ip}:${api}`,
        dataDir: join(root, `zone-${i + 1}`), child: null, exited: null, log: [],
      });
    }
    const cluster = new MetaProcessCluster(root, members, opts);
    try {
      await Promise.all(members.map((m) => cluster.startMember(m)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  member(id: string): Member {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  /** A client of the given members (all by default). */
  client(ids: string[] = this.members.map((m) => m.id), retryForMs?: number): MetaClient {
    const c = new MetaClient({ addresses: ids.map((id) => this.member(id).apiAddress), retryForMs });
    this.clients.push(c);
    return c;
  }

  /** The id of the replica that leads, as reported by a live replica's Status. */
  async leader(timeoutMs = 20_000): Promise<string> {
    return waitFor('a leader', async () => {
      for (const m of this.members) {
        if (!m.child) continue;
        const c = new MetaClient({ addresses: [m.apiAddress], retryForMs: 0, callTimeoutMs: 1_000 });
        try {
          const s = await c.call('status', {});
          if (s.role === 'leader') return s.id;
        } catch {
          // down or starting
        } finally {
          c.close();
        }
      }
      return undefined;
    }, timeoutMs);
  }

  async status(id: string) {
    const c = new MetaClient({ addresses: [this.member(id).apiAddress], retryForMs: 2_000, callTimeoutMs: 2_000 });
    try {
      return await c.call('status', {});
    } finally {
      c.close();
    }
  }

  /** SIGKILL: the zone is lost at once, nothing flushed. */
  async kill(id: string): Promise<void> {
    const m = this.member(id);
    m.child?.kill('SIGKILL');
    await m.exited;
  }

  async restart(id: string): Promise<void> {
    await this.startMember(this.member(id));
  }

  /** Idempotent: later calls return the first call's promise. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    for (const c of this.clients) c.close();
    await Promise.all(this.members.map(async (m) => {
      if (!m.child) return;
      m.child.kill('SIGTERM');
      const timer = setTimeout(() => m.child?.kill('SIGKILL'), STOP_GRACE_MS);
      await m.exited;
      clearTimeout(timer);
    }));
    rmSync(this.root, { recursive: true, force: true });
  }

  /** The last lines of every member's log, for a failure message. */
  logs(lines = 30): string {
    return this.members.map((m) => `--- ${m.id}\n${m.log.slice(-lines).join('\n')}`).join('\n');
  }

  private startMember(m: Member): Promise<void> {
    const o = this.opts;
    const args = [
      ...(o.nodeArgs ?? []), '--import', 'tsx', ENTRY, '--id', m.id, '--zone', m.zone, '--data-dir', m.dataDir,
      '--raft-address', m.raftAddress, '--api-address', m.apiAddress,
      ...this.members.flatMap((p) => ['--peer', `${p.id}=${p.raftAddress}/${p.apiAddress}`]),
      '--tick-ms', String(o.tickMs ?? 50),
      ...(o.snapshotEvery !== undefined ? ['--snapshot-every', String(o.snapshotEvery)] : []),
      ...(o.snapshotKeep !== undefined ? ['--snapshot-keep', String(o.snapshotKeep)] : []),
      ...(o.extraArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: o.logLevel ?? 'info', [EXIT_WITH_PARENT_ENV]: '1' } });
    live.add(child);
    m.child = child;
    m.exited = new Promise((res) => child.once('exit', () => {
      live.delete(child);
      if (m.child === child) m.child = null;
      res();
    }));
    createInterface({ input: child.stderr! }).on('line', (l) => { m.log.push(l); });
    return new Promise<void>((res, rej) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        rej(new Error(`${m.id} not READY within ${READY_TIMEOUT_MS} ms:\n${m.log.slice(-20).join('\n')}`));
      }, READY_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (l) => {
        if (!l.startsWith('READY ')) return;
        clearTimeout(timer);
        res();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`${m.id} exited with ${code} before READY:\n${m.log.slice(-20).join('\n')}`));
      });
    });
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
