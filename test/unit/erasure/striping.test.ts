import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { ReedSolomon } from '../../../services/erasure/reed-solomon.ts';
import {
  joinStripe, planStripes, splitStripe, splitStripeInto, stripeAt, stripeCount, stripesForRange,
} from '../../../services/erasure/striping.ts';
import { propertyParams, pseudoRandomBytes } from './property-config.ts';

const layoutAndSize = fc.record({
  dataShards: fc.integer({ min: 1, max: 12 }),
  shardSize: fc.integer({ min: 1, max: 512 }),
  size: fc.integer({ min: 0, max: 20_000 }),
});

test('stripes tile the object exactly; only the last is short, with shards of ceil(tail / k)', () => {
  fc.assert(fc.property(layoutAndSize, ({ dataShards, shardSize, size }) => {
    const layout = { dataShards, shardSize };
    const stripes = planStripes(size, layout);
    assert.equal(stripes.length, stripeCount(size, layout));
    let offset = 0;
    for (const s of stripes) {
      assert.equal(s.offset, offset);
      assert.ok(s.dataLength > 0 && s.dataLength <= dataShards * shardSize);
      assert.ok(s.shardLength * dataShards >= s.dataLength && (s.shardLength - 1) * dataShards < s.dataLength);
      if (s.index < stripes.length - 1) assert.equal(s.dataLength, dataShards * shardSize);
      offset += s.dataLength;
    }
    assert.equal(offset, size);
  }), propertyParams(300));
});

test('object → stripes → RS shards → lose m shards per stripe → object, byte for byte', () => {
  const arb = layoutAndSize.chain((x) => fc.record({
    ...Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fc.constant(v)])) as { [K in keyof typeof x]: fc.Arbitrary<(typeof x)[K]> },
    parityShards: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
  }));
  fc.assert(fc.property(arb, ({ dataShards, shardSize, size, parityShards, seed }) => {
    const layout = { dataShards, shardSize };
    const object = pseudoRandomBytes(size, seed);
    const rs = new ReedSolomon(dataShards, parityShards);
    const parts: Uint8Array[] = [];
    for (const stripe of planStripes(size, layout)) {
      const data = splitStripe(object.subarray(stripe.offset, stripe.offset + stripe.dataLength), stripe, layout);
      const shards: (Uint8Array | null)[] = [...data, ...rs.encode(data)];
      for (let e = 0; e < parityShards; e++) shards[(((seed + stripe.index + e * 3) % shards.length) + shards.length) % shards.length] = null;
      parts.push(joinStripe(rs.reconstructData(shards), stripe));
    }
    assert.deepEqual(Buffer.concat(parts), Buffer.from(object));
  }), propertyParams(150));
});

test('a range read names exactly the stripes that hold its bytes', () => {
  const arb = layoutAndSize.filter((x) => x.size > 0).chain((x) => fc.tuple(fc.constant(x),
    fc.integer({ min: 0, max: x.size }), fc.integer({ min: 0, max: x.size })));
  fc.assert(fc.property(arb, ([{ dataShards, shardSize, size }, a, b]) => {
    const layout = { dataShards, shardSize };
    const [start, end] = a <= b ? [a, b] : [b, a];
    const expected = start === end ? [] // an empty range needs no stripe
      : planStripes(size, layout).filter((s) => s.offset < end && s.offset + s.dataLength > start);
    assert.deepEqual(stripesForRange(size, layout, start, end), expected);
  }), propertyParams(300));
});

test('splitStripe pads the tail with zeros and views whole shards without copying', () => {
  const layout = { dataShards: 4, shardSize: 8 };
  const object = Uint8Array.from({ length: 32 + 10 }, (_, i) => i + 1);
  const [full, tail] = planStripes(object.length, layout);
  assert.deepEqual(tail, { index: 1, offset: 32, dataLength: 10, shardLength: 3 });
  const fullShards = splitStripe(object.subarray(0, 32), full!, layout);
  assert.equal(fullShards[1]!.buffer, object.buffer);
  const tailShards = splitStripe(object.subarray(32), tail!, layout);
  assert.deepEqual(tailShards.map((s) => [...s]), [[33, 34, 35], [36, 37, 38], [39, 40, 41], [42, 0, 0]]);
  assert.deepEqual([...joinStripe(tailShards, tail!)], [...object.subarray(32)]);
});

test('splitStripeInto fills codec buffers (padding zeroed) that encode in place and join back', () => {
  const layout = { dataShards: 6, shardSize: 4096 };
  const object = pseudoRandomBytes(6 * 4096 + 1000, 77);
  const rs = new ReedSolomon(6, 3);
  for (const stripe of planStripes(object.length, layout)) {
    const shards = rs.allocateShards(stripe.shardLength);
    shards.forEach((s) => s.fill(0xee));
    splitStripeInto(object.subarray(stripe.offset, stripe.offset + stripe.dataLength), stripe, layout, shards);
    rs.encode(shards.slice(0, 6), shards.slice(6));
    const slots = shards.map((s, i) => (i === 0 || i === 4 || i === 8 ? null : s));
    const data = rs.reconstructData(slots);
    assert.deepEqual(joinStripe(data, stripe), object.subarray(stripe.offset, stripe.offset + stripe.dataLength));
    if (stripe.dataLength < stripe.shardLength * 6) assert.equal(shards[5]![stripe.shardLength - 1], 0);
  }
  assert.throws(() => splitStripeInto(object.subarray(0, 10), stripeAt(10, layout, 0), layout, [new Uint8Array(2)]),
    (e: unknown) => e instanceof ErasureError && e.code === 'InvalidStripeLayout');
});

test('bad layouts, sizes, ranges and shard sets are InvalidStripeLayout errors', () => {
  const isLayoutError = (e: unknown) => e instanceof ErasureError && e.code === 'InvalidStripeLayout';
  const layout = { dataShards: 3, shardSize: 4 };
  assert.throws(() => stripeCount(10, { dataShards: 0, shardSize: 4 }), isLayoutError);
  assert.throws(() => stripeCount(10, { dataShards: 3, shardSize: 0 }), isLayoutError);
  assert.throws(() => stripeCount(-1, layout), isLayoutError);
  assert.throws(() => stripeAt(10, layout, 1), isLayoutError);
  assert.throws(() => stripesForRange(10, layout, 5, 11), isLayoutError);
  assert.throws(() => splitStripe(new Uint8Array(9), stripeAt(10, layout, 0), layout), isLayoutError);
  assert.throws(() => joinStripe([new Uint8Array(4)], stripeAt(10, layout, 0)), isLayoutError);
  assert.deepEqual(planStripes(0, layout), []);
});
