// Every limit and timing of the gateway's data path, named in one place. Stripe sizes bound a
// request's memory (a request holds about two stripes: one being written, one being filled);
// timeouts bound how long a slow or dead data node can hold a request up.

/** Bytes of one PUT body or one multipart part (S3's single-PUT and part limit). */
export const MAX_WRITE_BYTES = 5 * 1024 * 1024 * 1024;
/**
 * Data bytes per erasure-coded shard of a full stripe: RS(6,3) stripes carry 6 MiB of object
 * bytes and 3 MiB of parity. Large enough that per-chunk costs (fsync, index entry, one RPC
 * per shard) are small next to the bytes; small enough that a request holds little.
 */
export const ERASURE_SHARD_BYTES = 1024 * 1024;
/** Object bytes per replicated stripe: each copy of it is one chunk. */
export const REPLICA_STRIPE_BYTES = 4 * 1024 * 1024;
/**
 * Stripes whose shards are being written while the next stripe is read from the body. One
 * keeps a request at ~2 stripes of memory; on loopback a second one gained nothing measurable
 * (the body, not the shard writes, is what a PUT waits on).
 */
export const STRIPE_WRITES_IN_FLIGHT = 1;

/** Deadline of one shard write (a whole PutChunk stream); a retry gets a fresh one. */
export const SHARD_WRITE_TIMEOUT_MS = 10_000;
/** Shard write attempts: the placement's node, then one other node of the same zone. */
export const SHARD_WRITE_ATTEMPTS = 2;
/**
 * Once a stripe meets the acknowledgement rule, shard writes still running get this long to
 * finish; then they are abandoned (absent from the manifest, their chunks deleted), so one
 * stalled node costs a request a second, not the full shard timeout on every stripe. Short,
 * because every write after a zone dies pays it until the zone's nodes are suspected, and the
 * shards left out are restored by the zone's repair worker (gateway/repair/).
 */
export const STRAGGLER_GRACE_MS = 1_000;

/** Deadline of one shard read (a whole GetChunk stream); the reader then tries other shards. */
export const SHARD_READ_TIMEOUT_MS = 10_000;
/** Stripes fetched ahead of the one being streamed out. */
export const READ_PREFETCH_STRIPES = 1;
/** Bytes the outgoing stream buffers before it stops pulling stripes (one stripe is more). */
export const READ_STREAM_HIGH_WATER_BYTES = 1024 * 1024;

/** How often the placement map is re-read from meta in the background. */
export const PLACEMENT_REFRESH_MS = 2_000;
/**
 * A node whose write (or read, by a network error) failed is treated as down for this long,
 * unless it succeeds again meanwhile: it bridges the seconds before meta marks a dead node
 * DOWN, so writes stop choosing a dead zone's nodes right after the first failure.
 */
export const NODE_SUSPECT_MS = 10_000;

/** Deadline of one chunk delete when discarding a refused write. */
export const DISCARD_TIMEOUT_MS = 5_000;
/** Chunk deletes in flight per discard. */
export const DISCARD_CONCURRENCY = 16;
