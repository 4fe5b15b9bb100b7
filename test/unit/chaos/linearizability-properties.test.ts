// Properties of the chaos checker over generated histories: whatever a real sequential register
// produces under random (consistent) timings, timeouts and failures is accepted, and one
// injected stale read is always caught, with that read named as the culprit. fast-check prints
// the seed and the smallest failing case on failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkHistory, describeCheck } from '../../chaos/linearizability/index.ts';
import { injectStaleRead, sequentialRegisterHistory } from './sequential-register-history.ts';

const shape = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  clients: fc.integer({ min: 1, max: 5 }),
  keys: fc.integer({ min: 1, max: 3 }),
  opsPerClient: fc.integer({ min: 1, max: 12 }),
  indeterminate: fc.constantFrom(0, 0.1, 0.3),
  failed: fc.constantFrom(0, 0.05),
});

test('property: histories of a real sequential register are linearizable', () => {
  fc.assert(fc.property(shape, (s) => {
    const history = sequentialRegisterHistory(s.seed, s);
    const r = checkHistory(history);
    assert.equal(r.verdict, 'linearizable', describeCheck(r));
  }), { numRuns: 300 });
});

test('property: one injected stale read is always caught, and named', () => {
  fc.assert(fc.property(shape, fc.integer({ min: 0, max: 1000 }), (s, pick) => {
    const injected = injectStaleRead(sequentialRegisterHistory(s.seed, s), pick);
    fc.pre(injected !== undefined);
    const r = checkHistory(injected!.history);
    assert.equal(r.verdict, 'violation');
    const bad = r.keys.find((k) => k.verdict === 'violation')!;
    const stale = injected!.history.find((op) => op.id === injected!.staleGet)!;
    assert.equal(bad.key, stale.key);
    const w = bad.window!;
    // The culprit completes when the stale read does (another op may end at the same instant).
    assert.equal(w.culprit.complete, stale.complete);
    assert.ok(w.ops.some((op) => op.id === stale.id), describeCheck(r));
  }), { numRuns: 300 });
});

test('a long busy history stays within the default work bound', () => {
  const seed = 20240611;
  const history = sequentialRegisterHistory(seed, { clients: 8, keys: 2, opsPerClient: 250, indeterminate: 0.05, failed: 0.01 });
  const started = performance.now();
  const r = checkHistory(history);
  assert.equal(r.verdict, 'linearizable', `seed ${seed}: ${describeCheck(r)}`);
  assert.ok(performance.now() - started < 10_000, `seed ${seed}: took ${performance.now() - started} ms`);
});
