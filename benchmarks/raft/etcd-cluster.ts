// A 3-member etcd cluster on loopback, the reference the zonestore Raft KV is measured
// against. Debian's etcd-server with its defaults (WAL fsync on every commit batch), data in a
// fresh temp dir, free ports on 127.0.0.1. Installed with apt-get when missing.
import { execFile } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildRegistry, RegisteredChild } from './child-registry.ts';
import { freePorts } from '../../services/common/free-ports.ts';

const run = promisify(execFile);
const APT_TIMEOUT_MS = 15 * 60_000;
const HEALTH_TIMEOUT_MS = 60_000;
const STATUS_TIMEOUT_MS = 15_000;
const HOST = '127.0.0.1';

export interface EtcdMember {
  name: string;
  pid: number;
  clientUrl: string;
  /** host:port of the client gRPC endpoint, what the load driver dials. */
  grpcAddress: string;
  logFile: string;
  child: RegisteredChild;
}

export interface EtcdCluster {
  version: string;
  members: EtcdMember[];
  findLeader(): Promise<EtcdMember>;
}

/** Returns etcd's version, installing etcd-server and etcd-client first when missing. */
export async function ensureEtcdInstalled(log: (line: string) => void): Promise<string> {
  const existing = await etcdVersion();
  if (existing && (await hasEtcdctl())) return existing;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptInstall = [...sudo, 'apt-get', 'install', '-y', '--no-install-recommends', 'etcd-server', 'etcd-client'];
  log(`etcd not found: running \`${aptInstall.join(' ')}\``);
  try {
    await run(aptInstall[0]!, aptInstall.slice(1), { env, timeout: APT_TIMEOUT_MS, maxBuffer: 64 << 20 });
  } catch {
    // Usually stale package lists: refresh once and retry.
    const aptUpdate = [...sudo, 'apt-get', 'update'];
    log(`install failed; running \`${aptUpdate.join(' ')}\` and retrying`);
    await run(aptUpdate[0]!, aptUpdate.slice(1), { env, timeout: APT_TIMEOUT_MS, maxBuffer: 64 << 20 });
    await run(aptInstall[0]!, aptInstall.slice(1), { env, timeout: APT_TIMEOUT_MS, maxBuffer: 64 << 20 });
  }
  const installed = await etcdVersion();
  if (!installed) throw new Error('etcd still missing after apt-get install');
  log(`installed etcd ${installed}`);
  return installed;
}

async function etcdVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('etcd', ['--version'], { timeout: 10_000 });
    return /etcd Version:\s*(\S+)/.exec(stdout)?.[1] ?? stdout.trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

async function hasEtcdctl(): Promise<boolean> {
  try {
    await run('etcdctl', ['version'], { timeout: 10_000, env: { ...process.env, ETCDCTL_API: '3' } });
    return true;
  } catch {
    return false;
  }
}

export async function startEtcdCluster(
  registry: ChildRegistry,
  baseDir: string,
  version: string,
  log: (line: string) => void,
): Promise<EtcdCluster> {
  const names = ['e1', 'e2', 'e3'];
  const ports = await freePorts(names.length * 2);
  const peerUrl = (i: number): string => `http://${HOST}:${ports[2 * i + 1]}`;
  const clientUrl = (i: number): string => `http://${HOST}:${ports[2 * i]}`;
  const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(',');
  const token = `zonestore-bench-${process.pid}-${Date.now()}`;

  const members = names.map((name, i): EtcdMember => {
    const dataDir = join(baseDir, name);
    mkdirSync(dataDir, { recursive: true });
    const logFile = join(baseDir, `${name}.log`);
    const logFd = openSync(logFile, 'a');
    const args = [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${clientUrl(i)}`,
      `--advertise-client-urls=${clientUrl(i)}`,
      `--listen-peer-urls=${peerUrl(i)}`,
      `--initial-advertise-peer-urls=${peerUrl(i)}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-state=new`,
      `--initial-cluster-token=${token}`,
      '--logger=zap',
      '--log-level=warn',
    ];
    const child = registry.spawn(`etcd-${name}`, 'etcd', args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd); // the child holds its own copy
    return { name, pid: child.pid, clientUrl: clientUrl(i), grpcAddress: clientUrl(i).slice('http://'.length), logFile, child };
  });
  log(`etcd: started ${members.map((m) => `${m.name} pid ${m.pid} @ ${m.grpcAddress}`).join(', ')}`);

  await waitForHealth(members);
  const cluster: EtcdCluster = { version, members, findLeader: () => findLeader(members) };
  return cluster;
}

async function waitForHealth(members: EtcdMember[]): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  const pending = new Set(members);
  while (pending.size > 0) {
    for (const m of [...pending]) {
      if (await isHealthy(m)) pending.delete(m);
    }
    if (pending.size === 0) return;
    const dead = members.find((m) => m.child.process.exitCode !== null || m.child.process.signalCode !== null);
    if (dead) throw new Error(`etcd ${dead.name} exited during startup:\n${tail(dead.logFile)}`);
    if (Date.now() > deadline) {
      const m = [...pending][0]!;
      throw new Error(`etcd ${m.name} not healthy within ${HEALTH_TIMEOUT_MS} ms:\n${tail(m.logFile)}`);
    }
    await sleep(250);
  }
}

async function isHealthy(member: EtcdMember): Promise<boolean> {
  try {
    const res = await fetch(`${member.clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** Asks etcdctl which member leads; the load always goes straight to it. */
async function findLeader(members: EtcdMember[]): Promise<EtcdMember> {
  const { stdout } = await run(
    'etcdctl',
    ['--endpoints', members.map((m) => m.clientUrl).join(','), 'endpoint', 'status', '-w', 'json', '--command-timeout=5s'],
    { timeout: STATUS_TIMEOUT_MS, env: { ...process.env, ETCDCTL_API: '3' } },
  );
  // Member ids are uint64: quote every long integer before JSON.parse so none loses precision.
  const rows = JSON.parse(stdout.replace(/:\s*(\d{16,})/g, ':"$1"')) as Array<{
    Endpoint: string;
    Status: { header: { member_id: string | number }; leader: string | number };
  }>;
  for (const row of rows) {
    if (String(row.Status.header.member_id) === String(row.Status.leader)) {
      const leader = members.find((m) => m.clientUrl === row.Endpoint);
      if (leader) return leader;
    }
  }
  throw new Error(`etcd: no leader in endpoint status:\n${stdout}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
