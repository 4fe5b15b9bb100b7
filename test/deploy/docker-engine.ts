// A Docker engine for the deployment tests: the one DOCKER_HOST names if it answers, else a
// dockerd started here (root only; Debian's docker.io, docker-compose and debootstrap are
// installed when missing) with its sockets under a temp dir and `--iptables=false
// --ip-forward=false --bridge=none`, so the host's firewall and forwarding are untouched (the
// compose file's user-defined networks still work). Image layers live in a cache dir so later
// runs on the same machine rebuild little. `stop()` ends the dockerd started here, and only it.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);
const APT_TIMEOUT_MS = 10 * 60_000;
const ENGINE_START_TIMEOUT_MS = 60_000;
const ENGINE_STOP_TIMEOUT_MS = 30_000;
const PACKAGES: Record<string, string> = { dockerd: 'docker.io', 'docker-compose': 'docker-compose', debootstrap: 'debootstrap' };

/** Layers, the base image's rootfs tarball and build caches: kept between runs. */
export function deployCacheDir(): string {
  const dir = process.env.ZONESTORE_DEPLOY_CACHE ?? (process.getuid?.() === 0 ? '/var/cache/zonestore-deploy' : join(tmpdir(), 'zonestore-deploy-cache'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface DockerEngine {
  /** unix:///… — pass as DOCKER_HOST to docker, docker-compose and testcontainers. */
  host: string;
  /** Environment for child processes that talk to this engine. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export class EngineUnavailable extends Error {}

async function answers(host: string): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { env: { ...process.env, DOCKER_HOST: host }, timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function which(cmd: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${cmd}`], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function ensurePackages(): Promise<void> {
  const missing = [];
  for (const [cmd, pkg] of Object.entries(PACKAGES)) if (!(await which(cmd))) missing.push(pkg);
  if (!(await which('docker'))) missing.push('docker.io');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new EngineUnavailable(`missing ${missing.join(', ')} and not root to install them`);
  process.stderr.write(`docker suite: installing ${[...new Set(missing)].join(' ')} from Debian\n`);
  try {
    await run('apt-get', ['update', '-qq'], { timeout: APT_TIMEOUT_MS });
    await run('apt-get', ['install', '-y', '-qq', ...new Set(missing)], { timeout: APT_TIMEOUT_MS, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (err) {
    throw new EngineUnavailable(`apt-get install ${missing.join(' ')} failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

function envFor(host: string): NodeJS.ProcessEnv {
  // No Ryuk sidecar: its image cannot be pulled here; the tests remove what they start.
  return { ...process.env, DOCKER_HOST: host, TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' };
}

export async function startDockerEngine(): Promise<DockerEngine> {
  const given = process.env.DOCKER_HOST;
  if (given && (await answers(given))) return { host: given, env: envFor(given), stop: async () => {} };
  if (process.platform !== 'linux') throw new EngineUnavailable(`no Docker engine at DOCKER_HOST and cannot start one on ${process.platform}`);
  if (process.getuid?.() !== 0) throw new EngineUnavailable('no Docker engine at DOCKER_HOST, and starting dockerd needs root');
  await ensurePackages();

  const cache = deployCacheDir();
  // Short paths: unix socket names are limited to 108 bytes.
  const runDir = mkdtempSync(join('/tmp', 'zsd-'));
  const pidInCache = join(cache, 'dockerd.pid');
  // Another dockerd (a test run still going) owns the cached data root: use a private one.
  const cachedRootBusy = existsSync(pidInCache) && isAlive(Number(readFileSync(pidInCache, 'utf8')));
  const dataRoot = cachedRootBusy ? join(runDir, 'data') : join(cache, 'docker');
  const pidFile = cachedRootBusy ? join(runDir, 'dockerd.pid') : pidInCache;
  const host = `unix://${join(runDir, 'docker.sock')}`;
  const logFile = join(runDir, 'dockerd.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn('dockerd', [
    '--data-root', dataRoot, '--exec-root', join(runDir, 'exec'), '--host', host, '--pidfile', pidFile,
    '--iptables=false', '--ip-forward=false', '--bridge=none', '--log-level=warn',
  ], { stdio: ['ignore', log, log], detached: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(ENGINE_STOP_TIMEOUT_MS).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    removeRunDir(runDir);
  };
  const deadline = Date.now() + ENGINE_START_TIMEOUT_MS;
  while (!(await answers(host))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
      await stop();
      throw new EngineUnavailable(`dockerd did not start: ${tail}`);
    }
    await sleep(250);
  }
  return { host, env: envFor(host), stop };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * dockerd leaves its network-namespace bind mounts under the exec root mounted after it exits;
 * they are unmounted (lazily) before the folder goes. A folder that still cannot go is reported,
 * not thrown: the engine itself is stopped.
 */
function removeRunDir(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { timeout: 10_000, stdio: 'ignore' });
    } catch {
      // reported below if it keeps the folder busy
    }
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    process.stderr.write(`docker suite: could not remove ${dir}: ${(err as Error).message}\n`);
  }
}
