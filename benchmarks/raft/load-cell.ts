// One cell of the table: one system at one concurrency. Forks the load client processes, runs
// warm-up then the measured window, and reads the CPU of servers and clients at the window's
// edges. Clients always run in child processes (one, or two from TWO_CLIENTS_FROM in-flight
// calls) so the runner itself never competes with them and both systems see the same driver.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildRegistry, RegisteredChild } from './child-registry.ts';
import type { FromWorker, ToWorker } from './load-worker.ts';
import type { SystemName } from './put-rpc.ts';
import type { WindowResult } from './put-load.ts';
import { snapshotCpu, cpuPercentBetween, runQueueWaitMillis, machineBusyMillis } from './process-cpu.ts';
import { mergeEncodedHistograms, summarizeLatency, type LatencySummary } from './latency-histogram.ts';
import { LOAD_WORKER_ENTRY, REPO_ROOT } from './repo-paths.ts';

/** A client process starts tsx and connects its channels; on a busy 2-core box that is slow. */
const WORKER_READY_TIMEOUT_MS = 60_000;
const CALL_DEADLINE_MS = 10_000;
const DRAIN_TIMEOUT_MS = 5_000;
const RESULT_TIMEOUT_MS = 15_000;

export interface CellPlan {
  system: SystemName;
  leaderAddress: string;
  concurrency: number;
  clientProcesses: number;
  channelsPerProcess: number;
  valueSize: number;
  warmupMs: number;
  durationMs: number;
  keyPrefix: string;
}

/** Called right at the measured window's edges (the profiler toggle uses them). */
export interface WindowHooks {
  begin(): void;
  end(): void;
}

export interface ServerProcess {
  name: string;
  pid: number;
  isLeader: boolean;
}

export interface CellResult {
  system: SystemName;
  concurrency: number;
  clientProcesses: number;
  putsPerSec: number;
  puts: number;
  errors: number;
  errorCodes: Record<string, number>;
  firstError?: string;
  latency: LatencySummary;
  /** % of one core, over the measured window. */
  leaderCpuPct: number;
  serversCpuPct: number;
  clientsCpuPct: number;
  /** % of the window the leader's threads waited for a CPU while runnable (contention). */
  leaderRunQueueWaitPct: number;
  /** CPU used by processes outside this benchmark during the window (% of one core). */
  otherCpuPct: number;
}

interface WindowEdge {
  cpu: Map<number, number>;
  leaderWaitMs: number;
  machineBusyMs: number;
}

