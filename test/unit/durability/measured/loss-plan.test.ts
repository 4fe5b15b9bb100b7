// The measured run's damage plans: bitrot never takes a stripe beyond its tolerance (counting the
// nodes already lost), often takes it exactly to it, and the beyond-tolerance plan takes each
// chosen object's stripe exactly one past it. Manifests map to stripe layouts with the right
// tolerance for RS and replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create } from '@bufbuild/protobuf';
import { ManifestSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import {
  bytesLost, planBeyondTolerance, planBitrot, shardsLost, stripesBeyondTolerance, stripesOfManifest, type StripeLayout,
} from '../../../../benchmarks/durability/measured/loss-plan.ts';

const ZONES = ['zone-1', 'zone-2', 'zone-3'];
const nodeOf = (zone: number, n: number): string => `${ZONES[zone]}-data-${n + 1}`;

/** RS(6,3) stripes, shard i on node i of the nine (three per zone), and 3-replica stripes, one copy per zone. */
function layouts(count: number): StripeLayout[] {
  const out: StripeLayout[] = [];
  for (let i = 0; i < count; i++) {
    const rs = i % 2 === 0;
    const n = rs ? 9 : 3;
    out.push({
      key: `k${i}`, part: 1, stripe: 0, tolerance: rs ? 3 : 2,
      shards: Array.from({ length: n }, (_, s) => {
        const zone = rs ? Math.floor(s / 3) : s;
        return { index: s, node: nodeOf(zone, rs ? s % 3 : i % 3), zone: ZONES[zone]!, chunkId: `c${i}-${s}`, bytes: 100 + s };
      }),
    });
  }
  return out;
}

test('bitrot within tolerance: never beyond, with lost nodes counted, only in the zones allowed, never on a lost node', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.subarray(['zone-1-data-1', 'zone-2-data-3', 'zone-3-data-2']), fc.double({ min: 0, max: 1, noNaN: true }), (seed, lost, share) => {
    const stripes = layouts(60);
    const nodes = new Set(lost);
    const rot = planBitrot(stripes, { damage: { nodes, chunks: new Set() }, zones: ZONES, stripeShare: share, seed });
    assert.equal(new Set(rot).size, rot.length, 'no chunk twice');
    assert.deepEqual(stripesBeyondTolerance(stripes, { nodes, chunks: new Set(rot) }), []);
    const all = new Map(stripes.flatMap((s) => s.shards.map((x) => [x.chunkId, x] as const)));
    for (const c of rot) assert.ok(!nodes.has(all.get(c)!.node));
  }), { seed: 42, numRuns: 200 });
});

test('bitrot on every stripe takes many exactly to their tolerance; zone filter holds', () => {
  const stripes = layouts(200);
  const rot = new Set(planBitrot(stripes, { damage: { nodes: new Set(), chunks: new Set() }, zones: ['zone-2'], stripeShare: 1, seed: 3 }));
  const at = stripes.filter((s) => shardsLost(s, { nodes: new Set(), chunks: rot }).length === s.tolerance);
  assert.ok(at.length > 0, 'some RS stripes reach 3 rotten shards in zone-2');
  const all = new Map(stripes.flatMap((s) => s.shards.map((x) => [x.chunkId, x] as const)));
  for (const c of rot) assert.equal(all.get(c)!.zone, 'zone-2');
  assert.deepEqual(planBitrot(stripes, { damage: { nodes: new Set(), chunks: new Set() }, zones: ZONES, stripeShare: 0, seed: 3 }), []);
  assert.throws(() => planBitrot(stripes, { damage: { nodes: new Set(), chunks: new Set() }, zones: ZONES, stripeShare: 2, seed: 3 }), /share/);
});

test('a lost zone is exactly at tolerance for RS(6,3) 3-per-zone stripes, below it for replicas', () => {
  const stripes = layouts(10);
  const damage = { nodes: new Set([0, 1, 2].map((n) => nodeOf(2, n))), chunks: new Set<string>() };
  for (const s of stripes) assert.equal(shardsLost(s, damage).length, s.tolerance === 3 ? 3 : 1);
  assert.deepEqual(stripesBeyondTolerance(stripes, damage), []);
  const lost = bytesLost(stripes, damage);
  assert.equal(lost.shards, 5 * 3 + 5 * 1);
});

test('beyond tolerance: each chosen object gets exactly tolerance + 1 shards of one stripe deleted', () => {
  const stripes = layouts(30);
  const plan = planBeyondTolerance(stripes, { count: 5, seed: 7 });
  assert.equal(plan.keys.length, 5);
  const chunks = new Set(plan.chunks);
  const beyond = stripesBeyondTolerance(stripes, { nodes: new Set(), chunks });
  assert.deepEqual(beyond.map((s) => s.key).sort(), plan.keys);
  for (const s of beyond) assert.equal(shardsLost(s, { nodes: new Set(), chunks }).length, s.tolerance + 1);
  assert.deepEqual(planBeyondTolerance(stripes, { count: 5, seed: 7 }), plan, 'seeded');
});

test('manifests: RS tolerance is its parity count, replicas copies − 1, a part\'s own scheme wins', () => {
  const shard = (i: number) => ({ index: i, node: `n${i}`, zone: 'z', chunkId: `c${i}`, crc32c: 0, size: 10n });
  const m = create(ManifestSchema, {
    scheme: { kind: { case: 'erasure', value: { dataShards: 6, parityShards: 3 } } },
    parts: [
      { number: 1, stripes: [{ shards: [0, 1, 2, 3, 4, 5, 6, 7, 8].map(shard) }, { shards: [0, 1, 2, 3, 4, 5, 6, 7, 8].map(shard) }] },
      { number: 2, scheme: { kind: { case: 'replica', value: { copies: 3 } } }, stripes: [{ shards: [0, 1, 2].map(shard) }] },
    ],
  });
  const s = stripesOfManifest('k', m);
  assert.deepEqual(s.map((x) => [x.part, x.stripe, x.tolerance, x.shards.length]), [[1, 0, 3, 9], [1, 1, 3, 9], [2, 0, 2, 3]]);
  assert.equal(s[0]!.shards[4]!.bytes, 10);
});
