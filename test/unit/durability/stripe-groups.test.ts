// Counting stripe groups for the deployment figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countStripeGroups, distinctRotations, zoneDriveSets } from '../../../benchmarks/durability/stripe-groups.ts';
import { DEFAULT_HARDWARE } from '../../../benchmarks/durability/durability-table.ts';

test('drive sets in one zone: distinct nodes while they last, then every node', () => {
  assert.equal(zoneDriveSets(3, 3, 12), 12 ** 3); // one shard on each of the 3 nodes
  assert.equal(zoneDriveSets(1, 3, 12), 36);
  assert.equal(zoneDriveSets(0, 3, 12), 1);
  // 5 shards on 3 nodes: two nodes hold 2 (C(12,2) drive pairs), one holds 1; which two: C(3,2)
  assert.equal(zoneDriveSets(5, 3, 12), 3 * 66 * 66 * 12);
  assert.equal(zoneDriveSets(5, 2, 2), 0); // a node would need 3 shards on 2 drives
});

test('layout rotations: 3/3/3 has one, 5/5/4 and 1/1/0 three', () => {
  assert.equal(distinctRotations([3, 3, 3]), 1);
  assert.equal(distinctRotations([5, 5, 4]), 3);
  assert.equal(distinctRotations([1, 1, 0]), 3);
});

test('default hardware: RS(6,3) is capped by the stripes stored, 3 replicas by the drive sets', () => {
  const rs = countStripeGroups(DEFAULT_HARDWARE, 9, 1024 * 1024);
  assert.equal(rs.possibleSets, 12 ** 9 * 1);
  // 108 drives × 16 TB × 0.7 over 9 shards of 1 MiB
  assert.equal(rs.stripesStored, Math.floor((108 * 16e12 * 0.7) / (9 * 1024 * 1024)));
  assert.equal(rs.groups, rs.stripesStored);
  const rep = countStripeGroups(DEFAULT_HARDWARE, 3, 4 * 1024 * 1024);
  assert.equal(rep.groups, 36 ** 3);
  assert.deepEqual(rep.layout, [1, 1, 1]);
});
