// The read half of the data path: a manifest and a byte range → a byte stream. Stripes are
// fetched one ahead of the one being sent, and the stream pulls no further while its consumer
// is behind, so a read holds about three stripes whatever the object's size.
import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import { MAX_TOTAL_SHARDS, stripeCount, type StorageScheme, type StripeLayout } from '../../erasure/index.ts';
import type { Manifest, Stripe as ManifestStripe } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../errors/store-error.ts';
import { READ_PREFETCH_STRIPES, READ_STREAM_HIGH_WATER_BYTES } from './data-path-limits.ts';
import { type StripeSlice, stripeSlices } from './read-plan.ts';
import { layoutOf, schemeFromProto, totalShardsOf } from './scheme-codec.ts';
import type { ShardSource } from './shard-choice.ts';
import { fetchStripeSlice, type StripeFetchContext } from './stripe-fetch.ts';

/** Inclusive byte range, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

interface ReadGeometry {
  readonly scheme: StorageScheme;
  readonly layout: StripeLayout;
  readonly partSizes: number[];
  readonly size: number;
}

/** Checks the manifest hangs together (InternalError if not): the layout must explain every part's stripes. */
function geometryOf(manifest: Manifest): ReadGeometry {
  const scheme = schemeFromProto(manifest.scheme);
  const partSizes = manifest.parts.map((p) => Number(p.size));
  const size = partSizes.reduce((a, b) => a + b, 0);
  if (size === 0) return { scheme, layout: { dataShards: 1, shardSize: 1 }, partSizes, size };
  const layout = layoutOf(scheme, Number(manifest.blockSize));
  manifest.parts.forEach((p, i) => {
    if (p.stripes.length !== stripeCount(partSizes[i]!, layout)) {
      throw new StoreError('InternalError',
        `manifest part ${p.number}: ${p.stripes.length} stripes for ${partSizes[i]} bytes in blocks of ${manifest.blockSize}`);
    }
  });
  return { scheme, layout, partSizes, size };
}

function sourcesOf(stripe: ManifestStripe, slice: StripeSlice, scheme: StorageScheme): ShardSource[] {
  if (Number(stripe.size) !== slice.stripe.dataLength) {
    throw new StoreError('InternalError',
      `part ${slice.part + 1} stripe ${slice.stripe.index}: the manifest says ${stripe.size} bytes, the layout ${slice.stripe.dataLength}`);
  }
  const total = totalShardsOf(scheme);
  return stripe.shards
    // A shard of another length cannot be this stripe's (an unset size is checked by the reader).
    .filter((s) => s.index < total && (s.size === 0n || Number(s.size) === slice.stripe.shardLength))
    .map((s) => ({ index: s.index, node: s.node, zone: s.zone, chunkId: s.chunkId, crc32c: s.crc32c }));
}

/**
 * Streams bytes [range.start, range.end] (the whole object without a range). Throws
 * InvalidRange at once for a range outside the object; errors the stream with InternalError
 * when a stripe cannot be read.
 */
export function readObject(ctx: StripeFetchContext, manifest: Manifest, range?: ByteRange): Readable {
  const geo = geometryOf(manifest);
  const start = range?.start ?? 0;
  const end = range ? range.end + 1 : geo.size;
  if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end)
    && range.start >= 0 && range.start <= range.end && range.end < geo.size)) {
    throw new StoreError('InvalidRange', `bytes ${range.start}-${range.end} are not within an object of ${geo.size} bytes`);
  }
  const abort = new AbortController();
  // Every shard read in flight listens on it: up to a shard set per stripe being fetched.
  setMaxListeners((1 + READ_PREFETCH_STRIPES) * MAX_TOTAL_SHARDS, abort.signal);

  const fetchSlice = (slice: StripeSlice): Promise<Uint8Array[]> => {
    const stripe = manifest.parts[slice.part]!.stripes[slice.stripe.index]!;
    const p = Promise.resolve().then(() => fetchStripeSlice(ctx, geo.scheme, slice, sourcesOf(stripe, slice, geo.scheme), abort.signal));
    p.catch(() => {}); // a prefetch the consumer never reaches must not be an unhandled rejection
    return p;
  };

  async function* pieces(): AsyncGenerator<Uint8Array> {
    const slices = stripeSlices(geo.partSizes, geo.layout, start, end);
    const pending: Promise<Uint8Array[]>[] = [];
    const topUp = (): void => {
      while (pending.length < 1 + READ_PREFETCH_STRIPES) {
        const next = slices.next();
        if (next.done) return;
        pending.push(fetchSlice(next.value));
      }
    };
    try {
      topUp();
      while (pending.length > 0) {
        const current = await pending[0]!;
        pending.shift();
        for (const piece of current) if (piece.length > 0) yield piece;
        // Only now: while `current` is being sent, just the next stripe is being fetched.
        topUp();
      }
    } finally {
      abort.abort();
    }
  }

  const stream = Readable.from(pieces(), { objectMode: false, highWaterMark: READ_STREAM_HIGH_WATER_BYTES });
  stream.once('close', () => abort.abort());
  return stream;
}
