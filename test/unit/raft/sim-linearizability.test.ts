// The simulator's linearizability checker, tested on its own: hand-made histories with known
// answers, and a property that every history produced by a real atomic register passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkLinearizable, type RegisterOp } from './sim/linearizability.ts';

let nextId = 0;
const put = (value: string, invoke: number, complete?: number, key = 'k'): RegisterOp =>
  ({ id: nextId++, key, kind: 'put', value, invoke, complete });
const get = (value: string | null, invoke: number, complete?: number, key = 'k'): RegisterOp =>
  ({ id: nextId++, key, kind: 'get', value, invoke, complete });

test('a read after a completed write must see it', () => {
  assert.equal(checkLinearizable([put('a', 0, 1), get('a', 2, 3)]).ok, true);
  assert.equal(checkLinearizable([put('a', 0, 1), get(null, 2, 3)]).ok, false);
});

test('a read concurrent with a write may see either value', () => {
  assert.equal(checkLinearizable([put('a', 0, 3), get(null, 1, 2)]).ok, true);
  assert.equal(checkLinearizable([put('a', 0, 3), get('a', 1, 2)]).ok, true);
});

test('reads may not go back in time', () => {
  const h = [put('a', 0, 10), put('b', 1, 11), get('a', 12, 13), get('b', 14, 15), get('a', 16, 17)];
  assert.equal(checkLinearizable(h).ok, false);
  assert.equal(checkLinearizable(h.slice(0, 4)).ok, false); // both puts finished before the reads
  assert.equal(checkLinearizable(h.slice(0, 3)).ok, true);
});

test('a pending write may take effect at any later point, or never', () => {
  assert.equal(checkLinearizable([put('a', 0), get('a', 5, 6)]).ok, true);
  assert.equal(checkLinearizable([put('a', 0), get(null, 5, 6)]).ok, true);
  assert.equal(checkLinearizable([put('a', 0), get('a', 5, 6), get(null, 7, 8)]).ok, false);
});

test('a value nobody wrote (or a write known to have failed) is never readable', () => {
  assert.equal(checkLinearizable([get('ghost', 0, 1)]).ok, false);
});

test('keys are independent', () => {
  const h = [put('a', 0, 1, 'x'), get(null, 2, 3, 'y'), get('a', 4, 5, 'x')];
  assert.equal(checkLinearizable(h).ok, true);
  const bad = checkLinearizable([put('a', 0, 1, 'x'), get(null, 2, 3, 'x'), get(null, 2, 3, 'y')]);
  assert.equal(bad.ok, false);
  assert.equal(bad.key, 'x');
});

test('property: histories of a real atomic register are always accepted', () => {
  // Each op takes effect at one instant inside its [invoke, complete] window; gets return the
  // register's value at that instant. Pending ops may or may not have taken effect.
  const opArb = fc.record({
    kind: fc.constantFrom('put' as const, 'get' as const),
    key: fc.constantFrom('a', 'b'),
    start: fc.integer({ min: 0, max: 60 }),
    effectAfter: fc.integer({ min: 0, max: 10 }),
    completeAfter: fc.integer({ min: 0, max: 10 }),
    pending: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 24 }), (specs) => {
      // Distinct event times: scale by 100 and add the op's position.
      const ops = specs.map((s, i) => ({
        ...s,
        id: i,
        invoke: s.start * 100 + i,
        effect: (s.start + s.effectAfter) * 100 + i + 0.5,
        complete: (s.start + s.effectAfter + s.completeAfter) * 100 + i + 0.7,
        applied: !s.pending || i % 2 === 0, // pending puts take effect in half the cases
      }));
      const register = new Map<string, string | null>();
      const history: RegisterOp[] = [];
      for (const o of [...ops].sort((a, b) => a.effect - b.effect)) {
        if (o.kind === 'put') {
          if (o.applied) register.set(o.key, `v${o.id}`);
          history.push({ id: o.id, key: o.key, kind: 'put', value: `v${o.id}`, invoke: o.invoke, complete: o.pending ? undefined : o.complete });
        } else if (!o.pending) {
          history.push({ id: o.id, key: o.key, kind: 'get', value: register.get(o.key) ?? null, invoke: o.invoke, complete: o.complete });
        }
      }
      const r = checkLinearizable(history);
      assert.ok(r.ok, `rejected a linearizable history for key ${r.key}`);
    }),
    { numRuns: 300, seed: 42 },
  );
});