export async function runCell(
  registry: ChildRegistry,
  plan: CellPlan,
  servers: readonly ServerProcess[],
  hooks?: WindowHooks,
): Promise<CellResult> {
  const workers: RegisteredChild[] = [];
  try {
    const shares = splitEvenly(plan.concurrency, plan.clientProcesses);
    for (let i = 0; i < shares.length; i++) {
      workers.push(
        registry.fork(`${plan.system}-client-${i}`, LOAD_WORKER_ENTRY, [], {
          cwd: REPO_ROOT,
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    const ready = quietly(workers.map((w) => nextMessage(w, 'ready', WORKER_READY_TIMEOUT_MS)));
    workers.forEach((w, i) =>
      post(w, {
        type: 'job',
        connectTimeoutMs: WORKER_READY_TIMEOUT_MS,
        options: {
          system: plan.system,
          address: plan.leaderAddress,
          concurrency: shares[i]!,
          channels: plan.channelsPerProcess,
          valueSize: plan.valueSize,
          keyPrefix: `${plan.keyPrefix}/p${i}`,
          callDeadlineMs: CALL_DEADLINE_MS,
        },
      }),
    );
    await Promise.all(ready);

    workers.forEach((w) => post(w, { type: 'start' }));
    await sleep(plan.warmupMs);

    const pids = [...servers.map((s) => s.pid), ...workers.map((w) => w.pid), process.pid];
    const leaderPid = servers.find((s) => s.isLeader)?.pid ?? 0;
    const edge = (): WindowEdge => ({ cpu: snapshotCpu(pids), leaderWaitMs: runQueueWaitMillis(leaderPid), machineBusyMs: machineBusyMillis() });
    const before = edge();
    const windowStart = performance.now();
    hooks?.begin();
    workers.forEach((w) => post(w, { type: 'measure' }));
    await sleep(plan.durationMs);
    const results = quietly(workers.map((w) => nextMessage(w, 'result', RESULT_TIMEOUT_MS)));
    workers.forEach((w) => post(w, { type: 'stop', drainTimeoutMs: DRAIN_TIMEOUT_MS }));
    const after = edge();
    hooks?.end();
    const elapsedMs = performance.now() - windowStart;
    const cpu = cpuPercentBetween(before.cpu, after.cpu, elapsedMs);
    const oursPct = [...cpu.values()].reduce((a, b) => a + b, 0);
    const machinePct = ((after.machineBusyMs - before.machineBusyMs) / elapsedMs) * 100;
    const contention = {
      leaderRunQueueWaitPct: ((after.leaderWaitMs - before.leaderWaitMs) / elapsedMs) * 100,
      otherCpuPct: Math.max(0, machinePct - oursPct),
    };

    const windows = (await Promise.all(results)).map((m) => m.result);
    return { ...summarizeCell(plan, windows, servers, workers, cpu), ...contention };
  } finally {
    // Workers exit by themselves after draining; anything still alive after the grace is killed.
    await Promise.all(workers.map((w) => Promise.race([w.exited, sleep(DRAIN_TIMEOUT_MS + 2_000)]).then(() => registry.stop(w))));
  }
}

function summarizeCell(
  plan: CellPlan,
  windows: WindowResult[],
  servers: readonly ServerProcess[],
  workers: RegisteredChild[],
  cpu: Map<number, number>,
): Omit<CellResult, 'leaderRunQueueWaitPct' | 'otherCpuPct'> {
  const errorCodes: Record<string, number> = {};
  for (const w of windows) for (const [code, n] of Object.entries(w.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + n;
  const sumCpu = (pids: number[]): number => pids.reduce((acc, pid) => acc + (cpu.get(pid) ?? 0), 0);
  return {
    system: plan.system,
    concurrency: plan.concurrency,
    clientProcesses: workers.length,
    // Each process measured its own window; throughputs add, since they ran side by side.
    putsPerSec: windows.reduce((acc, w) => acc + (w.elapsedMs > 0 ? (w.puts * 1000) / w.elapsedMs : 0), 0),
    puts: windows.reduce((acc, w) => acc + w.puts, 0),
    errors: windows.reduce((acc, w) => acc + w.errors, 0),
    errorCodes,
    firstError: windows.find((w) => w.firstError)?.firstError,
    latency: summarizeLatency(mergeEncodedHistograms(windows.map((w) => w.histogram))),
    leaderCpuPct: sumCpu(servers.filter((s) => s.isLeader).map((s) => s.pid)),
    serversCpuPct: sumCpu(servers.map((s) => s.pid)),
    clientsCpuPct: sumCpu(workers.map((w) => w.pid)),
  };
}

export function splitEvenly(total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** Promise.all rejects on the first failure; the others must not become unhandled rejections. */
function quietly<T>(promises: Promise<T>[]): Promise<T>[] {
  for (const p of promises) p.catch(() => undefined);
  return promises;
}

function post(worker: RegisteredChild, message: ToWorker): void {
  worker.process.send(message);
}

type MessageOf<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/** The worker's next message of `type`; rejects on its failure report, its exit, or timeout. */
function nextMessage<T extends FromWorker['type']>(worker: RegisteredChild, type: T, timeoutMs: number): Promise<MessageOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${worker.name}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: FromWorker): void => {
      if (m.type === type) finish(undefined, m as MessageOf<T>);
      else if (m.type === 'failed') finish(new Error(`${worker.name} failed: ${m.message}`));
    };
    const onExit = (code: number | null, sig: string | null): void =>
      finish(new Error(`${worker.name} exited (${sig ?? code}) before '${type}'`));
    function finish(err?: Error, value?: MessageOf<T>): void {
      clearTimeout(timer);
      worker.process.off('message', onMessage);
      worker.process.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    worker.process.on('message', onMessage);
    worker.process.on('exit', onExit);
  });
}
