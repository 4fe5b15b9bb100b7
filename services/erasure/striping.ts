// Object bytes ↔ stripes of k equal-length data shards. Every stripe but the last holds
// k × shardSize bytes; the last holds the tail, cut into k shards of ceil(tail / k) bytes with
// the final shard zero-padded, so a small tail costs little parity. The layout is a pure
// function of (object size, k, shard size): a manifest needs to record only those, and the
// true length of every stripe follows from them.
import { ErasureError } from './errors.ts';

/** Upper bound on a shard (one chunk on a data node): keeps a stripe's buffers bounded. */
export const MAX_SHARD_BYTES = 64 * 1024 * 1024;

export interface StripeLayout {
  /** k: data shards per stripe. */
  readonly dataShards: number;
  /** Length of each data shard of a full stripe. */
  readonly shardSize: number;
}

export interface Stripe {
  readonly index: number;
  /** Offset of the stripe's first byte in the object. */
  readonly offset: number;
  /** Object bytes in the stripe: the true length, before padding. */
  readonly dataLength: number;
  /** Length of each of its shards (data and parity). */
  readonly shardLength: number;
}

function checkLayout(layout: StripeLayout): void {
  const { dataShards, shardSize } = layout;
  if (!Number.isInteger(dataShards) || dataShards < 1 || !Number.isInteger(shardSize)
    || shardSize < 1 || shardSize > MAX_SHARD_BYTES) {
    throw new ErasureError('InvalidStripeLayout',
      `need k ≥ 1 and 1 ≤ shardSize ≤ ${MAX_SHARD_BYTES}; got k=${dataShards}, shardSize=${shardSize}`);
  }
}

function checkSize(objectSize: number): void {
  if (!Number.isSafeInteger(objectSize) || objectSize < 0) {
    throw new ErasureError('InvalidStripeLayout', `object size ${objectSize} is not a non-negative integer`);
  }
}

export function stripeBytes(layout: StripeLayout): number {
  return layout.dataShards * layout.shardSize;
}

/** Number of stripes of an object; an empty object has none. */
export function stripeCount(objectSize: number, layout: StripeLayout): number {
  checkLayout(layout);
  checkSize(objectSize);
  return Math.ceil(objectSize / stripeBytes(layout));
}

export function stripeAt(objectSize: number, layout: StripeLayout, index: number): Stripe {
  const count = stripeCount(objectSize, layout);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new ErasureError('InvalidStripeLayout', `stripe ${index} outside 0…${count - 1}`);
  }
  const full = stripeBytes(layout);
  const offset = index * full;
  const dataLength = Math.min(full, objectSize - offset);
  const shardLength = dataLength === full ? layout.shardSize : Math.ceil(dataLength / layout.dataShards);
  return { index, offset, dataLength, shardLength };
}

export function planStripes(objectSize: number, layout: StripeLayout): Stripe[] {
  return Array.from({ length: stripeCount(objectSize, layout) }, (_, i) => stripeAt(objectSize, layout, i));
}

/** The stripes holding bytes [start, end) of the object: what a range read must fetch. */
export function stripesForRange(objectSize: number, layout: StripeLayout, start: number, end: number): Stripe[] {
  checkSize(objectSize);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > objectSize || start > end) {
    throw new ErasureError('InvalidStripeLayout', `range [${start}, ${end}) outside an object of ${objectSize} bytes`);
  }
  if (start === end) return [];
  const full = stripeBytes(layout);
  const first = Math.floor(start / full);
  const last = Math.floor((end - 1) / full);
  return Array.from({ length: last - first + 1 }, (_, i) => stripeAt(objectSize, layout, first + i));
}

/**
 * Cuts a stripe's object bytes (exactly stripe.dataLength of them) into k shards of
 * stripe.shardLength bytes. Whole shards are views of `bytes`; shards reaching past the end are
 * zero-padded copies.
 */
export function splitStripe(bytes: Uint8Array, stripe: Stripe, layout: StripeLayout): Uint8Array[] {
  if (bytes.length !== stripe.dataLength) {
    throw new ErasureError('InvalidStripeLayout', `stripe ${stripe.index} holds ${stripe.dataLength} bytes, got ${bytes.length}`);
  }
  const shards: Uint8Array[] = [];
  for (let i = 0; i < layout.dataShards; i++) {
    const from = i * stripe.shardLength;
    const to = from + stripe.shardLength;
    if (to <= bytes.length) {
      shards.push(bytes.subarray(from, to));
    } else {
      const padded = new Uint8Array(stripe.shardLength);
      if (from < bytes.length) padded.set(bytes.subarray(from));
      shards.push(padded);
    }
  }
  return shards;
}

/**
 * Copies a stripe's object bytes into k shard buffers of stripe.shardLength bytes (e.g. from
 * ReedSolomon.allocateShards, to encode in place), zero-filling the padding.
 */
export function splitStripeInto(bytes: Uint8Array, stripe: Stripe, layout: StripeLayout, into: readonly Uint8Array[]): void {
  if (into.length < layout.dataShards || into.slice(0, layout.dataShards).some((s) => s.length !== stripe.shardLength)) {
    throw new ErasureError('InvalidStripeLayout', `stripe ${stripe.index} needs ${layout.dataShards} buffers of ${stripe.shardLength} bytes`);
  }
  splitStripe(bytes, stripe, layout).forEach((shard, i) => into[i]!.set(shard));
}

/** The inverse of splitStripe: the stripe's dataLength object bytes, padding dropped. */
export function joinStripe(dataShards: readonly Uint8Array[], stripe: Stripe): Uint8Array {
  const out = new Uint8Array(stripe.dataLength);
  for (let i = 0, at = 0; at < stripe.dataLength; i++) {
    const shard = dataShards[i];
    if (!shard || shard.length !== stripe.shardLength) {
      throw new ErasureError('InvalidStripeLayout', `stripe ${stripe.index} needs data shard ${i} of ${stripe.shardLength} bytes`);
    }
    const take = Math.min(shard.length, stripe.dataLength - at);
    out.set(shard.subarray(0, take), at);
    at += take;
  }
  return out;
}
