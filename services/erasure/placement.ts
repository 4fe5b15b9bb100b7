// Which node stores each shard of a stripe: a pure function of (object id, stripe index,
// placement map, scheme). Shards are spread evenly over the zones (shard i goes to zone
// (i + r) mod Z, r a per-stripe rotation), and within a zone to the best-ranked nodes by
// rendezvous hashing. A shard whose home node is down goes to the zone's next-ranked healthy
// node, preferring nodes holding fewer shards of the stripe, and says so, so the manifest can
// record it and repair can move it home later. The zone is never changed: a shard kept in
// another zone would break the one-zone-loss guarantee the write acknowledgement checks.
import { type PlacementMap, validatePlacementMap, type ZoneInfo } from './placement-map.ts';
import { hashPlacementKey, keyHashValue, type KeyHash, rankByRendezvous } from './rendezvous-hash.ts';
import { checkSchemeFitsMap, shardCount, type StorageScheme } from './storage-scheme.ts';

export interface ShardPlacement {
  /** Shard index in the stripe: data 0…k-1, parity k…k+m-1; or the replica number. */
  readonly shard: number;
  readonly zone: string;
  /** The node to write to, or null when no node of the zone is up (the shard is not written). */
  readonly node: string | null;
  /** Where the shard belongs when all nodes are up. */
  readonly homeNode: string;
  /** True when `node` is a stand-in for a home node that is down. */
  readonly fallback: boolean;
}

export interface StripePlacement {
  readonly stripe: number;
  readonly shards: readonly ShardPlacement[];
}

function placeInZone(zone: ZoneInfo, shards: readonly number[], key: KeyHash): ShardPlacement[] {
  const ranked = rankByRendezvous(key, zone.nodes.map((n) => n.id));
  const up = new Set(zone.nodes.filter((n) => n.health === 'up').map((n) => n.id));
  const load = new Map<string, number>();
  const homes = shards.map((_, j) => ranked[j % ranked.length]!);
  const chosen: (string | null)[] = homes.map((home) => {
    if (!up.has(home)) return null;
    load.set(home, (load.get(home) ?? 0) + 1);
    return home;
  });
  for (let j = 0; j < shards.length; j++) {
    if (chosen[j] !== null) continue;
    let best: string | null = null;
    for (const id of ranked) {
      if (up.has(id) && (best === null || (load.get(id) ?? 0) < (load.get(best) ?? 0))) best = id;
    }
    if (best !== null) load.set(best, (load.get(best) ?? 0) + 1);
    chosen[j] = best;
  }
  return shards.map((shard, j) => ({
    shard,
    zone: zone.id,
    node: chosen[j]!,
    homeNode: homes[j]!,
    fallback: chosen[j] !== null && chosen[j] !== homes[j],
  }));
}

export function placeStripe(map: PlacementMap, scheme: StorageScheme, objectId: string, stripe: number): StripePlacement {
  validatePlacementMap(map);
  checkSchemeFitsMap(scheme, map);
  // Sorted, so the result does not depend on the order the map lists its zones in.
  const zones = [...map.zones].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const key = hashPlacementKey(objectId, stripe);
  const rotation = keyHashValue(key) % zones.length;
  const perZone: number[][] = zones.map(() => []);
  for (let i = 0; i < shardCount(scheme); i++) perZone[(i + rotation) % zones.length]!.push(i);
  const shards = zones.flatMap((zone, z) => placeInZone(zone, perZone[z]!, key));
  shards.sort((a, b) => a.shard - b.shard);
  return { stripe, shards };
}

export function placeObject(
  map: PlacementMap, scheme: StorageScheme, objectId: string, stripeCount: number,
): StripePlacement[] {
  return Array.from({ length: stripeCount }, (_, s) => placeStripe(map, scheme, objectId, s));
}
