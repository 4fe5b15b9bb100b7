// The storage scheme as the manifest records it (protobuf Scheme + block size) and as the
// erasure package computes with it (StorageScheme + StripeLayout). Pure. A manifest's block
// size is the object bytes of a full stripe, so an erasure-coded stripe's shards are
// blockSize / k bytes long and a replicated stripe's copies blockSize bytes.
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  describeScheme, ErasureError, MAX_SHARD_BYTES, MAX_TOTAL_SHARDS, type PlacementMap, type SchemePolicy, selectScheme,
  type StorageScheme, type StripeLayout,
} from '../../erasure/index.ts';
import type { SchemeSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../errors/store-error.ts';
import { ERASURE_SHARD_BYTES, REPLICA_STRIPE_BYTES } from './data-path-limits.ts';

export type SchemeInit = MessageInitShape<typeof SchemeSchema>;

/** The scheme a manifest or upload recorded; InternalError when it is missing or malformed. */
export function schemeFromProto(proto: SchemeInit | undefined): StorageScheme {
  const kind = proto?.kind;
  let scheme: StorageScheme | undefined;
  if (kind?.case === 'erasure') {
    scheme = { kind: 'erasure', dataShards: kind.value.dataShards ?? 0, parityShards: kind.value.parityShards ?? 0 };
  } else if (kind?.case === 'replica') {
    scheme = { kind: 'replica', copies: kind.value.copies ?? 0 };
  }
  if (!scheme) throw new StoreError('InternalError', 'the manifest records no storage scheme');
  const counts = scheme.kind === 'erasure' ? [scheme.dataShards, scheme.parityShards] : [scheme.copies];
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.some((c) => !Number.isInteger(c) || c < 1) || total > MAX_TOTAL_SHARDS) {
    throw new StoreError('InternalError', `the manifest records an invalid scheme ${describeScheme(scheme)}`);
  }
  return scheme;
}

export function schemeToProto(scheme: StorageScheme): SchemeInit {
  return scheme.kind === 'erasure'
    ? { kind: { case: 'erasure', value: { dataShards: scheme.dataShards, parityShards: scheme.parityShards } } }
    : { kind: { case: 'replica', value: { copies: scheme.copies } } };
}

/** Data shards per stripe: k, or 1 for replicas (each copy is the whole stripe). */
export function dataShardsOf(scheme: StorageScheme): number {
  return scheme.kind === 'erasure' ? scheme.dataShards : 1;
}

/** Stored shards per stripe: k + m, or the number of copies. */
export function totalShardsOf(scheme: StorageScheme): number {
  return scheme.kind === 'erasure' ? scheme.dataShards + scheme.parityShards : scheme.copies;
}

export function defaultBlockSize(scheme: StorageScheme): number {
  return scheme.kind === 'erasure' ? scheme.dataShards * ERASURE_SHARD_BYTES : REPLICA_STRIPE_BYTES;
}

/** The stripe layout of a block size; InternalError unless k divides it into shards the store accepts. */
export function layoutOf(scheme: StorageScheme, blockSize: number): StripeLayout {
  const k = dataShardsOf(scheme);
  const shardSize = blockSize / k;
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || !Number.isInteger(shardSize) || shardSize > MAX_SHARD_BYTES) {
    throw new StoreError('InternalError',
      `block size ${blockSize} does not split into ${k} shards of at most ${MAX_SHARD_BYTES} bytes (${describeScheme(scheme)})`);
  }
  return { dataShards: k, shardSize };
}

/**
 * The scheme and block size of a new multipart upload, which all its parts must use. Part
 * sizes are unknown, so the small-object rule never applies; a zone outage at creation time
 * makes it replicas (parts written during the outage could not meet the rule with RS). Without
 * a map yet, or when the map fits no scheme, the storage class's own scheme.
 */
export function uploadSchemeFor(
  policy: SchemePolicy, storageClass: string | undefined, map: PlacementMap | null,
): { scheme: StorageScheme; blockSize: number } {
  const notSmall = Math.max(policy.smallObjectBytes, 0);
  let scheme = policy.storageClasses[storageClass ?? policy.defaultStorageClass] ?? policy.storageClasses[policy.defaultStorageClass];
  if (map) {
    try {
      scheme = selectScheme({ size: notSmall, storageClass }, policy, map).scheme;
    } catch (err) {
      if (!(err instanceof ErasureError)) throw err;
    }
  }
  if (!scheme) throw new StoreError('InternalError', `no storage scheme for storage class ${storageClass}`);
  return { scheme, blockSize: defaultBlockSize(scheme) };
}
