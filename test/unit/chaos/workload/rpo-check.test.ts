// The RPO judgement: what a healed cluster may hold per key given the history, and every way it
// can fall short (lost, phantom, corrupt, unreadable, gateways disagreeing, listings wrong).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisterResult } from '../../../chaos/linearizability/index.ts';
import type { FinalState } from '../../../chaos/workload/final-state.ts';
import { checkRpo, describeRpo } from '../../../chaos/workload/rpo-check.ts';
import { HistoryBuilder } from '../register-history-builder.ts';

const E = ['http://a', 'http://b'];

function final(values: Record<string, string | null>, listed?: string[][], extra: Partial<FinalState> = {}): FinalState {
  const reads = E.flatMap((endpoint) => Object.entries(values).map(([key, value]) => ({
    endpoint, key, result: { type: 'read', value } as RegisterResult, corrupt: false,
  })));
  const present = Object.entries(values).filter(([, v]) => v !== null).map(([k]) => k);
  const listings = E.map((endpoint, i) => ({ endpoint, keys: new Set(listed?.[i] ?? present) }));
  return { reads, listings, ...extra };
}

test('the last acknowledged write is there: RPO holds', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 1); h.put('b', 2, 3); h.del(0, 1, { key: 'k2' });
  const r = checkRpo(h.ops, ['k1', 'k2', 'k3'], final({ k1: 'b', k2: null, k3: null }));
  assert.equal(r.ok, true, describeRpo(r));
  assert.deepEqual(r.keys.find((k) => k.key === 'k1')!.allowed, ['b']);
});

test('an overwritten value or an absence after an acknowledged write is a lost write, naming the write', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 1); const last = h.put('b', 2, 3);
  for (const seen of ['a', null]) {
    const r = checkRpo(h.ops, ['k1'], final({ k1: seen }));
    assert.equal(r.ok, false);
    const p = r.problems.find((x) => x.kind === 'lost-write');
    assert.ok(p && p.kind === 'lost-write' && p.lost.map((op) => op.id).includes(last.id), describeRpo(r));
    assert.match(describeRpo(r), /LOST WRITE k1/);
  }
});

test('concurrent last writes and unknown outcomes may each be the survivor', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 10, { client: 0 }); h.put('b', 1, 9, { client: 1 }); h.put('c', 11); // c timed out
  for (const v of ['a', 'b', 'c']) assert.equal(checkRpo(h.ops, ['k1'], final({ k1: v })).ok, true, v);
  const d = new HistoryBuilder('k1');
  d.put('a', 0, 1); d.del(2);
  assert.equal(checkRpo(d.ops, ['k1'], final({ k1: null })).ok, true);
  assert.equal(checkRpo(d.ops, ['k1'], final({ k1: 'a' })).ok, true);
});

test('a value nobody wrote, or whose write certainly failed, is a phantom', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 1); h.failedPut('x', 2, 3);
  assert.equal(checkRpo(h.ops, ['k1'], final({ k1: 'x' })).problems[0]!.kind, 'phantom');
  assert.equal(checkRpo(h.ops, ['k1'], final({ k1: 'zzz' })).problems[0]!.kind, 'phantom');
});

test('corrupt and unreadable finals, and gateways that disagree', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 1);
  const f = final({ k1: 'a' });
  f.reads[0] = { ...f.reads[0]!, result: { type: 'read', value: 'corrupt:a:00' }, corrupt: true };
  f.reads[1] = { ...f.reads[1]!, result: { type: 'indeterminate', reason: '503 ServiceUnavailable' } };
  const kinds = checkRpo(h.ops, ['k1'], f).problems.map((p) => p.kind).sort();
  assert.deepEqual(kinds, ['corrupt', 'unreadable']);
  const two = new HistoryBuilder('k1');
  two.put('a', 0, 10, { client: 0 }); two.put('b', 1, 9, { client: 1 });
  const g = final({ k1: 'a' });
  g.reads[1] = { ...g.reads[1]!, result: { type: 'read', value: 'b' } };
  assert.deepEqual(checkRpo(two.ops, ['k1'], g).problems.map((p) => p.kind), ['disagreement']);
});

test('listings hold exactly the keys that exist', () => {
  const h = new HistoryBuilder('k1');
  h.put('a', 0, 1);
  const missing = checkRpo(h.ops, ['k1', 'k2'], final({ k1: 'a', k2: null }, [['k1'], []]));
  assert.deepEqual(missing.problems.map((p) => `${p.kind} ${'endpoint' in p ? p.endpoint : ''}`), ['listing-missing http://b']);
  const extra = checkRpo(h.ops, ['k1', 'k2'], final({ k1: 'a', k2: null }, [['k1', 'k2'], ['k1', 'stray']]));
  assert.deepEqual(extra.problems.map((p) => `${p.kind} ${'key' in p ? p.key : ''}`), ['listing-extra k2', 'listing-extra stray']);
  const failed = checkRpo(h.ops, ['k1'], { ...final({ k1: 'a' }), listings: [{ endpoint: 'http://a', keys: null, error: 'timeout' }] });
  assert.equal(failed.problems[0]!.kind, 'listing-failed');
});
