// The write acknowledgement rule: a write may be acknowledged only when, for every zone, the
// shards stored outside that zone can rebuild every stripe, i.e. the object survives losing
// any one zone (RPO 0). For RS(k,m) that is ≥ k distinct shards of each stripe outside each
// zone; for replicas, ≥ 1 copy outside each zone. A zone that holds nothing (e.g. it is down)
// still counts: losing it loses nothing, but the others must then each stand alone.
import { ErasureError } from './errors.ts';
import type { PlacementMap } from './placement-map.ts';
import { shardCount, shardsNeededToRead, type StorageScheme } from './storage-scheme.ts';

/** A shard a data node has durably stored (its checksum verified). */
export interface StoredShard {
  readonly stripe: number;
  readonly shard: number;
  readonly zone: string;
}

export type WriteAckDecision =
  | { readonly acknowledged: true }
  | {
    readonly acknowledged: false;
    /** The first stripe and zone found failing the rule. */
    readonly stripe: number;
    readonly zone: string;
    readonly shardsOutsideZone: number;
    readonly needed: number;
  };

export interface WriteAckInput {
  readonly scheme: StorageScheme;
  /** Every zone of the placement map, up or down. */
  readonly zones: readonly string[];
  readonly stripeCount: number;
  readonly stored: readonly StoredShard[];
}

export function zoneIds(map: PlacementMap): string[] {
  return map.zones.map((z) => z.id);
}

export function evaluateWriteAck(input: WriteAckInput): WriteAckDecision {
  const { scheme, zones, stripeCount, stored } = input;
  const needed = shardsNeededToRead(scheme);
  const shardsPerStripe = shardCount(scheme);
  const known = new Set(zones);
  // zonesOf[stripe] maps shard index → zones holding a copy of it.
  const zonesOf: Map<number, Set<string>>[] = Array.from({ length: stripeCount }, () => new Map());
  for (const s of stored) {
    if (!known.has(s.zone)) throw new ErasureError('UnknownZone', `shard stored in unknown zone ${s.zone}`);
    if (!Number.isInteger(s.stripe) || s.stripe < 0 || s.stripe >= stripeCount
      || !Number.isInteger(s.shard) || s.shard < 0 || s.shard >= shardsPerStripe) {
      throw new ErasureError('InvalidStripeLayout', `stored shard ${s.shard} of stripe ${s.stripe} is out of range`);
    }
    const byShard = zonesOf[s.stripe]!;
    let at = byShard.get(s.shard);
    if (!at) byShard.set(s.shard, (at = new Set()));
    at.add(s.zone);
  }
  for (let stripe = 0; stripe < stripeCount; stripe++) {
    for (const zone of zones) {
      let outside = 0;
      for (const holders of zonesOf[stripe]!.values()) {
        if (holders.size > 1 || !holders.has(zone)) outside++;
      }
      if (outside < needed) return { acknowledged: false, stripe, zone, shardsOutsideZone: outside, needed };
    }
  }
  return { acknowledged: true };
}
