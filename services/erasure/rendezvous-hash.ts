// Rendezvous (highest-random-weight) hashing: every node gets a pseudo-random score for a key
// and the key goes to the best-scoring nodes. Each node is equally likely to win any rank, so
// load is even, and adding or removing a node only moves the keys it wins or loses.
//
// The hash is a MurmurHash3-style mix over UTF-16 code units, so the key's state is computed
// once and then extended with each node id. It must never change: placement of existing data
// is recorded in manifests, but a changed hash would make new writes of the same key land
// elsewhere for no reason.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixUnit(h: number, unit: number): number {
  let k = Math.imul(unit, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Opaque hashing state of a key, to be extended per node. */
export interface KeyHash {
  readonly state: number;
  readonly units: number;
}

/** The hash state of (object id, stripe index); a separator keeps "a"+"bc" ≠ "ab"+"c". */
export function hashPlacementKey(objectId: string, stripe: number): KeyHash {
  let h = 0;
  for (let i = 0; i < objectId.length; i++) h = mixUnit(h, objectId.charCodeAt(i));
  h = mixUnit(h, 0x10000); // outside the UTF-16 range: cannot collide with a code unit
  h = mixUnit(h, stripe | 0);
  h = mixUnit(h, Math.floor(stripe / 2 ** 32));
  return { state: h, units: objectId.length + 3 };
}

/** A node's 32-bit score for a key. */
export function rendezvousScore(key: KeyHash, nodeId: string): number {
  let h = mixUnit(key.state, 0x10001);
  for (let i = 0; i < nodeId.length; i++) h = mixUnit(h, nodeId.charCodeAt(i));
  return finalMix(h ^ (key.units + nodeId.length + 1));
}

/** A plain 32-bit hash of the key alone (e.g. to rotate which zone gets which shard). */
export function keyHashValue(key: KeyHash): number {
  return finalMix(key.state ^ key.units);
}

/** Ids ordered by descending score for the key; ties (≈1 in 2^32) go to the smaller id. */
export function rankByRendezvous(key: KeyHash, ids: readonly string[]): string[] {
  const scored = ids.map((id) => ({ id, score: rendezvousScore(key, id) }));
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.map((s) => s.id);
}
