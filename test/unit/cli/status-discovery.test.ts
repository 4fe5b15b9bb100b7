// Which replicas `zonestore status` asks besides the given endpoints: the ones the answers name
// and nobody asked, but never one that already answered under another address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressesToDiscover } from '../../../services/cli/status/cluster-report.ts';

const peers = (self: string) => [
  { id: 'meta-1', apiAddress: self }, { id: 'meta-2', apiAddress: 'meta-2:7000' }, { id: 'meta-3', apiAddress: 'meta-3:7000' },
];

test('the others are found through one endpoint', () => {
  const answers = [{ view: { address: 'meta-1:7000', reachable: true, id: 'meta-1' }, peers: peers('meta-1:7000') }];
  assert.deepEqual(addressesToDiscover(new Set(['meta-1:7000']), answers), ['meta-2:7000', 'meta-3:7000']);
});

test('a replica listing itself at its listen address (0.0.0.0 in a container) is not asked twice', () => {
  const answers = [{ view: { address: 'meta-1:7000', reachable: true, id: 'meta-1' }, peers: peers('0.0.0.0:7000') }];
  assert.deepEqual(addressesToDiscover(new Set(['meta-1:7000']), answers), ['meta-2:7000', 'meta-3:7000']);
});

test('a replica that did not answer is still asked at the address the others name', () => {
  const answers = [
    { view: { address: 'meta-1:7000', reachable: true, id: 'meta-1' }, peers: peers('meta-1:7000') },
    { view: { address: 'meta-3:7000', reachable: false }, peers: [] },
  ];
  assert.deepEqual(addressesToDiscover(new Set(['meta-1:7000', 'meta-3:7000']), answers), ['meta-2:7000']);
});
