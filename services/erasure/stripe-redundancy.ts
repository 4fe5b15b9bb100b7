// Is a stored stripe fully redundant, and if not, what would make it so? Given the stripe's
// shards as a manifest records them and what was observed of each (present and valid, missing,
// corrupt, its node down or unknown ...), decide which shards are degraded, which of them can
// be rebuilt now (rewritten in place, or added where the manifest has no shard of an index at
// all: a write acknowledged while a node or zone was down), and whether enough shards survive
// to rebuild them. Pure: the scan and the repair worker do the I/O.
import { hashPlacementKey, rankByRendezvous } from './rendezvous-hash.ts';
import type { ZoneInfo } from './placement-map.ts';
import { shardCount, shardsNeededToRead, type StorageScheme } from './storage-scheme.ts';

/**
 * What is known of one recorded shard:
 * - `valid`: read whole, every checksum held, and it is the chunk the manifest records;
 * - `unchecked`: not looked at (a repair pass verifies only its own zone's shards); a source
 *   candidate, whose bytes are verified when it is read;
 * - `missing`: its node answers that the chunk, or its file, is not there;
 * - `corrupt`: its bytes fail their checksums, or it is not the chunk the manifest records;
 * - `node-down`: the placement map marks its node DOWN (nothing can be said or done now);
 * - `unreachable`: its node is not DOWN in the map but did not answer;
 * - `node-unknown`: its node is not in the placement map at all (re-placement is not built).
 */
export type ShardState = 'valid' | 'unchecked' | 'missing' | 'corrupt' | 'node-down' | 'unreachable' | 'node-unknown';

/** Why a shard slot lacks full redundancy: a recorded shard's state, or `absent` (no shard of that index recorded). */
export type DegradedState = Exclude<ShardState, 'valid' | 'unchecked'> | 'absent';

export interface ObservedShard {
  readonly index: number;
  readonly node: string;
  readonly zone: string;
  readonly state: ShardState;
}

export interface DegradedShard {
  readonly index: number;
  /** The recorded shard's node; null for an absent index. */
  readonly node: string | null;
  /** The recorded shard's zone, or the zone an absent index belongs in. */
  readonly zone: string;
  readonly state: DegradedState;
}

/**
 * One shard to rebuild now: `rewrite` puts the same chunk id back on the same node (its copy
 * is missing or corrupt); `add` stores a new chunk on a node of `zone` and records it in the
 * manifest (no shard of that index was ever recorded).
 */
export type ShardRepair =
  | { readonly kind: 'rewrite'; readonly index: number; readonly zone: string; readonly node: string }
  | { readonly kind: 'add'; readonly index: number; readonly zone: string };

export interface StripeRedundancyInput {
  readonly scheme: StorageScheme;
  /** Every zone of the cluster (an absent shard is assigned to one of them). */
  readonly zones: readonly string[];
  readonly shards: readonly ObservedShard[];
}

export interface StripeRedundancy {
  /** No shard known to be degraded (with `unchecked` shards: none of the checked ones). */
  readonly full: boolean;
  readonly degraded: readonly DegradedShard[];
  /** Degraded shards that can be rebuilt now, if `rebuildable`. */
  readonly repairs: readonly ShardRepair[];
  /** Distinct shard indices with a valid or unchecked shard: the possible sources. */
  readonly sources: readonly number[];
  /** Enough sources for the scheme to rebuild any shard (k for RS, one copy for replicas). */
  readonly rebuildable: boolean;
}

const SOURCE_STATES: ReadonlySet<ShardState> = new Set<ShardState>(['valid', 'unchecked']);
/** States a rebuild can fix in place now: the node answers, the chunk is bad. */
const REWRITABLE: ReadonlySet<ShardState> = new Set<ShardState>(['missing', 'corrupt']);

function byZoneId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Zones for the indices no shard is recorded for: each goes to the zone holding the fewest
 * shards of the stripe so far (ties to the smaller zone id), which restores the even spread
 * placement makes (RS(6,3): 3 per zone; 3 replicas: one per zone).
 */
export function zonesForAbsentShards(zones: readonly string[], recorded: readonly { zone: string }[], absent: readonly number[]): string[] {
  const load = new Map<string, number>([...zones].sort(byZoneId).map((z) => [z, 0]));
  for (const s of recorded) if (load.has(s.zone)) load.set(s.zone, load.get(s.zone)! + 1);
  return absent.map(() => {
    let best: string | undefined;
    for (const [zone, n] of load) if (best === undefined || n < load.get(best)!) best = zone;
    if (best === undefined) throw new Error('zonesForAbsentShards: the cluster has no zones');
    load.set(best, load.get(best)! + 1);
    return best;
  });
}

export function assessStripe(input: StripeRedundancyInput): StripeRedundancy {
  const { scheme, zones, shards } = input;
  const total = shardCount(scheme);
  const recorded = shards.filter((s) => Number.isInteger(s.index) && s.index >= 0 && s.index < total);
  const sourceSet = new Set<number>();
  for (const s of recorded) if (SOURCE_STATES.has(s.state)) sourceSet.add(s.index);
  const sources = [...sourceSet].sort((a, b) => a - b);

  const degraded: DegradedShard[] = [];
  const repairs: ShardRepair[] = [];
  for (const s of [...recorded].sort((a, b) => a.index - b.index)) {
    if (SOURCE_STATES.has(s.state)) continue;
    degraded.push({ index: s.index, node: s.node, zone: s.zone, state: s.state as DegradedState });
    if (REWRITABLE.has(s.state)) repairs.push({ kind: 'rewrite', index: s.index, zone: s.zone, node: s.node });
  }
  const recordedIndices = new Set(recorded.map((s) => s.index));
  const absent = Array.from({ length: total }, (_, i) => i).filter((i) => !recordedIndices.has(i));
  zonesForAbsentShards(zones, recorded, absent).forEach((zone, j) => {
    const index = absent[j]!;
    degraded.push({ index, node: null, zone, state: 'absent' });
    repairs.push({ kind: 'add', index, zone });
  });
  degraded.sort((a, b) => a.index - b.index);
  repairs.sort((a, b) => a.index - b.index);
  return { full: degraded.length === 0, degraded, repairs, sources, rebuildable: sources.length >= shardsNeededToRead(scheme) };
}

/**
 * The node of `zone` an added shard goes to: an UP node holding the fewest shards of the
 * stripe (so one node's loss costs the stripe as little as possible), ties broken by
 * rendezvous rank of `key` (something stable about the stripe, e.g. a shard's chunk id), so
 * added shards spread over the zone. Null when no node of the zone is UP.
 */
export function chooseNodeForAddedShard(zone: ZoneInfo, stripeNodes: readonly string[], key: string): string | null {
  const up = zone.nodes.filter((n) => n.health === 'up').map((n) => n.id);
  if (up.length === 0) return null;
  const load = new Map<string, number>();
  for (const n of stripeNodes) load.set(n, (load.get(n) ?? 0) + 1);
  const ranked = rankByRendezvous(hashPlacementKey(key, 0), up);
  let best = ranked[0]!;
  for (const id of ranked) if ((load.get(id) ?? 0) < (load.get(best) ?? 0)) best = id;
  return best;
}
