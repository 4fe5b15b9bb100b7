// Reads the wanted slice of one stripe. Replicas: the nearest copy that answers. RS: the
// needed data shards directly (just the byte ranges wanted) when their nodes are healthy;
// otherwise, or when one of them fails, any k shards' matching column range, decoded. A shard
// that errors in any way (missing, node down, checksum mismatch) is simply not used. Too few
// usable shards is InternalError naming the stripe: never wrong bytes.
import type { ReedSolomon, StorageScheme } from '../../erasure/index.ts';
import { StoreError } from '../errors/store-error.ts';
import { dataShardRanges, decodeWindow, type ShardRange, type StripeSlice } from './read-plan.ts';
import { decodeOrder, directSources, type ReadPreference, replicaOrder, type ShardSource } from './shard-choice.ts';

export interface ShardReader {
  /**
   * Bytes [offset, offset + length) of a shard whose whole chunk is `shardLength` bytes,
   * checked against what the manifest records of it; rejects on any doubt.
   */
  read(source: ShardSource, offset: number, length: number, shardLength: number, signal: AbortSignal): Promise<Uint8Array>;
}

export interface StripeFetchContext {
  readonly reader: ShardReader;
  readonly preference: ReadPreference;
  codec(k: number, m: number): ReedSolomon;
}

function unreadable(slice: StripeSlice, why: string, last: unknown): StoreError {
  const cause = last instanceof Error ? `; last error: ${last.message}` : '';
  return new StoreError('InternalError',
    `part ${slice.part + 1} stripe ${slice.stripe.index} (object bytes ${slice.objectOffset}..${slice.objectOffset + slice.stripe.dataLength - 1}) ` +
    `cannot be read: ${why}${cause}`);
}

/** The slice's bytes, in order, as one or more pieces. */
export async function fetchStripeSlice(
  ctx: StripeFetchContext, scheme: StorageScheme, slice: StripeSlice, sources: readonly ShardSource[], signal: AbortSignal,
): Promise<Uint8Array[]> {
  if (scheme.kind === 'replica') return [await fetchFromReplica(ctx, slice, sources, signal)];
  const ranges = dataShardRanges(slice, slice.stripe.shardLength);
  const needed = ranges.map((r) => r.shard);
  const direct = directSources(sources, needed, ctx.preference);
  const window = decodeWindow(ranges);
  const have = new Map<number, Uint8Array>();
  const failed = new Set<ShardSource>();
  if (direct) {
    const results = await Promise.allSettled(direct.map((s, i) => readRange(ctx, s, ranges[i]!, slice, signal)));
    if (results.every((r) => r.status === 'fulfilled')) return results.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value);
    results.forEach((r, i) => {
      const range = ranges[i]!;
      if (r.status === 'rejected') failed.add(direct[i]!);
      else if (range.from === window.from && range.to === window.to) have.set(direct[i]!.index, r.value);
    });
  }
  return decodeSlice(ctx, scheme, slice, sources, { ranges, needed, window, have, failed }, signal);
}

function readRange(ctx: StripeFetchContext, s: ShardSource, r: { from: number; to: number }, slice: StripeSlice, signal: AbortSignal) {
  return ctx.reader.read(s, r.from, r.to - r.from, slice.stripe.shardLength, signal);
}

async function fetchFromReplica(
  ctx: StripeFetchContext, slice: StripeSlice, sources: readonly ShardSource[], signal: AbortSignal,
): Promise<Uint8Array> {
  let last: unknown;
  for (const s of replicaOrder(sources, ctx.preference)) {
    signal.throwIfAborted();
    try {
      return await readRange(ctx, s, slice, slice, signal);
    } catch (err) {
      last = err;
    }
  }
  throw unreadable(slice, `none of its ${sources.length} copies could be read`, last);
}

interface DecodeState {
  readonly ranges: readonly ShardRange[];
  readonly needed: readonly number[];
  readonly window: { from: number; to: number };
  /** Shard index → its window's bytes, already in hand. */
  readonly have: Map<number, Uint8Array>;
  readonly failed: ReadonlySet<ShardSource>;
}

async function decodeSlice(
  ctx: StripeFetchContext, scheme: Extract<StorageScheme, { kind: 'erasure' }>, slice: StripeSlice,
  sources: readonly ShardSource[], st: DecodeState, signal: AbortSignal,
): Promise<Uint8Array[]> {
  const k = scheme.dataShards;
  const { have, window } = st;
  const order = decodeOrder(sources, st.needed, ctx.preference).filter((s) => !st.failed.has(s) && !have.has(s.index));
  let last: unknown;
  // Up to k - have reads at a time; each failure starts the next candidate.
  await new Promise<void>((resolve) => {
    const inFlight = new Set<number>();
    let next = 0;
    const pump = (): void => {
      while (have.size + inFlight.size < k && next < order.length) {
        const s = order[next++]!;
        if (have.has(s.index) || inFlight.has(s.index)) continue;
        inFlight.add(s.index);
        readRange(ctx, s, window, slice, signal).then((bytes) => { have.set(s.index, bytes); }, (err: unknown) => { last = err; })
          .finally(() => {
            inFlight.delete(s.index);
            pump();
          });
      }
      if (inFlight.size === 0) resolve();
    };
    pump();
  });
  signal.throwIfAborted();
  if (have.size < k) throw unreadable(slice, `only ${have.size} of the ${k} shards RS(${k},${scheme.parityShards}) needs could be read`, last);
  const slots: (Uint8Array | null)[] = Array.from({ length: k + scheme.parityShards }, (_, i) => have.get(i) ?? null);
  const data = ctx.codec(k, scheme.parityShards).reconstructShards(slots, st.needed);
  return st.ranges.map((r, j) => data[j]!.subarray(r.from - window.from, r.to - window.from));
}
