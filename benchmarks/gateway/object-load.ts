// One measured slice of a cell: `concurrency` workers in a closed loop, each starting its next
// operation as soon as the last one ends, until the slice's time is up and at least `minOps`
// operations have started. The servers' and this process's CPU are read around the slice.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { recordError, recordLatency, type CellStats } from './cell-stats.ts';
import { cpuMillis, machineBusyMillis, ownCpuMillis } from './process-cpu.ts';
import type { SystemUnderTest } from './systems-under-test.ts';

/** One operation, 64 MiB at 16 in flight on a busy 2-core box included, ends well within this. */
export const OP_TIMEOUT_MS = 180_000;

/** Performs operation `n` of `worker`; resolves with the payload bytes moved. */
export type ObjectOp = (worker: number, n: number) => Promise<number>;

export interface SliceOptions {
  concurrency: number;
  durationMs: number;
  minOps: number;
  /** Every server process of the run (all systems), so the rest of the machine's CPU can be told apart. */
  benchmarkPids: readonly number[];
}

export async function runSlice(stats: CellStats, sut: SystemUnderTest, options: SliceOptions, op: ObjectOp): Promise<void> {
  const pids = sut.serverPids();
  const cpuBefore = pids.map(cpuMillis);
  const clientBefore = ownCpuMillis();
  const machineBefore = machineBusyMillis();
  const benchmarkBefore = options.benchmarkPids.map(cpuMillis);
  const start = performance.now();
  const end = start + options.durationMs;
  let started = 0;
  await Promise.all(Array.from({ length: options.concurrency }, async (_, worker) => {
    for (let n = 0; ; n++) {
      if (performance.now() >= end && started >= options.minOps) return;
      started++;
      const t0 = performance.now();
      try {
        const bytes = await op(worker, n);
        recordLatency(stats, (performance.now() - t0) * 1000);
        stats.ops++;
        stats.bytes += bytes;
      } catch (err) {
        recordError(stats, err);
      }
    }
  }));
  stats.elapsedMs += performance.now() - start;
  const client = ownCpuMillis() - clientBefore;
  stats.clientCpuMs += client;
  const servers = options.benchmarkPids.reduce((sum, pid, i) => sum + Math.max(0, cpuMillis(pid) - benchmarkBefore[i]!), 0);
  stats.othersCpuMs += Math.max(0, machineBusyMillis() - machineBefore - client - servers);
  pids.forEach((pid, i) => { stats.serverCpuMsByPid[i]! += Math.max(0, cpuMillis(pid) - cpuBefore[i]!); });
}

/** A socket the server closed while idle can fail its first reuse; a warm-up request is retried. */
const WARM_UP_ATTEMPTS = 3;

/**
 * Cheap requests on `concurrency` sockets before each slice, so a slice never pays for connecting
 * and never trips over a keep-alive socket the server closed while the other system ran.
 */
export async function warmUp(sut: SystemUnderTest, concurrency: number, key: string): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await sut.client(worker, 0).send(new HeadObjectCommand({ Bucket: sut.bucket, Key: key }), { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
        return;
      } catch (err) {
        if (attempt >= WARM_UP_ATTEMPTS) throw err;
      }
    }
  }));
}

export function putOp(sut: SystemUnderTest, body: Buffer, keyPrefix: string): ObjectOp {
  return async (worker, n) => {
    await sut.client(worker, n).send(
      new PutObjectCommand({ Bucket: sut.bucket, Key: `${keyPrefix}/${worker}/${n}`, Body: body }),
      { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
    return body.length;
  };
}

export function getOp(sut: SystemUnderTest, keys: readonly string[], size: number): ObjectOp {
  return async (worker, n) => {
    const res = await sut.client(worker, n).send(
      new GetObjectCommand({ Bucket: sut.bucket, Key: keys[(worker + n * 7) % keys.length]! }),
      { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
    const got = await drain(res.Body);
    if (got !== size) throw Object.assign(new Error(`body had ${got} of ${size} bytes`), { name: 'ShortBody' });
    return got;
  };
}

/** Reads a body to its end without keeping it: a 64 MiB GET must not cost a 64 MiB buffer. */
async function drain(body: unknown): Promise<number> {
  if (!body || typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] !== 'function') throw new Error('response has no body');
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) n += chunk.length;
  return n;
}

