// Byte ranges → what to fetch. An object is its parts in order, each part a run of stripes
// laid out by the erasure package's striping (planStripes); a read of bytes [start, end) needs
// a slice of each stripe it overlaps, and of an erasure-coded stripe only the data shards (or
// parts of them) holding that slice. Pure.
import { type Stripe, type StripeLayout, stripesForRange } from '../../erasure/index.ts';

export interface StripeSlice {
  /** Index of the part in the manifest. */
  readonly part: number;
  /** The stripe, as placed within its part. */
  readonly stripe: Stripe;
  /** Object offset of the stripe's first byte. */
  readonly objectOffset: number;
  /** Bytes [from, to) of the stripe's data are wanted (0 ≤ from < to ≤ stripe.dataLength). */
  readonly from: number;
  readonly to: number;
}

/**
 * The stripe slices holding object bytes [start, end), in object order. A generator, so a
 * whole read of a huge object never lists all its stripes at once.
 */
export function* stripeSlices(
  partSizes: readonly number[], layout: StripeLayout, start: number, end: number,
): Generator<StripeSlice> {
  let partOffset = 0;
  for (let part = 0; part < partSizes.length && partOffset < end; part++) {
    const size = partSizes[part]!;
    const from = Math.max(start, partOffset) - partOffset;
    const to = Math.min(end, partOffset + size) - partOffset;
    if (from < to) {
      for (const stripe of stripesForRange(size, layout, from, to)) {
        yield {
          part, stripe, objectOffset: partOffset + stripe.offset,
          from: Math.max(from, stripe.offset) - stripe.offset,
          to: Math.min(to, stripe.offset + stripe.dataLength) - stripe.offset,
        };
      }
    }
    partOffset += size;
  }
}

/** Bytes [from, to) of data shard `shard`. */
export interface ShardRange {
  readonly shard: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The data shards holding bytes [slice.from, slice.to) of a stripe whose data is cut into
 * k shards of `shardLength` bytes, and the byte range of each, in stripe order.
 */
export function dataShardRanges(slice: { from: number; to: number }, shardLength: number): ShardRange[] {
  const out: ShardRange[] = [];
  for (let shard = Math.floor(slice.from / shardLength); shard * shardLength < slice.to; shard++) {
    const base = shard * shardLength;
    out.push({ shard, from: Math.max(slice.from, base) - base, to: Math.min(slice.to, base + shardLength) - base });
  }
  return out;
}

/**
 * The column range every shard must supply to rebuild `ranges` by decoding: RS codes each
 * byte column independently, so rebuilding bytes [a, b) of a shard needs bytes [a, b) of any k
 * others. The union of the ranges (the whole shard once a slice spans two shards).
 */
export function decodeWindow(ranges: readonly ShardRange[]): { from: number; to: number } {
  return { from: Math.min(...ranges.map((r) => r.from)), to: Math.max(...ranges.map((r) => r.to)) };
}
