// One zone process (zone-main.ts) as a child: spawn, wait for its READY line (bounded), stop
// with SIGTERM then SIGKILL (bounded). Its stderr (pino logs) is appended to a log file and its
// last lines kept, so a zone that fails to start can say why. Shared by `zonestore up` and the
// cluster tests, so both start zones exactly the same way. With `control`, the zone's control
// channel (zone-control.ts, a test/chaos hook) is on its stdin: `control('node-stop …')`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EXIT_WITH_PARENT_ENV } from '../../common/process-lifecycle.ts';
import type { ZoneSpec } from './zone-layout.ts';
import type { ZoneInfo } from './zone-process.ts';
import { isRunning, killChild, stopChild } from '../../common/child-stop.ts';
import { parseControlReply, type ControlReply } from './zone-control.ts';

/** From spawn to READY: tsx compiles the sources on a first start, and three zones share the CPU. */
export const ZONE_READY_TIMEOUT_MS = 60_000;
/** After SIGTERM a zone drains its data nodes (5 s) and meta API (2 s); then SIGKILL. */
export const ZONE_STOP_GRACE_MS = 15_000;
/** A control command's reply: stopping a data node drains its calls (up to 5 s) first. */
export const ZONE_CONTROL_TIMEOUT_MS = 15_000;
/** stderr lines kept in memory for error messages. */
const LOG_TAIL_LINES = 40;

export const ZONE_ENTRY = fileURLToPath(new URL('./zone-main.ts', import.meta.url));
/** Resolved here rather than by the child, so launching works from any working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

const everyChild = new Set<ChildProcess>();
// Backstop for a launcher that dies without stopping its zones (children also watch their parent).
process.on('exit', () => {
  for (const c of everyChild) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface ZoneLaunchOptions {
  /** Appended to; created with its directory. */
  logFile: string;
  /** More zone-main.ts flags (--tick-ms, --report-interval-ms, …). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Open the zone's control channel (--control-stdin) for `ZoneProcess.control`. */
  control?: boolean;
}

export type ZoneReady = ZoneInfo & { pid: number };

/** The zone-main.ts arguments that start `spec`. */
export function zoneArgs(spec: ZoneSpec): string[] {
  return [
    '--zone', spec.zone, '--host', spec.host, '--data-dir', spec.dataDir,
    '--meta-id', spec.metaId, '--meta-raft', spec.metaRaftAddress, '--meta-api', spec.metaApiAddress,
    ...Object.entries(spec.metaPeers).flatMap(([id, p]) => ['--meta-peer', `${id}=${p.raftAddress}/${p.apiAddress}`]),
    ...spec.dataNodePorts.flatMap((p) => ['--data-node-port', String(p)]),
    ...(spec.advertisedDataNodes ?? []).flatMap((a) => ['--advertise-data-node', a]),
    '--gateway-port', String(spec.gatewayPort), '--credentials-file', spec.credentialsFile,
  ];
}

/** The most telling of the last log lines: a plain-text line, else the last JSON line's error. */
function failureReason(tail: readonly string[]): string {
  const plain = tail.filter((l) => !l.startsWith('{')).at(-1);
  if (plain) return plain;
  const last = tail.at(-1);
  if (!last) return 'no output';
  try {
    const rec = JSON.parse(last) as { msg?: string; err?: { message?: string } };
    return [rec.msg, rec.err?.message].filter(Boolean).join(': ');
  } catch {
    return last;
  }
}

export class ZoneProcess {
  readonly ready: Promise<ZoneReady>;
  /** Resolves with the exit code, or the signal name, once the process is gone. */
  readonly exited: Promise<number | string>;
  private readonly tail: string[] = [];
  /** Control commands sent and not answered yet, oldest first. */
  private readonly pendingControl: Array<{ cmd: string; resolve: (r: ControlReply) => void; reject: (e: Error) => void }> = [];

  private constructor(readonly spec: ZoneSpec, readonly options: ZoneLaunchOptions, readonly child: ChildProcess) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const keep = (line: string): void => {
      log.write(line + '\n');
      this.tail.push(line);
      if (this.tail.length > LOG_TAIL_LINES) this.tail.shift();
    };
    createInterface({ input: child.stderr! }).on('line', keep);
    // 'close', not 'exit': by then stderr is drained, so the tail holds the last words.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => {
      everyChild.delete(child);
      resolve(signal ?? code ?? -1);
    }));
    void this.exited.then(() => log.end());
    this.ready = new Promise<ZoneReady>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${spec.zone}: not ready within ${ZONE_READY_TIMEOUT_MS} ms (log: ${options.logFile})`));
      }, ZONE_READY_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const reply = parseControlReply(line);
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice('READY '.length)) as ZoneReady);
        } else if (reply) {
          this.settleControl(reply);
        } else {
          keep(line);
        }
      });
      void this.exited.then((how) => {
        clearTimeout(timer);
        for (const p of this.pendingControl.splice(0)) p.reject(new Error(`${spec.zone} exited (${how}) before answering "${p.cmd}"`));
        reject(new Error(`${spec.zone} exited (${how}) before it was ready: ${failureReason(this.tail)} (log: ${options.logFile})`));
      });
    });
    this.ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  static start(spec: ZoneSpec, options: ZoneLaunchOptions): ZoneProcess {
    const control = options.control ? ['--control-stdin'] : [];
    const child = spawn(process.execPath, ['--import', TSX_LOADER, ZONE_ENTRY, ...zoneArgs(spec), ...control, ...(options.extraArgs ?? [])], {
      stdio: [options.control ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: { ...(options.env ?? process.env), [EXIT_WITH_PARENT_ENV]: '1' },
    });
    everyChild.add(child);
    // Writing to a zone that just died must not crash the launcher; the exit is reported anyway.
    child.stdin?.on('error', () => {});
    return new ZoneProcess(spec, options, child);
  }

  /**
   * Sends one control command (`node-stop <id>`, `node-start <id>`) and waits for its reply,
   * at most `timeoutMs` (a paused zone answers nothing). Rejects when the zone refuses it.
   */
  control(cmd: string, timeoutMs = ZONE_CONTROL_TIMEOUT_MS): Promise<ControlReply> {
    const stdin = this.child.stdin;
    if (!stdin) return Promise.reject(new Error(`${this.spec.zone} was started without its control channel`));
    if (!this.running) return Promise.reject(new Error(`${this.spec.zone} is not running`));
    const line = cmd.trim();
    return new Promise<ControlReply>((resolve, reject) => {
      const entry = {
        cmd: line,
        resolve: (r: ControlReply) => {
          clearTimeout(timer);
          if (r.ok) resolve(r);
          else reject(new Error(`${this.spec.zone}: ${line}: ${r.error ?? 'refused'}`));
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        const i = this.pendingControl.indexOf(entry);
        if (i >= 0) this.pendingControl.splice(i, 1);
        reject(new Error(`${this.spec.zone}: no answer to "${line}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingControl.push(entry);
      stdin.write(`${line}\n`);
    });
  }

  /** Replies come in command order; one whose command timed out here is matched by its text and dropped. */
  private settleControl(reply: ControlReply): void {
    const i = this.pendingControl.findIndex((p) => p.cmd === reply.cmd);
    if (i >= 0) this.pendingControl.splice(i, 1)[0]!.resolve(reply);
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  /** The last lines the zone logged (for failure messages). */
  logTail(): string[] {
    return [...this.tail];
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    return killChild(this.child, this.exited, signal);
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs = ZONE_STOP_GRACE_MS): Promise<number | string> {
    return stopChild(this.child, this.exited, graceMs);
  }
}
