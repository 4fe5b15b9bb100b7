// The recorder's clock and bookkeeping: windows contain the work, unknown outcomes complete at
// +∞ (the checker's convention) with the give-up time kept aside, listings share one window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistoryRecorder } from '../../../chaos/workload/history-recorder.ts';

test('ops get increasing ids, windows around the work, and unknown outcomes no completion', async () => {
  const r = new HistoryRecorder();
  const a = r.begin(0, 'k', { f: 'put', value: 'v' });
  const b = r.begin(1, 'k', { f: 'get' });
  assert.equal(r.inFlight, 2);
  await new Promise((res) => setTimeout(res, 5));
  const done = r.end(a, { type: 'ok' }, { endpoint: 'e1' });
  r.end(b, { type: 'indeterminate', reason: 'timeout' }, { endpoint: 'e2', error: 'timeout' });
  assert.ok(done.complete! >= done.invoke + 4);
  const [ha, hb] = r.history();
  assert.equal(ha!.id, 0);
  assert.equal(hb!.complete, null);
  assert.ok(r.detail(hb!.id)!.gaveUpAt! >= hb!.invoke);
  assert.equal(r.inFlight, 0);
});

test('a listing\'s per-key ops share one window', () => {
  const r = new HistoryRecorder();
  const ps = r.beginMany(2, ['k0', 'k1'], { f: 'exists' });
  r.endMany(ps, [{ type: 'exists', present: true }, { type: 'exists', present: false }], { endpoint: 'e' });
  const [x, y] = r.history();
  assert.equal(x!.invoke, y!.invoke);
  assert.equal(x!.complete, y!.complete);
  assert.deepEqual([x!.key, y!.key], ['k0', 'k1']);
});
