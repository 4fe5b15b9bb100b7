// What the redundancy scan and repair walk over: the data of one stored object version or one
// in-progress multipart upload, as parts of stripes with each part's effective coding and each
// stripe's expected shard length. Built from meta's records; pure.
import { stripeAt, stripeCount, type StorageScheme } from '../../erasure/index.ts';
import type { Manifest, ManifestPart, Scheme, Stripe as ManifestStripe } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { layoutOf, schemeFromProto, totalShardsOf } from '../objects/scheme-codec.ts';

/** Exactly one of versionId and uploadId is set (the other is ''). */
export interface DataRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly uploadId: string;
}

export interface StoredStripe {
  /** Position in its part. */
  readonly index: number;
  /** Length of each of its shards (data and parity; a replica's whole copy). */
  readonly shardLength: number;
  readonly record: ManifestStripe;
}

export interface StoredPart {
  /** ManifestPart.number. */
  readonly number: number;
  readonly scheme: StorageScheme;
  readonly stripes: readonly StoredStripe[];
}

export interface StoredData {
  readonly ref: DataRef;
  readonly parts: readonly StoredPart[];
}

export function describeRef(ref: DataRef): string {
  return ref.uploadId !== '' ? `${ref.bucket}/${ref.key} upload ${ref.uploadId}` : `${ref.bucket}/${ref.key} version ${ref.versionId}`;
}

/**
 * One part's stripes with their expected shard lengths, coded with the part's own scheme when
 * it records one (an append written as replicas during a zone outage), else `coding`'s. Throws
 * when the records do not hang together (unknown scheme, stripe count not what the size says).
 */
export function storedPart(part: ManifestPart, coding: { scheme: Scheme | undefined; blockSize: bigint }): StoredPart {
  const own = part.scheme !== undefined;
  const scheme = schemeFromProto(own ? part.scheme : coding.scheme);
  const size = Number(part.size);
  if (size === 0 && part.stripes.length === 0) return { number: part.number, scheme, stripes: [] };
  const layout = layoutOf(scheme, Number(own ? part.blockSize : coding.blockSize));
  const count = stripeCount(size, layout);
  if (part.stripes.length !== count) {
    throw new Error(`part ${part.number}: ${part.stripes.length} stripes recorded, ${count} for ${size} bytes`);
  }
  return {
    number: part.number, scheme,
    stripes: part.stripes.map((record, index) => ({ index, shardLength: stripeAt(size, layout, index).shardLength, record })),
  };
}

export function storedVersion(ref: DataRef, manifest: Manifest): StoredData {
  return { ref, parts: manifest.parts.map((p) => storedPart(p, { scheme: manifest.scheme, blockSize: manifest.blockSize })) };
}

/** Shards a stripe of `scheme` should have: the planner's total. */
export { totalShardsOf };
