// The chaos checker on hand-written histories whose answer is known: the anomalies a broken
// object store shows (stale reads, lost writes, values from nowhere, time going backwards) are
// caught and narrowed to the ops that prove them; the freedoms a correct one has (concurrent
// writes in either order, unknown outcomes taking effect late or never) are allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHistory, describeCheck, type CheckResult } from '../../chaos/linearizability/index.ts';
import { HistoryBuilder } from './register-history-builder.ts';

function verdict(h: HistoryBuilder): CheckResult['verdict'] {
  return checkHistory(h.ops).verdict;
}

test('a read after an acknowledged write sees it; a stale read is caught', () => {
  const ok = new HistoryBuilder();
  ok.put('a', 0, 1); ok.put('b', 2, 3); ok.get('b', 4, 5);
  assert.equal(verdict(ok), 'linearizable');

  const stale = new HistoryBuilder();
  stale.put('a', 0, 1); stale.put('b', 2, 3); const bad = stale.get('a', 4, 5);
  const r = checkHistory(stale.ops);
  assert.equal(r.verdict, 'violation');
  const w = r.keys[0]!.window!;
  assert.equal(w.culprit.id, bad.id);
  // The first put is not needed to prove it: "b" was written, then "a" read.
  assert.deepEqual(w.ops.map((o) => o.id), [1, 2]);
  assert.deepEqual(w.initialStates, ['b']);
  assert.match(describeCheck(r), /VIOLATION/);
});

test('a lost write: absent after an acknowledged put', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1); h.get(null, 2, 3);
  assert.equal(verdict(h), 'violation');
  const d = new HistoryBuilder();
  d.put('a', 0, 1); d.del(2, 3); d.get(null, 4, 5); d.exists(false, 6, 7);
  assert.equal(verdict(d), 'linearizable');
  const e = new HistoryBuilder();
  e.put('a', 0, 1); e.exists(false, 2, 3);
  assert.equal(verdict(e), 'violation');
});

test('a read of a value nobody wrote, or whose write certainly failed', () => {
  const h = new HistoryBuilder();
  h.get('ghost', 0, 1);
  assert.equal(verdict(h), 'violation');
  const f = new HistoryBuilder();
  f.failedPut('x', 0, 1); f.get('x', 2, 3);
  assert.equal(verdict(f), 'violation');
});

test('a read that saw a write cannot be followed by a read of the older value', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1);
  h.put('b', 2, 20); // still running while both reads happen
  h.get('b', 3, 4, { client: 1 });
  h.get('a', 5, 6, { client: 2 });
  const r = checkHistory(h.ops);
  assert.equal(r.verdict, 'violation');
  assert.equal(r.keys[0]!.window!.culprit.id, 3);
  // Either read alone is fine: the put of "b" overlaps both.
  assert.equal(checkHistory(h.ops.filter((o) => o.id !== 3)).verdict, 'linearizable');
  assert.equal(checkHistory(h.ops.filter((o) => o.id !== 2)).verdict, 'linearizable');
});

test('concurrent writes may take effect in either order', () => {
  for (const last of ['a', 'b']) {
    const h = new HistoryBuilder();
    h.put('a', 0, 10, { client: 0 }); h.put('b', 1, 9, { client: 1 }); h.get(last, 11, 12);
    assert.equal(verdict(h), 'linearizable', `last ${last}`);
  }
  const h = new HistoryBuilder();
  h.put('a', 0, 10, { client: 0 }); h.put('b', 1, 9, { client: 1 }); h.get('a', 11, 12); h.get('b', 13, 14);
  assert.equal(verdict(h), 'violation');
});

test('an indeterminate write may show up later, or never, but not come and go', () => {
  const later = new HistoryBuilder();
  later.put('a', 0, 1); later.put('b', 2); later.get('a', 10, 11); later.get('b', 50, 51);
  assert.equal(verdict(later), 'linearizable');
  const never = new HistoryBuilder();
  never.put('a', 0, 1); never.put('b', 2); never.get('a', 10, 11); never.get('a', 50, 51);
  assert.equal(verdict(never), 'linearizable');
  const flicker = new HistoryBuilder();
  flicker.put('a', 0, 1); flicker.put('b', 2); flicker.get('b', 10, 11); flicker.get('a', 50, 51);
  assert.equal(verdict(flicker), 'violation');
  const early = new HistoryBuilder();
  early.get('b', 0, 1); early.put('b', 2);
  assert.equal(verdict(early), 'violation', 'a write cannot be seen before it was sent');
});

test('an indeterminate delete may explain an absence', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1); h.del(2); h.exists(false, 5, 6);
  assert.equal(verdict(h), 'linearizable');
});

