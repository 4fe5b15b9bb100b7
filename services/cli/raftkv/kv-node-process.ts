// Launching kv-node-main.ts as a child process and waiting for its READY line. Shared by
// `zonestore up` and the real-process tests, so both start nodes exactly the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** How long a node may take from spawn to READY (tsx compiles the sources on first start). */
export const NODE_READY_TIMEOUT_MS = 30_000;
/** After SIGTERM, how long a node gets before SIGKILL. */
export const NODE_STOP_GRACE_MS = 5_000;

/** Set to 1 by launchers that want the node to stop when they die (kv-node-main watches it). */
import { EXIT_WITH_PARENT_ENV } from '../../common/process-lifecycle.ts';
import { freePorts } from '../../common/free-ports.ts';
import { isRunning, killChild, stopChild } from '../../common/child-stop.ts';

export const KV_NODE_ENTRY = fileURLToPath(new URL('./kv-node-main.ts', import.meta.url));
/** tsx's ESM loader, resolved from here so children work whatever the working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

export interface KvNodeSpec {
  id: string;
  dataDir: string;
  raftAddr: string;
  kvAddr: string;
  peers: Record<string, string>;
  kvPeers: Record<string, string>;
  tickMs?: number;
  snapshotEvery?: number;
  /** stderr (pino logs) is appended here; stdout after READY too. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

export interface ReadyInfo {
  id: string;
  raftAddr: string;
  kvAddr: string;
}

export class KvNodeProcess {
  readonly ready: Promise<ReadyInfo>;
  /** Resolves with the exit code, or the signal name, once the process is gone. */
  readonly exited: Promise<number | string>;

  private constructor(readonly spec: KvNodeSpec, readonly child: ChildProcess) {
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    child.stderr!.pipe(log);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    this.ready = new Promise<ReadyInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${spec.id}: no READY within ${NODE_READY_TIMEOUT_MS} ms (log: ${spec.logFile})`)), NODE_READY_TIMEOUT_MS);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice('READY '.length)) as ReadyInfo);
        } else {
          log.write(line + '\n');
        }
      });
      void this.exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`${spec.id}: exited (${how}) before READY (log: ${spec.logFile})`));
      });
    });
    this.ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  static start(spec: KvNodeSpec): KvNodeProcess {
    const args = [
      '--import', TSX_LOADER, KV_NODE_ENTRY,
      '--id', spec.id, '--data-dir', spec.dataDir, '--raft-addr', spec.raftAddr, '--kv-addr', spec.kvAddr,
      '--peers', idMap(spec.peers), '--kv-peers', idMap(spec.kvPeers),
    ];
    if (spec.tickMs !== undefined) args.push('--tick-ms', String(spec.tickMs));
    if (spec.snapshotEvery !== undefined) args.push('--snapshot-every', String(spec.snapshotEvery));
    const env = { ...(spec.env ?? process.env), [EXIT_WITH_PARENT_ENV]: '1' };
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    return new KvNodeProcess(spec, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    return killChild(this.child, this.exited, signal);
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs = NODE_STOP_GRACE_MS): Promise<number | string> {
    return stopChild(this.child, this.exited, graceMs);
  }
}

function idMap(m: Record<string, string>): string {
  return Object.entries(m).map(([id, addr]) => `${id}=${addr}`).join(',');
}

/** A port free on `host` right now (the OS picks it); there is a small race until it is used. */
export async function freePort(host: string): Promise<number> {
  return (await freePorts(1, host))[0]!;
}
