// Data nodes as child processes (data-node-main.ts), for tests, benchmarks and local clusters:
// start and wait for READY (bounded), stop with a signal (bounded), restart on the same
// directory. Every process started is tracked so teardown — or this process's exit, as a
// backstop — can SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EXIT_WITH_PARENT_ENV } from '../common/process-lifecycle.ts';

const ENTRY = fileURLToPath(new URL('./data-node-main.ts', import.meta.url));
// Resolved here rather than by the child, so launching works from any working directory.
const TSX_LOADER = import.meta.resolve('tsx');
/** tsx compiles on start; on a loaded machine that takes a while. */
export const READY_TIMEOUT_MS = 30_000;
export const EXIT_TIMEOUT_MS = 10_000;
const STDERR_TAIL_CHARS = 4_000;

export interface DataNodeSpec {
  id: string;
  zone: string;
  dir: string;
  /** IP to listen on; the port is always 0 (picked by the node, reported in READY). */
  host: string;
  /** More data-node-main.ts flags (--capacity-bytes, --scrub-rate-bytes, …). */
  extraArgs?: string[];
  /** Environment of the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningDataNode {
  spec: DataNodeSpec;
  address: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail(): string;
}

const everyChild = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of everyChild) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The loopback IP to use: `preferred` (e.g. 127.0.0.11) when it can be bound, else 127.0.0.1. */
export async function usableLoopback(preferred: string): Promise<string> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve('127.0.0.1'));
    s.listen(0, preferred, () => s.close(() => resolve(preferred)));
  });
}

export function startDataNode(spec: DataNodeSpec): Promise<RunningDataNode> {
  const child = spawn(process.execPath, [
    '--import', TSX_LOADER, ENTRY,
    '--id', spec.id, '--zone', spec.zone, '--dir', spec.dir, '--listen', `${spec.host}:0`,
    ...(spec.extraArgs ?? []),
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...(spec.env ?? process.env), [EXIT_WITH_PARENT_ENV]: '1' } });
  everyChild.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      everyChild.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`data node ${spec.id}: no READY within ${READY_TIMEOUT_MS} ms\n${stderr}`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const ready = JSON.parse(line.slice('READY '.length)) as { address: string; pid: number };
      resolve({ spec, address: ready.address, pid: ready.pid, child, exited, stderrTail: () => stderr });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`data node ${spec.id} exited (${signal ?? code}) before READY\n${stderr}`));
    });
  });
}

/** Sends `signal` and waits (bounded) for the exit. */
export async function stopDataNode(node: RunningDataNode, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`data node ${node.spec.id} did not exit within ${EXIT_TIMEOUT_MS} ms of ${signal}`)), EXIT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([node.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILLs every data node still running (teardown, success or not). */
export async function killAllDataNodes(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const c of everyChild) {
    c.kill('SIGKILL');
    waits.push(new Promise((r) => c.once('exit', r)));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(waits), new Promise((r) => { timer = setTimeout(r, EXIT_TIMEOUT_MS); })]);
  clearTimeout(timer);
}