test('put-if-absent: exactly one of several concurrent creators wins', () => {
  const one = new HistoryBuilder();
  one.putIfAbsent('a', true, 0, 10, { client: 0 }); one.putIfAbsent('b', false, 1, 9, { client: 1 }); one.get('a', 11, 12);
  assert.equal(verdict(one), 'linearizable');
  const two = new HistoryBuilder();
  two.putIfAbsent('a', true, 0, 10, { client: 0 }); two.putIfAbsent('b', true, 1, 9, { client: 1 });
  assert.equal(verdict(two), 'violation');
  const afterDelete = new HistoryBuilder();
  afterDelete.putIfAbsent('a', true, 0, 1); afterDelete.del(2, 3); afterDelete.putIfAbsent('b', true, 4, 5);
  assert.equal(verdict(afterDelete), 'linearizable');
  const refusedOnEmpty = new HistoryBuilder();
  refusedOnEmpty.putIfAbsent('a', false, 0, 1);
  assert.equal(verdict(refusedOnEmpty), 'violation');
});

test('put-if-match: the winner must have matched the current value', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1);
  h.putIfMatch('b', 'a', 'ok', 2, 10, { client: 0 });
  h.putIfMatch('c', 'a', 'precondition-failed', 3, 9, { client: 1 });
  h.get('b', 11, 12);
  assert.equal(verdict(h), 'linearizable');
  const both = new HistoryBuilder();
  both.put('a', 0, 1);
  both.putIfMatch('b', 'a', 'ok', 2, 10, { client: 0 });
  both.putIfMatch('c', 'a', 'ok', 3, 9, { client: 1 });
  assert.equal(verdict(both), 'violation');
  const missing = new HistoryBuilder();
  missing.putIfMatch('b', 'a', 'no-such-key', 0, 1);
  assert.equal(verdict(missing), 'linearizable');
  const wrongMissing = new HistoryBuilder();
  wrongMissing.put('a', 0, 1); wrongMissing.putIfMatch('b', 'a', 'no-such-key', 2, 3);
  assert.equal(verdict(wrongMissing), 'violation');
});

test('an indeterminate conditional put takes effect only if its condition held', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1); h.putIfAbsent('x', true, 2); h.get('x', 5, 6);
  assert.equal(verdict(h), 'violation', 'the key existed, so put-if-absent could not have written');
  const m = new HistoryBuilder();
  m.put('a', 0, 1); m.putIfMatch('b', 'a', 'ok', 2); m.get('b', 5, 6);
  assert.equal(verdict(m), 'linearizable');
});

test('listings: a key acknowledged before the listing began must be in it', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1); h.exists(true, 2, 3); h.exists(false, 2, 4);
  assert.equal(verdict(h), 'violation');
  const c = new HistoryBuilder();
  c.put('a', 0, 5); c.exists(false, 1, 2); c.exists(true, 3, 4);
  assert.equal(verdict(c), 'linearizable');
});

test('keys are checked independently and reported by name', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 1, { key: 'x' }); h.get(null, 2, 3, { key: 'y' }); h.get('a', 4, 5, { key: 'x' });
  h.put('b', 0, 1, { key: 'z' }); h.get(null, 2, 3, { key: 'z' });
  const r = checkHistory(h.ops);
  assert.equal(r.verdict, 'violation');
  assert.deepEqual(r.keys.map((k) => [k.key, k.verdict]), [['x', 'linearizable'], ['y', 'linearizable'], ['z', 'violation']]);
});

test('equal times overlap: an op does not precede one invoked the instant it completed', () => {
  const h = new HistoryBuilder();
  h.put('a', 0, 5); h.get(null, 5, 6);
  assert.equal(verdict(h), 'linearizable');
});

test('the work bound answers "unknown" rather than running on', () => {
  // Many overlapping writes nobody reads, then an impossible read: the search must try orders.
  const h = new HistoryBuilder();
  for (let i = 0; i < 14; i++) h.put(`w${i}`, i, 100 + i, { client: i });
  h.exists(true, 200, 201);
  h.get('never', 202, 203);
  const r = checkHistory(h.ops, { maxStepsPerKey: 50 });
  assert.equal(r.verdict, 'unknown');
  assert.match(describeCheck(r), /unknown \(search limit/);
  assert.equal(checkHistory(h.ops).verdict, 'violation');
});

test('a malformed op is refused loudly (a recorder bug, not a store bug)', () => {
  const h = new HistoryBuilder();
  h.ops.push({ id: 9, client: 0, key: 'k', call: { f: 'get' }, result: { type: 'ok' }, invoke: 0, complete: 1 });
  assert.throws(() => checkHistory(h.ops), /get cannot end in ok/);
});
