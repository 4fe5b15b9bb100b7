// Which shards of a stripe a read fetches, in what order. Cheapest first: for RS the needed
// data shards themselves (no decoding), from nodes believed healthy, in the reader's own zone
// before others; for replicas the nearest healthy copy. Shards on nodes that are DOWN,
// suspected, or unknown go last: they are still tried when nothing better is left. Pure.

/** One shard of a stripe as the manifest records it. */
export interface ShardSource {
  readonly index: number;
  readonly node: string;
  readonly zone: string;
  readonly chunkId: string;
  readonly crc32c: number;
}

/** 0 healthy, 1 known but DOWN or suspected, 2 not in the placement map (no address). */
export type NodeRank = 0 | 1 | 2;

export interface ReadPreference {
  readonly localZone: string;
  readonly rank: (node: string) => NodeRank;
}

function compareBy(keys: (s: ShardSource) => number[]): (a: ShardSource, b: ShardSource) => number {
  return (a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  };
}

/** Replicas: every copy, nearest and healthiest first. */
export function replicaOrder(shards: readonly ShardSource[], pref: ReadPreference): ShardSource[] {
  return [...shards].sort(compareBy((s) => [pref.rank(s.node), s.zone === pref.localZone ? 0 : 1, s.index]));
}

/**
 * RS without decoding: one source per needed data shard, each the best copy of that index,
 * or null when some needed shard has no healthy source (then decoding is the plan).
 */
export function directSources(
  shards: readonly ShardSource[], needed: readonly number[], pref: ReadPreference,
): ShardSource[] | null {
  const ordered = replicaOrder(shards, pref);
  const out: ShardSource[] = [];
  for (const index of needed) {
    const best = ordered.find((s) => s.index === index);
    if (!best || pref.rank(best.node) !== 0) return null;
    out.push(best);
  }
  return out;
}

/**
 * RS with decoding: every source, in the order to try until k distinct shards are in hand.
 * Healthy nodes first; among them the needed data shards (each one fetched is one fewer to
 * rebuild), then the local zone, then lower indices (data shards before parity).
 */
export function decodeOrder(shards: readonly ShardSource[], needed: readonly number[], pref: ReadPreference): ShardSource[] {
  const wanted = new Set(needed);
  return [...shards].sort(compareBy((s) => [
    pref.rank(s.node), wanted.has(s.index) ? 0 : 1, s.zone === pref.localZone ? 0 : 1, s.index,
  ]));
}
