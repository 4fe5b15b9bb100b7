// The closed loop with a fake operation (no sockets): concurrency, operation budgets, errors by
// code, a scenario running out of work, and sequence numbers continuing across slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSlice, type WorkerState } from '../../../../services/cli/bench/load-loop.ts';
import { OpRecorder } from '../../../../services/cli/bench/op-recorder.ts';
import { EXHAUSTED, type Operation } from '../../../../services/cli/bench/scenario-driver.ts';
import { seededRandom } from '../../../../services/cli/bench/seeded-random.ts';

const workers = (n: number): WorkerState[] => Array.from({ length: n }, (_, i) => ({ random: seededRandom(i + 1), seq: 0 }));
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('an operation budget is spent exactly, with at most `concurrency` operations in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  const op: Operation = async () => {
    peak = Math.max(peak, ++inFlight);
    await tick();
    inFlight--;
    return { kind: 'put', bytes: 10 };
  };
  const rec = new OpRecorder();
  const r = await runSlice({ concurrency: 4, opBudget: 37, phaseStart: performance.now() }, op, rec, workers(4));
  assert.equal(r.started, 37);
  assert.equal(rec.total.ops, 37);
  assert.equal(rec.total.bytes, 370);
  assert.equal(peak, 4);
  assert.ok(rec.elapsedMs > 0);
});

test('failures are counted by code, not as operations; the loop goes on', async () => {
  let n = 0;
  const op: Operation = async () => {
    await tick();
    if (n++ % 3 === 0) throw Object.assign(new Error('busy'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    return { kind: 'get', bytes: 1 };
  };
  const rec = new OpRecorder();
  await runSlice({ concurrency: 2, opBudget: 30, phaseStart: performance.now() }, op, rec, workers(2));
  assert.equal(rec.total.ops + rec.errorCount, 30);
  assert.equal(rec.errors.get('SlowDown (HTTP 503)'), 10);
});

test('a scenario out of work stops every worker; the slice says so', async () => {
  let left = 5;
  const op: Operation = async () => {
    await tick();
    return left-- > 0 ? { kind: 'delete', bytes: 0 } : EXHAUSTED;
  };
  const rec = new OpRecorder();
  const r = await runSlice({ concurrency: 3, durationMs: 60_000, phaseStart: performance.now() }, op, rec, workers(3));
  assert.equal(r.exhausted, true);
  assert.equal(rec.total.ops, 5);
});

test('a duration ends the slice; sequence numbers continue in the next one', async () => {
  const seen: number[] = [];
  const op: Operation = async (worker, seq) => {
    if (worker === 0) seen.push(seq);
    await new Promise((r) => setTimeout(r, 5));
    return { kind: 'put', bytes: 0 };
  };
  const state = workers(1);
  const rec = new OpRecorder();
  const t0 = performance.now();
  await runSlice({ concurrency: 1, durationMs: 50, phaseStart: t0 }, op, rec, state);
  const first = seen.length;
  assert.ok(first >= 2 && first < 40, `${first} operations in 50 ms`);
  await runSlice({ concurrency: 1, opBudget: 3, phaseStart: t0 }, op, rec, state);
  assert.deepEqual(seen, Array.from({ length: first + 3 }, (_, i) => i));
  assert.equal(state[0]!.seq, first + 3);
});
