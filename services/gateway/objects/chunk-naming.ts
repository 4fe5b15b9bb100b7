// Fresh random names. Every shard is a new chunk with a random id, so a retried or repeated
// write never collides with (or silently reuses) an existing chunk, and chunks of a refused
// write can be deleted without touching anything a committed manifest names.
import { randomBytes } from 'node:crypto';

/** 128 bits: collisions across a cluster's lifetime are not a practical concern. */
export const CHUNK_ID_BYTES = 16;
/** Seeds placement of one write; only needs to differ between writes. */
export const PLACEMENT_KEY_BYTES = 8;

export function newChunkId(): string {
  return randomBytes(CHUNK_ID_BYTES).toString('hex');
}

export function newPlacementKey(): string {
  return randomBytes(PLACEMENT_KEY_BYTES).toString('hex');
}
