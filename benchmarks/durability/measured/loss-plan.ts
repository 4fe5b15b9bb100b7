// Which shards a measured durability run destroys (issue #9), pure. The run's promise is "no
// object lost while no stripe loses more than m shards", so the plan is made from the manifests
// themselves: whole zones and nodes are lost as they are, and bitrot is aimed at chunks chosen
// so that no stripe goes beyond its tolerance — many stripes are taken exactly to it. Beyond
// tolerance is planned on purpose too: m + 1 shards of a stripe of chosen objects, which must
// then be reported lost by name, never served with wrong bytes.
import type { Manifest } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { seededRandom, pick, type Random } from '../../../services/cli/bench/seeded-random.ts';

export interface ShardPlace {
  readonly index: number;
  readonly node: string;
  readonly zone: string;
  readonly chunkId: string;
  readonly bytes: number;
}

/** One stripe of one stored object: where its shards are and how many it may lose. */
export interface StripeLayout {
  readonly key: string;
  readonly part: number;
  readonly stripe: number;
  /** Shards the stripe can lose and still be rebuilt (parity shards, or copies − 1). */
  readonly tolerance: number;
  readonly shards: readonly ShardPlace[];
}

/** The stripes of one object version's manifest. */
export function stripesOfManifest(key: string, manifest: Manifest): StripeLayout[] {
  const out: StripeLayout[] = [];
  for (const part of manifest.parts) {
    const scheme = (part.scheme ?? manifest.scheme)?.kind;
    const tolerance = scheme?.case === 'erasure' ? scheme.value.parityShards : scheme?.case === 'replica' ? scheme.value.copies - 1 : 0;
    part.stripes.forEach((st, stripe) => out.push({
      key, part: part.number, stripe, tolerance,
      shards: st.shards.map((s) => ({ index: s.index, node: s.node, zone: s.zone, chunkId: s.chunkId, bytes: Number(s.size) })),
    }));
  }
  return out;
}

/** Shards out of reach in a phase: on lost or stopped nodes, or chunks rotted or deleted. */
export interface PhaseDamage {
  /** Nodes whose disks are wiped, or that are stopped, for the phase. */
  readonly nodes: ReadonlySet<string>;
  /** Chunk ids made unreadable (bitrot or deletion). */
  readonly chunks: ReadonlySet<string>;
}

export function shardsLost(stripe: StripeLayout, damage: PhaseDamage): ShardPlace[] {
  return stripe.shards.filter((s) => damage.nodes.has(s.node) || damage.chunks.has(s.chunkId));
}

/**
 * Bitrot aimed within tolerance: for a share of the stripes (in seeded order), rot between one
 * shard and as many as the stripe can still lose after `damage`, on nodes of `zones` only and
 * never on a node already in `damage`. Returns the chunk ids to rot.
 */
export function planBitrot(stripes: readonly StripeLayout[], o: {
  damage: PhaseDamage; zones: readonly string[]; stripeShare: number; seed: number;
}): string[] {
  if (!(o.stripeShare >= 0 && o.stripeShare <= 1)) throw new Error(`bitrot stripe share must be in [0, 1], not ${o.stripeShare}`);
  const random = seededRandom(o.seed);
  const chosen: string[] = [];
  for (const stripe of stripes) {
    if (random() >= o.stripeShare) continue;
    const room = stripe.tolerance - shardsLost(stripe, o.damage).length;
    const candidates = stripe.shards.filter((s) => o.zones.includes(s.zone) && !o.damage.nodes.has(s.node) && !o.damage.chunks.has(s.chunkId));
    if (room < 1 || candidates.length === 0) continue;
    // Half the chosen stripes go exactly to their tolerance: the hardest case still promised.
    const count = Math.min(candidates.length, random() < 0.5 ? room : 1 + pick(random, room));
    for (const s of shuffled(random, candidates).slice(0, count)) chosen.push(s.chunkId);
  }
  return chosen;
}

/** Stripes that lose more than they tolerate under `damage` (none, for a plan within tolerance). */
export function stripesBeyondTolerance(stripes: readonly StripeLayout[], damage: PhaseDamage): StripeLayout[] {
  return stripes.filter((s) => shardsLost(s, damage).length > s.tolerance);
}

/**
 * Beyond tolerance on purpose: `count` objects (seeded choice among `keys`), one stripe each,
 * m + 1 of its shards. Returns the chunks to delete and the keys that must come back lost.
 */
export function planBeyondTolerance(stripes: readonly StripeLayout[], o: { count: number; seed: number }): { chunks: string[]; keys: string[] } {
  const random = seededRandom(o.seed);
  const byKey = new Map<string, StripeLayout[]>();
  for (const s of stripes) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
  const keys = shuffled(random, [...byKey.keys()].sort()).slice(0, o.count);
  const chunks: string[] = [];
  for (const key of keys) {
    const own = byKey.get(key)!;
    const stripe = own[pick(random, own.length)]!;
    for (const s of shuffled(random, [...stripe.shards]).slice(0, stripe.tolerance + 1)) chunks.push(s.chunkId);
  }
  return { chunks, keys: keys.sort() };
}

/** Bytes of the shards out of reach: what repair must rebuild. */
export function bytesLost(stripes: readonly StripeLayout[], damage: PhaseDamage): { shards: number; bytes: number } {
  let shards = 0;
  let bytes = 0;
  for (const s of stripes) {
    for (const x of shardsLost(s, damage)) {
      shards++;
      bytes += x.bytes;
    }
  }
  return { shards, bytes };
}

function shuffled<T>(random: Random, items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = pick(random, i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
