// The runner's statistics on synthetic timings: percentiles from the HDR histogram, rates over
// the measured time, and the per-second timeline, with no sockets and no clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIB, cpuPercent, latencySummary, rate, rateSummary, ratioTo } from '../../../../services/cli/bench/bench-stats.ts';
import { OpRecorder, newHistogram } from '../../../../services/cli/bench/op-recorder.ts';

/** HDR keeps 3 significant digits: a recorded value comes back within 0.1%. */
const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.001 + 1e-9, `${what}: ${actual} is not ${expected} ±0.1%`);

test('percentiles of 1..10000 µs, one each, are the rank values in ms', () => {
  const h = newHistogram();
  for (let us = 1; us <= 10_000; us++) h.recordValue(us);
  const s = latencySummary(h);
  close(s.p50, 5, 'p50');
  close(s.p90, 9, 'p90');
  close(s.p99, 9.9, 'p99');
  close(s.p999, 9.99, 'p99.9');
  assert.equal(s.max, 10);
  close(s.mean, 5.0005, 'mean');
});

test('a skewed distribution: 990 fast operations and 10 slow ones put p99 on the fast side and p99.9 on the slow', () => {
  const h = newHistogram();
  for (let i = 0; i < 990; i++) h.recordValue(2_000);
  for (let i = 0; i < 10; i++) h.recordValue(500_000);
  const s = latencySummary(h);
  close(s.p50, 2, 'p50');
  close(s.p99, 2, 'p99');
  close(s.p999, 500, 'p99.9');
  assert.equal(s.max, 500);
});

test('no percentile passes the maximum (HDR reports a bucket\'s highest equivalent value)', () => {
  const h = newHistogram();
  h.recordValue(198_160);
  const s = latencySummary(h);
  for (const v of [s.p50, s.p90, s.p99, s.p999]) assert.ok(v <= s.max, `${v} > max ${s.max}`);
  assert.equal(s.max, 198.16);
});

test('an empty histogram summarizes to zeros', () => {
  assert.deepEqual(latencySummary(newHistogram()), { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 });
});

test('rates: operations and MiB per measured second; nothing measured is zero, not NaN', () => {
  assert.equal(rate(500, 2_000), 250);
  assert.equal(rate(5, 0), 0);
  const r = new OpRecorder();
  for (let i = 0; i < 500; i++) r.recordOp('put', 1_000, MIB, i * 4);
  const s = rateSummary(r.total, 2_000);
  assert.equal(s.ops, 500);
  assert.equal(s.opsPerSec, 250);
  assert.equal(s.mibPerSec, 250);
  assert.equal(s.seconds, 2);
  assert.equal(cpuPercent(500, 1_000), 50);
  assert.equal(ratioTo(50, 200), 0.25);
  assert.equal(ratioTo(50, 0), undefined);
});

test('recorder: sub-operations count per kind only; errors by code; one timeline bucket per second', () => {
  const r = new OpRecorder();
  r.recordOp('multipart', 3_000_000, 64 * MIB, 500);
  for (let i = 0; i < 8; i++) r.recordSub('part', 300_000, 8 * MIB);
  r.recordOp('get', 1_000, 4096, 1_500);
  r.recordError('SlowDown (HTTP 503)', 'slow down', 1_700);
  r.recordError('SlowDown (HTTP 503)', 'again', 2_100);
  r.recordError('ECONNRESET', 'reset', 2_200);
  assert.equal(r.total.ops, 2);
  assert.equal(r.total.bytes, 64 * MIB + 4096);
  assert.equal(r.byKind.get('part')!.ops, 8);
  assert.equal(r.byKind.get('multipart')!.ops, 1);
  assert.equal(r.errorCount, 3);
  assert.deepEqual(Object.fromEntries(r.errors), { 'SlowDown (HTTP 503)': 2, ECONNRESET: 1 });
  assert.equal(r.errorSamples.get('SlowDown (HTTP 503)'), 'slow down');
  assert.deepEqual(r.timelineBuckets(), [
    { tMs: 0, ops: 1, bytes: 64 * MIB, errors: 0, activeMs: 0 },
    { tMs: 1_000, ops: 1, bytes: 4096, errors: 1, activeMs: 0 },
    { tMs: 2_000, ops: 0, bytes: 0, errors: 2, activeMs: 0 },
  ]);
  // A slice from 0.4 s to 2.25 s: 600 ms of the first second, all of the second, 250 ms of the third.
  r.markActive(400, 2_250);
  assert.deepEqual(r.timelineBuckets().map((b) => b.activeMs), [600, 1_000, 250]);
});
