import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { placeStripe } from '../../../services/erasure/placement.ts';
import { uniformPlacementMap } from '../../../services/erasure/placement-map.ts';
import { ReedSolomon } from '../../../services/erasure/reed-solomon.ts';
import { DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, type StorageScheme } from '../../../services/erasure/storage-scheme.ts';
import { evaluateWriteAck, type StoredShard, zoneIds } from '../../../services/erasure/write-ack.ts';
import { propertyParams, pseudoRandomBytes } from './property-config.ts';

const map = uniformPlacementMap();
const zones = zoneIds(map);

function storedFor(scheme: StorageScheme, objectId: string, stripes: number, keep: (s: StoredShard) => boolean = () => true) {
  const out: StoredShard[] = [];
  for (let stripe = 0; stripe < stripes; stripe++) {
    for (const p of placeStripe(map, scheme, objectId, stripe).shards) {
      const s = { stripe, shard: p.shard, zone: p.zone };
      if (keep(s)) out.push(s);
    }
  }
  return out;
}

test('RS(6,3) with every shard stored is acknowledged', () => {
  const stored = storedFor(DEFAULT_ERASURE_SCHEME, 'o', 4);
  assert.deepEqual(evaluateWriteAck({ scheme: DEFAULT_ERASURE_SCHEME, zones, stripeCount: 4, stored }), { acknowledged: true });
});

test('RS(6,3) over three zones needs all nine shards: one missing shard leaves only five outside some zone', () => {
  const stored = storedFor(DEFAULT_ERASURE_SCHEME, 'o', 3, (s) => !(s.stripe === 2 && s.shard === 4));
  const decision = evaluateWriteAck({ scheme: DEFAULT_ERASURE_SCHEME, zones, stripeCount: 3, stored });
  assert.equal(decision.acknowledged, false);
  assert.ok(!decision.acknowledged && decision.stripe === 2 && decision.shardsOutsideZone === 5 && decision.needed === 6);
});

test('replicas: copies in two different zones are enough, two copies in one zone are not', () => {
  const scheme = DEFAULT_REPLICA_SCHEME;
  const ack = (stored: StoredShard[]) => evaluateWriteAck({ scheme, zones, stripeCount: 1, stored }).acknowledged;
  assert.equal(ack([{ stripe: 0, shard: 0, zone: 'zone-a' }, { stripe: 0, shard: 1, zone: 'zone-b' }]), true);
  assert.equal(ack([{ stripe: 0, shard: 0, zone: 'zone-a' }, { stripe: 0, shard: 1, zone: 'zone-a' }]), false);
  assert.equal(ack([{ stripe: 0, shard: 0, zone: 'zone-a' }]), false);
  assert.equal(ack([]), false);
});

test('an empty object (no stripes) is trivially acknowledged; bad input is an error with a code', () => {
  assert.equal(evaluateWriteAck({ scheme: DEFAULT_ERASURE_SCHEME, zones, stripeCount: 0, stored: [] }).acknowledged, true);
  const isCode = (code: string) => (e: unknown) => e instanceof ErasureError && e.code === code;
  assert.throws(() => evaluateWriteAck({ scheme: DEFAULT_REPLICA_SCHEME, zones, stripeCount: 1, stored: [{ stripe: 0, shard: 0, zone: 'zone-z' }] }),
    isCode('UnknownZone'));
  assert.throws(() => evaluateWriteAck({ scheme: DEFAULT_REPLICA_SCHEME, zones, stripeCount: 1, stored: [{ stripe: 1, shard: 0, zone: 'zone-a' }] }),
    isCode('InvalidStripeLayout'));
  assert.throws(() => evaluateWriteAck({ scheme: DEFAULT_REPLICA_SCHEME, zones, stripeCount: 1, stored: [{ stripe: 0, shard: 3, zone: 'zone-a' }] }),
    isCode('InvalidStripeLayout'));
});

test('the rule agrees with the codec: acknowledged ⇔ every zone can be lost and the stripe still rebuilt (property)', () => {
  const schemes: StorageScheme[] = [
    DEFAULT_ERASURE_SCHEME,
    { kind: 'erasure', dataShards: 4, parityShards: 5 },
    { kind: 'erasure', dataShards: 2, parityShards: 2 },
  ];
  const arb = fc.record({
    scheme: fc.constantFrom(...schemes),
    objectId: fc.string({ maxLength: 8 }),
    // Each shard is stored in its placed zone, additionally in another zone, or not at all.
    fate: fc.array(fc.constantFrom('placed', 'extra', 'lost'), { minLength: 9, maxLength: 9 }),
  });
  fc.assert(fc.property(arb, ({ scheme, objectId, fate }) => {
    if (scheme.kind !== 'erasure') return;
    const { dataShards: k, parityShards: m } = scheme;
    const rs = new ReedSolomon(k, m);
    const data = Array.from({ length: k }, (_, i) => pseudoRandomBytes(64, i + 1));
    const all = [...data, ...rs.encode(data)];
    const stored: StoredShard[] = [];
    for (const p of placeStripe(map, scheme, objectId, 0).shards) {
      const f = fate[p.shard]!;
      if (f === 'lost') continue;
      stored.push({ stripe: 0, shard: p.shard, zone: p.zone });
      if (f === 'extra') stored.push({ stripe: 0, shard: p.shard, zone: zones[(zones.indexOf(p.zone) + 1) % zones.length]! });
    }
    const survivesEveryZoneLoss = zones.every((lost) => {
      const outside = new Set(stored.filter((s) => s.zone !== lost).map((s) => s.shard));
      try {
        const rebuilt = rs.reconstructData(all.map((s, i) => (outside.has(i) ? s : null)));
        assert.deepEqual(rebuilt, data);
        return true;
      } catch (e) {
        if (e instanceof ErasureError && e.code === 'TooManyErasures') return false;
        throw e;
      }
    });
    assert.equal(evaluateWriteAck({ scheme, zones, stripeCount: 1, stored }).acknowledged, survivesEveryZoneLoss);
  }), propertyParams(300));
});
