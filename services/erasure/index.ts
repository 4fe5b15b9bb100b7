// Public surface of the erasure package: the codec, striping, placement and the write
// acknowledgement rule. Everything here is pure computation: no I/O, timers or sockets.
export { ErasureError, type ErasureErrorCode } from './errors.ts';
export type { GfKernel, GfKernelName } from './gf-kernel.ts';
export {
  DECODE_MATRIX_CACHE_ENTRIES, MAX_TOTAL_SHARDS, ReedSolomon, type ReedSolomonOptions, type ShardSlots, resolveKernel,
} from './reed-solomon.ts';
export { simdKernelSupported } from './simd-instance.ts';
export {
  joinStripe, MAX_SHARD_BYTES, planStripes, splitStripe, splitStripeInto, type Stripe, stripeAt, stripeBytes, stripeCount,
  type StripeLayout, stripesForRange,
} from './striping.ts';
export {
  type DataNodeInfo, DEFAULT_NODES_PER_ZONE, DEFAULT_ZONE_COUNT, healthyNodeCount, type NodeHealth, type PlacementMap,
  uniformPlacementMap, validatePlacementMap, withNodeHealth, type ZoneInfo,
} from './placement-map.ts';
export {
  checkSchemeFitsMap, DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, DEFAULT_SCHEME_POLICY,
  DEFAULT_SMALL_OBJECT_BYTES, describeScheme, REPLICATED_STORAGE_CLASS, type SchemeChoice, type SchemePolicy,
  selectScheme, shardCount, shardsNeededToRead, STANDARD_STORAGE_CLASS, type StorageScheme,
} from './storage-scheme.ts';
export { placeObject, placeStripe, type ShardPlacement, type StripePlacement } from './placement.ts';
export { evaluateWriteAck, type StoredShard, type WriteAckDecision, type WriteAckInput, zoneIds } from './write-ack.ts';
export {
  assessStripe, chooseNodeForAddedShard, type DegradedShard, type DegradedState, type ObservedShard, type ShardRepair,
  type ShardState, type StripeRedundancy, type StripeRedundancyInput, zonesForAbsentShards,
} from './stripe-redundancy.ts';
