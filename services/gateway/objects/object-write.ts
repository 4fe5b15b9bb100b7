// The write half of the data path: body → stripes → shards on data nodes, pipelined so one
// stripe's shards are written while the next stripe is read from the body, and nothing is
// acknowledged unless every stripe meets the zone-loss rule. On any failure every chunk the
// write created is deleted before the error is passed on.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { crc32c } from '@node-rs/crc32';
import type { Logger } from 'pino';
import {
  checkSchemeFitsMap, ErasureError, type ReedSolomon, type SchemePolicy, selectScheme, splitStripe, type StorageScheme, stripeAt,
  type StripeLayout, stripeBytes,
} from '../../erasure/index.ts';
import type { StripeSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../errors/store-error.ts';
import { bodyStripes } from './body-stripes.ts';
import { type ChunkRef, discardChunks } from './chunk-discard.ts';
import { newPlacementKey } from './chunk-naming.ts';
import { MAX_WRITE_BYTES, STRIPE_WRITES_IN_FLIGHT } from './data-path-limits.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import type { PlacementSnapshot } from './placement-snapshot.ts';
import { defaultBlockSize, layoutOf, type SchemeInit, schemeFromProto, schemeToProto } from './scheme-codec.ts';
import { type ChunkAttempt, type ShardStore, writeStripe, type WrittenShard } from './stripe-writer.ts';

export type StripeInit = MessageInitShape<typeof StripeSchema>;

export interface WriteOptions {
  /** Exactly the bytes the source yields; anything else is IncompleteBody. */
  size: number;
  storageClass?: string;
  /** Given for multipart parts, which must use their upload's scheme and block size. */
  scheme?: SchemeInit;
  blockSize?: number;
  signal?: AbortSignal;
}

export interface WriteResult {
  scheme: SchemeInit;
  /** Object bytes per full stripe (Manifest.block_size). */
  blockSize: number;
  stripes: StripeInit[];
  size: number;
}

export interface WriteContext {
  readonly store: ShardStore;
  readonly policy: SchemePolicy;
  current(): Promise<PlacementSnapshot>;
  codec(k: number, m: number): ReedSolomon;
  clientOfNode(node: string): ChunkClient | undefined;
  readonly log?: Logger;
  /** Overrides STRAGGLER_GRACE_MS (tests). */
  readonly stragglerGraceMs?: number;
  /** Reads the placement map again now (the cached one may predate nodes that registered since). */
  fresh?(): Promise<PlacementSnapshot>;
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new StoreError('InternalError', `invalid object size ${size}`);
  if (size > MAX_WRITE_BYTES) {
    throw new StoreError('EntityTooLarge', `${size} bytes exceed the ${MAX_WRITE_BYTES}-byte limit of one write`);
  }
}

function mapOf(snapshot: PlacementSnapshot): NonNullable<PlacementSnapshot['map']> {
  if (!snapshot.map) throw new StoreError('ServiceUnavailable', 'no data nodes are registered');
  return snapshot.map;
}

async function chooseScheme(ctx: WriteContext, o: WriteOptions, snapshot: PlacementSnapshot): Promise<{ scheme: StorageScheme; snapshot: PlacementSnapshot }> {
  const given = o.scheme ? schemeFromProto(o.scheme) : undefined;
  // A given scheme (a multipart upload's) must still fit the map the stripes are placed on.
  const select = (s: PlacementSnapshot): StorageScheme => {
    if (!given) return selectScheme({ size: o.size, storageClass: o.storageClass }, ctx.policy, mapOf(s)).scheme;
    checkSchemeFitsMap(given, mapOf(s));
    return given;
  };
  try {
    return { scheme: select(snapshot), snapshot };
  } catch (err) {
    if (!(err instanceof ErasureError) && !(err instanceof StoreError)) throw err;
    // Perhaps only a stale map (zones not yet registered when it was read): read it again once.
    const fresh = ctx.fresh ? await ctx.fresh() : snapshot;
    try {
      return { scheme: select(fresh), snapshot: fresh };
    } catch (again) {
      if (again instanceof ErasureError) throw new StoreError('ServiceUnavailable', `no storage scheme fits the cluster now: ${again.message}`);
      throw again;
    }
  }
}

/** The stripe's shards: k data views plus m parity buffers, or the same bytes once per copy. */
function shardsOf(bytes: Uint8Array, index: number, size: number, layout: StripeLayout, scheme: StorageScheme, ctx: WriteContext): Uint8Array[] {
  if (scheme.kind === 'replica') return Array.from({ length: scheme.copies }, () => bytes);
  const data = splitStripe(bytes, stripeAt(size, layout, index), layout);
  return [...data, ...ctx.codec(scheme.dataShards, scheme.parityShards).encode(data)];
}

function crcsOf(shards: readonly Uint8Array[]): number[] {
  const seen = new Map<Uint8Array, number>();
  return shards.map((s) => {
    let c = seen.get(s);
    if (c === undefined) seen.set(s, (c = crc32c(s)));
    return c;
  });
}

function toStripe(size: number, shards: readonly WrittenShard[]): StripeInit {
  return {
    size: BigInt(size),
    shards: shards.map((s) => ({
      index: s.index, node: s.node, zone: s.zone, chunkId: s.chunkId, crc32c: s.crc32c, size: BigInt(s.size), fallback: s.fallback,
    })),
  };
}

export async function writeObject(ctx: WriteContext, source: AsyncIterable<Uint8Array>, o: WriteOptions): Promise<WriteResult> {
  checkSize(o.size);
  o.signal?.throwIfAborted();
  const { scheme, snapshot: first } = await chooseScheme(ctx, o, await ctx.current());
  const blockSize = o.blockSize ?? defaultBlockSize(scheme);
  const layout = layoutOf(scheme, blockSize);
  const placementKey = newPlacementKey();
  const attempts: ChunkAttempt[] = [];
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(o.signal!.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const writing: { size: number; done: Promise<WrittenShard[]> }[] = [];
  const stripes: StripeInit[] = [];
  const settleOldest = async (): Promise<void> => {
    const w = writing.shift()!;
    stripes.push(toStripe(w.size, await w.done));
  };
  try {
    let index = 0;
    for await (const bytes of bodyStripes(source, o.size, stripeBytes(layout), abort.signal)) {
      abort.signal.throwIfAborted();
      const shards = shardsOf(bytes, index, o.size, layout, scheme, ctx);
      while (writing.length >= STRIPE_WRITES_IN_FLIGHT) await settleOldest();
      const snapshot = index === 0 ? first : await ctx.current();
      const done = writeStripe(ctx.store, {
        map: mapOf(snapshot), nodes: snapshot.nodes, scheme, placementKey, stripe: index, shards, crcs: crcsOf(shards),
        signal: abort.signal, attempts, graceMs: ctx.stragglerGraceMs,
      });
      done.catch(() => {}); // awaited in order by settleOldest; an early failure must not go unhandled
      writing.push({ size: bytes.length, done });
      index++;
    }
    while (writing.length > 0) await settleOldest();
    return { scheme: schemeToProto(scheme), blockSize, stripes, size: o.size };
  } catch (err) {
    abort.abort(err);
    await Promise.allSettled(writing.map((w) => w.done));
    await Promise.all(attempts.map((a) => a.settled));
    const outcome = await discardChunks(attempts, (node) => ctx.clientOfNode(node));
    ctx.log?.info({ err: (err as Error).message, chunks: attempts.length, ...outcome }, 'write failed; its chunks were discarded');
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** The chunk references of manifest stripes, for discard(). */
export function chunksOf(stripes: readonly { shards?: readonly { node?: string; chunkId?: string }[] }[]): ChunkRef[] {
  return stripes.flatMap((s) => (s.shards ?? []).filter((x) => x.node && x.chunkId).map((x) => ({ node: x.node!, chunkId: x.chunkId! })));
}
