// The 3-node zonestore Raft KV cluster (services/cli/raftkv/kv-node-main.ts) as real
// processes on loopback, launched exactly like etcd: fresh data dirs, free ports, each node
// told every peer's raft and kv address, leader found through the Status RPC.
import { existsSync, mkdirSync, createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as grpc from '@grpc/grpc-js';
import type { ChildRegistry, RegisteredChild } from './child-registry.ts';
import { freePorts } from '../../services/common/free-ports.ts';
import { openChannel, zonestoreStatus } from './put-rpc.ts';
import { KV_NODE_ENTRY, PROFILER_HOOK_ENTRY, REPO_ROOT } from './repo-paths.ts';
import { PROFILE_DIR_ENV } from './profiler-hook.ts';

const READY_TIMEOUT_MS = 60_000;
const LEADER_TIMEOUT_MS = 30_000;
const STATUS_DEADLINE_MS = 2_000;
const HOST = '127.0.0.1';

export interface KvNode {
  id: string;
  pid: number;
  kvAddress: string;
  raftAddress: string;
  logFile: string;
  child: RegisteredChild;
}

export interface ZonestoreCluster {
  nodes: KvNode[];
  findLeader(): Promise<KvNode>;
  close(): void;
}

export interface ZonestoreLaunchOptions {
  tickMs?: number;
  /** Another kv node build to benchmark instead of services/cli/raftkv/kv-node-main.ts. */
  entry?: string;
  /** Extra flags for every node (experiments such as --snapshot-every 0). */
  extraArgs?: string[];
  /** When set, every node preloads the profiler hook and writes .cpuprofile files here. */
  profileDir?: string;
}

export function kvNodeEntryExists(entry = KV_NODE_ENTRY): boolean {
  return existsSync(entry);
}

export async function startZonestoreCluster(
  registry: ChildRegistry,
  baseDir: string,
  options: ZonestoreLaunchOptions,
  log: (line: string) => void,
): Promise<ZonestoreCluster> {
  const entry = options.entry ?? KV_NODE_ENTRY;
  if (!kvNodeEntryExists(entry)) throw new Error(`zonestore KV node entry missing: ${entry}`);
  const ids = ['z1', 'z2', 'z3'];
  const ports = await freePorts(ids.length * 2);
  const raftAddress = (i: number): string => `${HOST}:${ports[2 * i]}`;
  const kvAddress = (i: number): string => `${HOST}:${ports[2 * i + 1]}`;
  const peers = ids.map((id, i) => `${id}=${raftAddress(i)}`).join(',');
  const kvPeers = ids.map((id, i) => `${id}=${kvAddress(i)}`).join(',');

  const readiness: Promise<void>[] = [];
  const nodes = ids.map((id, i): KvNode => {
    const dataDir = join(baseDir, id);
    mkdirSync(dataDir, { recursive: true });
    const logFile = join(baseDir, `${id}.log`);
    const nodeArgs = ['--import', 'tsx'];
    if (options.profileDir) nodeArgs.push('--import', PROFILER_HOOK_ENTRY);
    const args = [
      ...nodeArgs,
      entry,
      '--id', id,
      '--data-dir', dataDir,
      '--raft-addr', raftAddress(i),
      '--kv-addr', kvAddress(i),
      '--peers', peers,
      '--kv-peers', kvPeers,
      ...(options.tickMs ? ['--tick-ms', String(options.tickMs)] : []),
      ...(options.extraArgs ?? []),
    ];
    const env = {
      // warn, like etcd's --log-level=warn: per-request info logging is not what is measured
      LOG_LEVEL: 'warn',
      ...process.env,
      ...(options.profileDir ? { [PROFILE_DIR_ENV]: options.profileDir } : {}),
    };
    const child = registry.spawn(`kv-${id}`, process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const node: KvNode = { id, pid: child.pid, kvAddress: kvAddress(i), raftAddress: raftAddress(i), logFile, child };
    readiness.push(waitForReadyLine(node));
    return node;
  });
  log(`zonestore: started ${nodes.map((n) => `${n.id} pid ${n.pid} kv@${n.kvAddress} raft@${n.raftAddress}`).join(', ')}`);
  const results = await Promise.allSettled(readiness);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  const clients = new Map(nodes.map((n, i) => [n.id, openChannel(n.kvAddress, 1_000 + i)]));
  return {
    nodes,
    findLeader: () => findLeader(nodes, clients),
    close: () => clients.forEach((c) => c.close()),
  };
}

/** Resolves on the node's `READY {...}` stdout line; everything it prints goes to its log file. */
function waitForReadyLine(node: KvNode): Promise<void> {
  const out = createWriteStream(node.logFile, { flags: 'a' });
  const proc = node.child.process;
  proc.stderr!.pipe(out, { end: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kv node ${node.id} printed no READY within ${READY_TIMEOUT_MS} ms:\n${tail(node.logFile)}`)),
      READY_TIMEOUT_MS,
    );
    const onExit = (code: number | null, sig: string | null): void => {
      clearTimeout(timer);
      // give the log stream a moment to flush what the node said before dying
      setTimeout(() => reject(new Error(`kv node ${node.id} exited (${sig ?? code}) before READY:\n${tail(node.logFile)}`)), 200);
    };
    proc.once('exit', onExit);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      out.write(line + '\n');
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        proc.off('exit', onExit);
        resolve();
      }
    });
  });
}

/** Polls Status on every node until one claims leadership and the others agree (or time out). */
async function findLeader(nodes: KvNode[], clients: Map<string, grpc.Client>): Promise<KvNode> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  let lastProblem = 'no status yet';
  while (Date.now() < deadline) {
    const statuses = await Promise.all(
      nodes.map((n) => zonestoreStatus(clients.get(n.id)!, STATUS_DEADLINE_MS).catch((err: Error) => err)),
    );
    const self = statuses.find((s, i) => !(s instanceof Error) && (s.role.toLowerCase() === 'leader' || s.leader === nodes[i]!.id));
    if (self && !(self instanceof Error)) {
      const leader = nodes.find((n) => n.id === self.id) ?? nodes.find((n) => n.kvAddress === self.leaderAddress);
      if (leader) return leader;
    }
    lastProblem = statuses.map((s, i) => `${nodes[i]!.id}: ${s instanceof Error ? s.message : `role=${s.role} leader=${s.leader}`}`).join('; ');
    await sleep(200);
  }
  throw new Error(`zonestore: no leader within ${LEADER_TIMEOUT_MS} ms (${lastProblem})`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
