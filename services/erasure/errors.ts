// Errors of the erasure package are values with a code, like everywhere in zonestore, so the
// data path can map them (e.g. TooManyErasures → a 503/500 with a clear cause) without
// parsing messages.

export type ErasureErrorCode =
  /** k, m, shard counts or shard sizes outside what the codec supports. */
  | 'InvalidCodingParameters'
  /** The shard array does not have k + m entries. */
  | 'ShardCountMismatch'
  /** Shards of one stripe differ in length. */
  | 'ShardSizeMismatch'
  /** Fewer than k shards of a stripe are available: the stripe cannot be rebuilt. */
  | 'TooManyErasures'
  /** Stripe geometry (object size, range, stripe index) is inconsistent. */
  | 'InvalidStripeLayout'
  /** The placement map is malformed (duplicate ids, empty zones, …). */
  | 'InvalidPlacementMap'
  /** The scheme cannot keep an object alive through the loss of one zone on this map. */
  | 'SchemeCannotSurviveZoneLoss'
  /** A stored shard names a zone the placement map does not know. */
  | 'UnknownZone';

export class ErasureError extends Error {
  override readonly name = 'ErasureError';

  constructor(
    readonly code: ErasureErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${message}`);
  }
}
