// Range math: any byte range of any object layout (parts of any size, any k and shard size)
// maps to exactly the right stripe slices, and each slice to exactly the right data shard
// ranges — checked by rebuilding the range from shards cut the way the writer cuts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planStripes, ReedSolomon, splitStripe } from '../../../../services/erasure/index.ts';
import { dataShardRanges, decodeWindow, stripeSlices } from '../../../../services/gateway/objects/read-plan.ts';
import { propertyParams, pseudoRandomBytes } from './memory-cluster.ts';

const objectLayout = fc.record({
  dataShards: fc.integer({ min: 1, max: 8 }),
  shardSize: fc.integer({ min: 1, max: 64 }),
  partSizes: fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 5 }),
  seed: fc.integer(),
}).filter((x) => x.partSizes.some((s) => s > 0));

const withRange = objectLayout.chain((x) => {
  const size = x.partSizes.reduce((a, b) => a + b, 0);
  return fc.tuple(fc.constant(x), fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 }))
    .map(([o, a, b]) => ({ ...o, size, start: Math.min(a, b), end: Math.max(a, b) + 1 }));
});

/** Every stripe's data shards, part by part, as the writer cuts them. */
function shardsOf(object: Uint8Array, partSizes: number[], layout: { dataShards: number; shardSize: number }) {
  let at = 0;
  return partSizes.map((size) => {
    const part = object.subarray(at, at + size);
    at += size;
    return planStripes(size, layout).map((s) => splitStripe(part.subarray(s.offset, s.offset + s.dataLength), s, layout));
  });
}

test('stripe slices tile the range in order, each inside its stripe', () => {
  fc.assert(fc.property(withRange, ({ dataShards, shardSize, partSizes, start, end }) => {
    let at = start;
    for (const s of stripeSlices(partSizes, { dataShards, shardSize }, start, end)) {
      assert.ok(s.from >= 0 && s.from < s.to && s.to <= s.stripe.dataLength, JSON.stringify(s));
      assert.equal(s.objectOffset + s.from, at, 'contiguous');
      at = s.objectOffset + s.to;
      const partStart = partSizes.slice(0, s.part).reduce((a, b) => a + b, 0);
      assert.equal(s.objectOffset, partStart + s.stripe.offset);
    }
    assert.equal(at, end);
  }), propertyParams(400));
});

test('any range of any layout reads back exactly from the data shard ranges', () => {
  fc.assert(fc.property(withRange, ({ dataShards, shardSize, partSizes, seed, size, start, end }) => {
    const layout = { dataShards, shardSize };
    const object = pseudoRandomBytes(size, seed);
    const shards = shardsOf(object, partSizes, layout);
    const pieces: Uint8Array[] = [];
    for (const slice of stripeSlices(partSizes, layout, start, end)) {
      const ranges = dataShardRanges(slice, slice.stripe.shardLength);
      assert.ok(ranges.every((r) => r.shard < dataShards && r.from < r.to && r.to <= slice.stripe.shardLength));
      for (const r of ranges) pieces.push(shards[slice.part]![slice.stripe.index]![r.shard]!.subarray(r.from, r.to));
    }
    assert.deepEqual(Buffer.concat(pieces), Buffer.from(object.subarray(start, end)));
  }), propertyParams(400));
});

test('decoding only the window column range of any k shards rebuilds the wanted bytes', () => {
  const arb = withRange.chain((x) => fc.record({
    x: fc.constant(x), parity: fc.integer({ min: 1, max: 3 }), lost: fc.array(fc.nat(), { maxLength: 3 }),
  }));
  fc.assert(fc.property(arb, ({ x: { dataShards, shardSize, partSizes, seed, size, start, end }, parity, lost }) => {
    const layout = { dataShards, shardSize };
    const rs = new ReedSolomon(dataShards, parity);
    const object = pseudoRandomBytes(size, seed);
    const shards = shardsOf(object, partSizes, layout);
    const pieces: Uint8Array[] = [];
    for (const slice of stripeSlices(partSizes, layout, start, end)) {
      const data = shards[slice.part]![slice.stripe.index]!;
      const all = [...data, ...rs.encode(data)];
      const ranges = dataShardRanges(slice, slice.stripe.shardLength);
      const w = decodeWindow(ranges);
      const missing = new Set(lost.slice(0, parity).map((l) => l % all.length));
      const slots = all.map((s, i) => (missing.has(i) ? null : s.slice(w.from, w.to)));
      const rebuilt = rs.reconstructShards(slots, ranges.map((r) => r.shard));
      ranges.forEach((r, j) => pieces.push(rebuilt[j]!.subarray(r.from - w.from, r.to - w.from)));
    }
    assert.deepEqual(Buffer.concat(pieces), Buffer.from(object.subarray(start, end)));
  }), propertyParams(300));
});

test('a slice within one shard needs just that shard\'s bytes; one spanning shards needs whole columns', () => {
  assert.deepEqual(dataShardRanges({ from: 5, to: 9 }, 10), [{ shard: 0, from: 5, to: 9 }]);
  assert.deepEqual(decodeWindow(dataShardRanges({ from: 5, to: 9 }, 10)), { from: 5, to: 9 });
  const spanning = dataShardRanges({ from: 15, to: 32 }, 10);
  assert.deepEqual(spanning, [{ shard: 1, from: 5, to: 10 }, { shard: 2, from: 0, to: 10 }, { shard: 3, from: 0, to: 2 }]);
  assert.deepEqual(decodeWindow(spanning), { from: 0, to: 10 });
});
