// One measured slice on one target: `concurrency` workers in a closed loop, each starting its
// next operation as soon as the last one ends, until the slice's time is up or its operation
// budget is spent (or the scenario has nothing left). Latencies, bytes and errors go to the
// target's recorder, stamped with their time since the measured phase began.
import { errorCode, errorMessage } from './error-code.ts';
import type { OpRecorder } from './op-recorder.ts';
import { EXHAUSTED, type Operation } from './scenario-driver.ts';
import type { Random } from './seeded-random.ts';

export interface SliceSpec {
  concurrency: number;
  /** Start no operation after this long. */
  durationMs?: number;
  /** Start no more than this many operations. */
  opBudget?: number;
  /** performance.now() when the run's measured phase began: the timeline's zero. */
  phaseStart: number;
}

export interface WorkerState {
  random: Random;
  /** The worker's next sequence number; continues across slices so keys never repeat. */
  seq: number;
}

export interface SliceResult {
  elapsedMs: number;
  started: number;
  /** The scenario ran out of work (the delete pool is empty). */
  exhausted: boolean;
}

export async function runSlice(spec: SliceSpec, op: Operation, recorder: OpRecorder, workers: WorkerState[]): Promise<SliceResult> {
  if (workers.length < spec.concurrency) throw new Error(`${spec.concurrency} workers asked, ${workers.length} states given`);
  const start = performance.now();
  const end = spec.durationMs === undefined ? Infinity : start + spec.durationMs;
  const budget = spec.opBudget ?? Infinity;
  let started = 0;
  let exhausted = false;
  const sub = (kind: string, micros: number, bytes: number, items?: number): void => recorder.recordSub(kind, micros, bytes, items);
  await Promise.all(Array.from({ length: spec.concurrency }, async (_, worker) => {
    const state = workers[worker]!;
    while (!exhausted && started < budget && performance.now() < end) {
      started++;
      const t0 = performance.now();
      try {
        const outcome = await op(worker, state.seq++, state.random, sub);
        if (outcome === EXHAUSTED) {
          started--;
          exhausted = true;
          return;
        }
        const t1 = performance.now();
        recorder.recordOp(outcome.kind, (t1 - t0) * 1000, outcome.bytes, t1 - spec.phaseStart, outcome.items ?? 0);
      } catch (err) {
        recorder.recordError(errorCode(err), errorMessage(err), performance.now() - spec.phaseStart);
      }
    }
  }));
  const elapsedMs = performance.now() - start;
  recorder.elapsedMs += elapsedMs;
  recorder.markActive(start - spec.phaseStart, start - spec.phaseStart + elapsedMs);
  return { elapsedMs, started, exhausted };
}
