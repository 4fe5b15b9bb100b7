import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { uniformPlacementMap, withNodeHealth } from '../../../services/erasure/placement-map.ts';
import {
  DEFAULT_ERASURE_SCHEME, DEFAULT_REPLICA_SCHEME, DEFAULT_SCHEME_POLICY, DEFAULT_SMALL_OBJECT_BYTES, type SchemePolicy,
  selectScheme,
} from '../../../services/erasure/storage-scheme.ts';

const map = uniformPlacementMap();
const MiB = 1024 * 1024;

test('STANDARD objects of at least the small-object size are RS(6,3); smaller ones are replicated', () => {
  assert.deepEqual(selectScheme({ size: 10 * MiB }, DEFAULT_SCHEME_POLICY, map), { scheme: DEFAULT_ERASURE_SCHEME, reason: 'storage-class' });
  assert.deepEqual(selectScheme({ size: DEFAULT_SMALL_OBJECT_BYTES, storageClass: 'STANDARD' }, DEFAULT_SCHEME_POLICY, map).scheme,
    DEFAULT_ERASURE_SCHEME);
  assert.deepEqual(selectScheme({ size: DEFAULT_SMALL_OBJECT_BYTES - 1 }, DEFAULT_SCHEME_POLICY, map),
    { scheme: DEFAULT_REPLICA_SCHEME, reason: 'small-object' });
  assert.deepEqual(selectScheme({ size: 0 }, DEFAULT_SCHEME_POLICY, map).scheme, DEFAULT_REPLICA_SCHEME);
});

test('the REPLICATED class is three replicas at any size; unknown classes use the default class', () => {
  assert.deepEqual(selectScheme({ size: 1024 * MiB, storageClass: 'REPLICATED' }, DEFAULT_SCHEME_POLICY, map),
    { scheme: DEFAULT_REPLICA_SCHEME, reason: 'storage-class' });
  assert.deepEqual(selectScheme({ size: 10 * MiB, storageClass: 'GLACIER' }, DEFAULT_SCHEME_POLICY, map).scheme,
    DEFAULT_ERASURE_SCHEME);
});

test('a bucket policy can change the threshold and the scheme per class', () => {
  const policy: SchemePolicy = {
    ...DEFAULT_SCHEME_POLICY,
    smallObjectBytes: 4 * MiB,
    storageClasses: { ...DEFAULT_SCHEME_POLICY.storageClasses, STANDARD: { kind: 'erasure', dataShards: 4, parityShards: 2 } },
  };
  assert.deepEqual(selectScheme({ size: 3 * MiB }, policy, map).scheme, DEFAULT_REPLICA_SCHEME);
  assert.deepEqual(selectScheme({ size: 5 * MiB }, policy, map).scheme, { kind: 'erasure', dataShards: 4, parityShards: 2 });
});

test('while a whole zone is down, erasure-coded writes become one replica per zone', () => {
  const outage = withNodeHealth(map, 'down', ['zone-b-node-1', 'zone-b-node-2', 'zone-b-node-3']);
  assert.deepEqual(selectScheme({ size: 10 * MiB }, DEFAULT_SCHEME_POLICY, outage),
    { scheme: { kind: 'replica', copies: 3 }, reason: 'zone-outage' });
  const partial = withNodeHealth(map, 'down', ['zone-b-node-1', 'zone-b-node-2']);
  assert.deepEqual(selectScheme({ size: 10 * MiB }, DEFAULT_SCHEME_POLICY, partial).scheme, DEFAULT_ERASURE_SCHEME);
});

test('a policy whose scheme cannot survive a zone loss on this map is refused', () => {
  const policy: SchemePolicy = {
    ...DEFAULT_SCHEME_POLICY,
    storageClasses: { STANDARD: { kind: 'erasure', dataShards: 10, parityShards: 4 } },
  };
  assert.throws(() => selectScheme({ size: 10 * MiB }, policy, map),
    (e: unknown) => e instanceof ErasureError && e.code === 'SchemeCannotSurviveZoneLoss');
});
