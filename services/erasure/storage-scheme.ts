// How an object is made redundant: Reed-Solomon RS(k,m) or n whole replicas. The scheme is
// chosen per write from the bucket's policy (per storage class), the object size, and whether
// a zone is out, and is recorded in the manifest; readers never re-derive it.
import { ErasureError } from './errors.ts';
import { healthyNodeCount, type PlacementMap } from './placement-map.ts';
import { MAX_TOTAL_SHARDS } from './reed-solomon.ts';

export type StorageScheme =
  | { readonly kind: 'erasure'; readonly dataShards: number; readonly parityShards: number }
  | { readonly kind: 'replica'; readonly copies: number };

export const DEFAULT_ERASURE_SCHEME: StorageScheme = { kind: 'erasure', dataShards: 6, parityShards: 3 };
export const DEFAULT_REPLICA_SCHEME: StorageScheme = { kind: 'replica', copies: 3 };
/** Objects smaller than this are replicated: a 6+3 stripe of tiny shards costs 9 writes for little saving. */
export const DEFAULT_SMALL_OBJECT_BYTES = 128 * 1024;
export const STANDARD_STORAGE_CLASS = 'STANDARD';
export const REPLICATED_STORAGE_CLASS = 'REPLICATED';

/** A bucket's redundancy settings. */
export interface SchemePolicy {
  /** Scheme per storage class; classes not listed use the default class's scheme. */
  readonly storageClasses: Readonly<Record<string, StorageScheme>>;
  readonly defaultStorageClass: string;
  /** Objects below this size use smallObjectScheme whatever their class. */
  readonly smallObjectBytes: number;
  readonly smallObjectScheme: StorageScheme;
}

export const DEFAULT_SCHEME_POLICY: SchemePolicy = {
  storageClasses: {
    [STANDARD_STORAGE_CLASS]: DEFAULT_ERASURE_SCHEME,
    [REPLICATED_STORAGE_CLASS]: DEFAULT_REPLICA_SCHEME,
  },
  defaultStorageClass: STANDARD_STORAGE_CLASS,
  smallObjectBytes: DEFAULT_SMALL_OBJECT_BYTES,
  smallObjectScheme: DEFAULT_REPLICA_SCHEME,
};

export function shardCount(scheme: StorageScheme): number {
  return scheme.kind === 'erasure' ? scheme.dataShards + scheme.parityShards : scheme.copies;
}

/** Distinct shards of a stripe needed to read it: k, or one replica. */
export function shardsNeededToRead(scheme: StorageScheme): number {
  return scheme.kind === 'erasure' ? scheme.dataShards : 1;
}

/**
 * Throws SchemeCannotSurviveZoneLoss unless spreading the scheme's shards evenly over the
 * map's zones leaves ≥ k (or one copy) outside every zone. E.g. RS(6,3) on 3 zones puts 3
 * shards in each and any 6 remain; RS(10,4) on 3 zones needs 5 in some zone and only 9 remain.
 */
export function checkSchemeFitsMap(scheme: StorageScheme, map: PlacementMap): void {
  if (scheme.kind === 'erasure') {
    const { dataShards: k, parityShards: m } = scheme;
    if (!Number.isInteger(k) || !Number.isInteger(m) || k < 1 || m < 1 || k + m > MAX_TOTAL_SHARDS) {
      throw new ErasureError('InvalidCodingParameters', `invalid RS(${k},${m})`);
    }
  } else if (!Number.isInteger(scheme.copies) || scheme.copies < 1) {
    throw new ErasureError('InvalidCodingParameters', `invalid replica count ${scheme.copies}`);
  }
  const n = shardCount(scheme);
  const largestZoneShare = Math.ceil(n / map.zones.length);
  if (map.zones.length < 2 || n - largestZoneShare < shardsNeededToRead(scheme)) {
    throw new ErasureError('SchemeCannotSurviveZoneLoss',
      `${describeScheme(scheme)} over ${map.zones.length} zones leaves ${n - largestZoneShare} shards after losing a zone`,
      { scheme, zones: map.zones.length });
  }
}

export function describeScheme(scheme: StorageScheme): string {
  return scheme.kind === 'erasure' ? `RS(${scheme.dataShards},${scheme.parityShards})` : `REPLICA(${scheme.copies})`;
}

export interface SchemeChoice {
  readonly scheme: StorageScheme;
  /** Why: the storage class's scheme, the small-object rule, or a zone with no healthy node. */
  readonly reason: 'storage-class' | 'small-object' | 'zone-outage';
}

/**
 * The scheme for a new object. While some zone has no healthy node an erasure-coded stripe
 * cannot be acknowledged (the shards of the two remaining zones cannot each rebuild it alone),
 * so writes fall back to one replica per zone: the up zones each hold a full copy and the
 * write stays durable against losing either of them. Repair restores the class's scheme later.
 */
export function selectScheme(
  request: { readonly size: number; readonly storageClass?: string },
  policy: SchemePolicy,
  map: PlacementMap,
): SchemeChoice {
  const storageClass = request.storageClass ?? policy.defaultStorageClass;
  const classScheme = policy.storageClasses[storageClass] ?? policy.storageClasses[policy.defaultStorageClass];
  if (!classScheme) {
    throw new ErasureError('InvalidCodingParameters', `no scheme for storage class ${storageClass}`);
  }
  let choice: SchemeChoice = request.size < policy.smallObjectBytes && classScheme.kind === 'erasure'
    ? { scheme: policy.smallObjectScheme, reason: 'small-object' }
    : { scheme: classScheme, reason: 'storage-class' };
  if (choice.scheme.kind === 'erasure' && map.zones.some((z) => healthyNodeCount(z) === 0)) {
    choice = { scheme: { kind: 'replica', copies: map.zones.length }, reason: 'zone-outage' };
  }
  checkSchemeFitsMap(choice.scheme, map);
  return choice;
}
