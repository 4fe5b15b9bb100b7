// The benchmark's steps below the command line: prefill the objects GET cells read, measure the
// servers' idle CPU, and run one cell — each system's measured time cut into slices that
// alternate between the systems, each slice preceded by an untimed warm-up of its sockets.
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { errorCode, newCellStats, summarize, type CellStats } from './cell-stats.ts';
import { OP_TIMEOUT_MS, getOp, putOp, runSlice, warmUp } from './object-load.ts';
import { cpuMillis } from './process-cpu.ts';
import { sizeLabel, type CellRow } from './results-section.ts';
import type { SystemUnderTest } from './systems-under-test.ts';

/** Objects each GET cell reads, round robin: enough that one hot object is not the whole test. */
export const GET_OBJECTS_PER_SIZE = 16;
/** …but no more than this many bytes of them per size, so 64 MiB prefill stays short. */
export const GET_OBJECT_BYTES_PER_SIZE = 256 * 2 ** 20;
const PREFILL_CONCURRENCY = 4;
/**
 * Prefill is set-up, not measurement: a write the server refuses under load (zonestore answers
 * 503 when it cannot place shards in time) is tried again, and the retries are printed.
 */
const PREFILL_ATTEMPTS = 3;
const PREFILL_RETRY_PAUSE_MS = 2_000;
const WARM_UP_KEY = 'warm-up';

export function getKeys(size: number): string[] {
  const count = Math.max(1, Math.min(GET_OBJECTS_PER_SIZE, Math.floor(GET_OBJECT_BYTES_PER_SIZE / size)));
  return Array.from({ length: count }, (_, i) => `get/${size}/${i}`);
}

/** Writes the GET cells' objects and reads one per size back in full: a system that mangles data fails here. */
export async function prefill(sut: SystemUnderTest, bodies: Map<number, Buffer>): Promise<void> {
  const put = async (Key: string, Body: Buffer, i: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await sut.client(i, i).send(new PutObjectCommand({ Bucket: sut.bucket, Key, Body }), { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
        return;
      } catch (err) {
        if (attempt >= PREFILL_ATTEMPTS) throw err;
        console.log(`  prefill ${sut.label} ${Key}: attempt ${attempt} failed (${errorCode(err)}: ${(err as Error).message}); trying again`);
        await sleep(PREFILL_RETRY_PAUSE_MS);
      }
    }
  };
  await put(WARM_UP_KEY, Buffer.from('w'), 0);
  for (const [size, body] of bodies) {
    const keys = getKeys(size);
    for (let i = 0; i < keys.length; i += PREFILL_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + PREFILL_CONCURRENCY).map((key, j) => put(key, body, i + j)));
    }
    const got = await sut.client(1, 0).send(new GetObjectCommand({ Bucket: sut.bucket, Key: keys[0]! }), { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    if (!bytes.equals(body)) throw new Error(`${sut.label}: ${keys[0]} read back ${bytes.length} bytes that differ from the ${size} written`);
  }
}

/** Each distinct system's server CPU (% of one core, per process) while nothing is sent to it. */
export async function idleCpuPercent(systems: SystemUnderTest[], sampleMs: number): Promise<string> {
  const distinct = systems.filter((s, i) => systems.findIndex((o) => o.serverPids().join() === s.serverPids().join()) === i);
  const before = distinct.map((s) => s.serverPids().map(cpuMillis));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, sampleMs));
  const elapsed = performance.now() - t0;
  return distinct.map((s, i) => `${s.label.split(' ')[0]} ${s.serverPids()
    .map((pid, j) => `${(((cpuMillis(pid) - before[i]![j]!) / elapsed) * 100).toFixed(0)}%`).join(' / ')}`).join('; ');
}

export interface CellSpec {
  op: 'PUT' | 'GET';
  size: number;
  requestedConcurrency: number;
  concurrency: number;
}

export interface CellPlan {
  /** Measured milliseconds per system, cut into `rounds` slices. */
  durationMs: number;
  rounds: number;
  minOps: number;
  /** Which system goes first in round 0; rotating it from cell to cell evens out order effects. */
  firstSystem: number;
  /** Distinguishes PUT keys of this cell from any other cell's. */
  keyTag: string;
  /** Every server process of the run, including systems not in this cell. */
  benchmarkPids: number[];
}

export async function runCell(spec: CellSpec, systems: SystemUnderTest[], bodies: Map<number, Buffer>, plan: CellPlan): Promise<CellRow> {
  const stats = new Map<SystemUnderTest, CellStats>(systems.map((s) => [s, newCellStats(s.serverPids().length)]));
  const benchmarkPids = [...new Set(plan.benchmarkPids)];
  const body = bodies.get(spec.size)!;
  for (let round = 0; round < plan.rounds; round++) {
    // A B | B A | …: who goes first rotates every round.
    const shift = (round + plan.firstSystem) % systems.length;
    for (const sut of [...systems.slice(shift), ...systems.slice(0, shift)]) {
      await warmUp(sut, spec.concurrency, WARM_UP_KEY);
      const load = spec.op === 'PUT'
        ? putOp(sut, body, `put/${plan.keyTag}/${spec.size}/c${spec.concurrency}/r${round}/${sut.label.replace(/\W+/g, '-')}`)
        : getOp(sut, getKeys(spec.size), spec.size);
      await runSlice(stats.get(sut)!, sut,
        { concurrency: spec.concurrency, durationMs: plan.durationMs / plan.rounds, minOps: Math.ceil(plan.minOps / plan.rounds), benchmarkPids }, load);
    }
  }
  for (const [sut, st] of stats) for (const [code, msg] of st.errorSamples) console.log(`  ${sut.label} ${code}: ${msg}`);
  return {
    ...spec,
    systems: systems.map((s) => ({ label: s.label, serverNames: s.serverNames, summary: summarize(stats.get(s)!), errors: stats.get(s)!.errors })),
  };
}

export function printCell(row: CellRow): void {
  for (const s of row.systems) {
    const m = s.summary;
    console.log(`${row.op} ${sizeLabel(row.size).padStart(7)} c=${String(row.concurrency).padEnd(3)} ${s.label.padEnd(22)} `
      + `${m.mibPerSec.toFixed(1).padStart(7)} MiB/s ${m.opsPerSec.toFixed(1).padStart(7)} ops/s  p50 ${m.p50Ms.toFixed(2).padStart(8)} ms  `
      + `p99 ${m.p99Ms.toFixed(2).padStart(8)} ms  n=${m.ops}  server CPU ${m.serverCpuPercentByPid.map((p) => p.toFixed(0)).join('/')}%  `
      + `others ${m.othersCpuPercent.toFixed(0)}%  errors ${m.errors}${s.errors.size ? ' ' + JSON.stringify(Object.fromEntries(s.errors)) : ''}`);
  }
}
