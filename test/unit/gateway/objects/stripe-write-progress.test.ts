import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, uniformPlacementMap, withNodeHealth } from '../../../../services/erasure/index.ts';
import { StripeWriteProgress } from '../../../../services/gateway/objects/stripe-write-progress.ts';
import { propertyParams } from './memory-cluster.ts';

const map = uniformPlacementMap(3, 3);

test('all nine RS(6,3) shards stored: acknowledged', () => {
  const p = new StripeWriteProgress(map, DEFAULT_ERASURE_SCHEME, 'obj', 0);
  assert.equal(p.first.length, 9);
  assert.equal(new Set(p.first.map((t) => t.node)).size, 9, 'one shard per node');
  assert.equal(p.decision().acknowledged, false);
  for (const t of p.first) p.succeeded(t);
  assert.ok(p.settled);
  assert.equal(p.decision().acknowledged, true);
});

test('a failed shard is retried once, on another node of its zone, marked fallback', () => {
  const p = new StripeWriteProgress(map, DEFAULT_ERASURE_SCHEME, 'obj', 3);
  const t = p.first[0]!;
  const retry = p.failed(t)!;
  assert.ok(retry);
  assert.equal(retry.zone, t.zone);
  assert.notEqual(retry.node, t.node);
  assert.equal(retry.fallback, true);
  assert.equal(p.failed(retry), null, 'no third attempt');
});

test('RS(6,3) over 3 zones needs all nine shards: one lost fails the rule, its in-zone retry rescues it', () => {
  const lost = new StripeWriteProgress(map, DEFAULT_ERASURE_SCHEME, 'obj', 1);
  const [victim, ...rest] = lost.first;
  for (const t of rest) lost.succeeded(t);
  lost.failed(lost.failed(victim!)!);
  assert.ok(lost.settled);
  const d = lost.decision();
  assert.ok(!d.acknowledged && d.shardsOutsideZone === 5 && d.needed === 6, JSON.stringify(d));

  const rescued = new StripeWriteProgress(map, DEFAULT_ERASURE_SCHEME, 'obj', 1);
  const [first, ...others] = rescued.first;
  for (const t of others) rescued.succeeded(t);
  rescued.succeeded(rescued.failed(first!)!);
  assert.equal(rescued.decision().acknowledged, true);
});

test('replicas with a zone wholly down: that copy is not attempted, the other two are enough', () => {
  const down = withNodeHealth(map, 'down', ['zone-c-node-1', 'zone-c-node-2', 'zone-c-node-3']);
  const p = new StripeWriteProgress(down, DEFAULT_REPLICA_SCHEME, 'obj', 0);
  assert.deepEqual(p.first.map((t) => t.zone).sort(), ['zone-a', 'zone-b']);
  for (const t of p.first) p.succeeded(t);
  assert.equal(p.decision().acknowledged, true);
});

test('retries never leave their zone nor revisit a failed node (any failure pattern)', () => {
  const arb = fc.record({ stripe: fc.nat(1000), fails: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }) });
  fc.assert(fc.property(arb, ({ stripe, fails }) => {
    const p = new StripeWriteProgress(map, DEFAULT_ERASURE_SCHEME, 'key', stripe);
    const failedNodes = new Set<string>();
    let queue = [...p.first];
    let step = 0;
    while (queue.length > 0) {
      const next: typeof queue = [];
      for (const t of queue) {
        if (fails[step++ % fails.length]) {
          failedNodes.add(t.node);
          const r = p.failed(t);
          if (r) {
            assert.equal(r.zone, t.zone);
            assert.ok(!failedNodes.has(r.node));
            next.push(r);
          }
        } else p.succeeded(t);
      }
      queue = next;
    }
    assert.ok(p.settled);
    // The decision agrees with counting by hand: ≥ 6 stored shards outside every zone.
    const stored = p.stored;
    const ok = ['zone-a', 'zone-b', 'zone-c'].every((z) => stored.filter((s) => s.zone !== z).length >= 6);
    assert.equal(p.decision().acknowledged, ok);
  }), propertyParams(300));
});
