// Write RTO per fault from the acknowledgement times in a history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRto, writeRto } from '../../../chaos/workload/rto-check.ts';
import { HistoryBuilder } from '../register-history-builder.ts';

test('the longest stretch without an acknowledged write, per fault window', () => {
  const h = new HistoryBuilder();
  for (const t of [100, 200, 300, 1_000, 1_100, 5_000, 5_100, 9_000]) h.put(`v${t}`, t - 50, t);
  h.get(null, 400, 800); // reads are no evidence of write service
  h.put('timed-out', 350); // nor is an unknown outcome
  const [first, second] = writeRto(h.ops, [
    { id: 1, label: 'kill zone-1', startMs: 320, endMs: 900 },
    { id: 2, label: 'isolate zone-2', startMs: 1_200, endMs: 4_000 },
  ], 10_000);
  assert.deepEqual([first!.longestGapMs, first!.gapFrom, first!.gapTo, first!.recovered], [700, 300, 1_000, true]);
  assert.deepEqual([second!.longestGapMs, second!.gapFrom, second!.gapTo], [3_900, 1_100, 5_000]);
  assert.match(describeRto([first!, second!]), /#2 isolate zone-2: 3\.90 s \[1\.1, 5\.0\]/);
});

test('no write after the fault: the stretch runs to the end and is flagged', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 10);
  const [r] = writeRto(h.ops, [{ id: 1, label: 'x', startMs: 100, endMs: 200 }], 1_000);
  assert.equal(r!.recovered, false);
  assert.equal(r!.longestGapMs, 990);
  assert.match(describeRto([r!]), /NOT RECOVERED/);
});
