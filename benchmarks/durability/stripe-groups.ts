/**
 * How many independent "stripe groups" a deployment holds, to turn a per-stripe-group loss
 * into a whole-deployment one (issue #9). Pure, and deliberately simple.
 *
 * A stripe group is a set of drives that together hold one stripe. Data is lost somewhere in
 * the deployment when ANY occupied set loses more than m drives at once, so to first order
 *   deployment loss ≈ 1 − (1 − per-group loss)^G,   G = number of distinct occupied sets.
 * Placement (services/erasure/placement.ts) spreads the n shards round-robin over the zones
 * (zoneLayout) and, inside a zone, onto distinct nodes ranked by rendezvous hash per stripe,
 * wrapping when a zone gets more shards than it has nodes; each node then puts a shard on one of
 * its drives. So the number of drive sets a stripe can occupy is, per zone with s shards on N
 * nodes of D drives,
 *   s ≤ N:  C(N, s) · D^s                              (distinct nodes, any drive on each)
 *   s > N:  C(N, r) · C(D, q+1)^r · C(D, q)^(N−r)      (q = ⌊s/N⌋, r = s mod N: every node, r get one more)
 * multiplied over the zones, times the distinct rotations of the layout (placement starts the
 * round-robin at a per-stripe zone: RS(10,4)'s 5/5/4 can leave any zone the 4, 2 replicas can
 * use any 2 of 3 zones); and no more sets are occupied than there are stripes stored:
 *   stripes = drives · driveBytes · fill / (n · shardBytes)        (the deployment holding only this scheme)
 *   G = min(possible sets, stripes)
 * Treating the G groups as independent overstates loss a little (groups share drives, so their
 * losses are positively correlated); it is the usual upper-bound convention.
 */
import { binomial } from './period-model.ts';
import { zoneLayout } from './zone-monte-carlo.ts';
import type { Hardware } from './durability-table.ts';

export interface StripeGroupCount {
  /** shards per zone */
  readonly layout: readonly number[];
  /** distinct drive sets a stripe can land on (0: the scheme does not fit this hardware) */
  readonly possibleSets: number;
  /** stripes the deployment would hold, full at `fill`, with only this scheme */
  readonly stripesStored: number;
  /** min of the two: the G the deployment figure uses */
  readonly groups: number;
}

/** Drive sets one zone's `shards` can occupy on `nodes` nodes of `drives` drives each. */
export function zoneDriveSets(shards: number, nodes: number, drives: number): number {
  if (shards === 0) return 1;
  if (shards <= nodes) return binomial(nodes, shards) * drives ** shards;
  const q = Math.floor(shards / nodes);
  const r = shards % nodes;
  if (q + (r > 0 ? 1 : 0) > drives) return 0; // more shards on a node than it has drives
  return binomial(nodes, r) * binomial(drives, q + 1) ** r * binomial(drives, q) ** (nodes - r);
}

/** How many different arrays the cyclic shifts of `layout` give (1 for 3/3/3, 3 for 5/5/4). */
export function distinctRotations(layout: readonly number[]): number {
  const seen = new Set<string>();
  for (let r = 0; r < layout.length; r++) seen.add(layout.map((_, z) => layout[(z + r) % layout.length]).join('/'));
  return seen.size;
}

export function countStripeGroups(hw: Hardware, n: number, shardBytes: number): StripeGroupCount {
  if (!(shardBytes > 0)) throw new Error(`stripe groups: bad shard size ${shardBytes}`);
  const layout = zoneLayout(n, hw.zones);
  const perRotation = layout.reduce((sets, s) => sets * zoneDriveSets(s, hw.nodesPerZone, hw.drivesPerNode), 1);
  const possibleSets = perRotation * distinctRotations(layout);
  const drives = hw.zones * hw.nodesPerZone * hw.drivesPerNode;
  const stripesStored = Math.max(1, Math.floor((drives * hw.driveBytes * hw.fill) / (n * shardBytes)));
  return { layout, possibleSets, stripesStored, groups: possibleSets === 0 ? 0 : Math.min(possibleSets, stripesStored) };
}
