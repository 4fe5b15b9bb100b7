// Which packets a network fault loses or slows, per direction of each zone-to-zone link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTalk, describeNetworkFault, linkModesFor, packetMode, type NetworkFault } from '../../../chaos/net/partition-plan.ts';

const Z = ['zone-1', 'zone-2', 'zone-3'];
const kinds = (faults: NetworkFault[], client: string, server: string) => {
  const m = linkModesFor(faults, client, server);
  return `${m.forward.kind}/${m.backward.kind}`;
};

test('no faults: every link passes', () => {
  for (const a of Z) for (const b of Z) assert.equal(kinds([], a, b), 'pass/pass');
});

test('isolate: the zone neither sends nor hears; the other two still talk', () => {
  const f: NetworkFault[] = [{ kind: 'isolate', zone: 'zone-1' }];
  assert.equal(kinds(f, 'zone-1', 'zone-2'), 'drop/drop');
  assert.equal(kinds(f, 'zone-3', 'zone-1'), 'drop/drop');
  assert.equal(kinds(f, 'zone-2', 'zone-3'), 'pass/pass');
  assert.equal(canTalk(f, 'zone-2', 'zone-3'), true);
  assert.equal(canTalk(f, 'zone-1', 'zone-3'), false);
  assert.equal(kinds(f, 'zone-1', 'zone-1'), 'pass/pass', 'traffic inside a zone is never touched');
});

test('mute (one-way): the zone\'s requests and answers are lost, the others\' arrive', () => {
  const f: NetworkFault[] = [{ kind: 'mute', zone: 'zone-2' }];
  assert.equal(kinds(f, 'zone-2', 'zone-1'), 'drop/pass', 'zone-2 dialling out: its requests lost');
  assert.equal(kinds(f, 'zone-1', 'zone-2'), 'pass/drop', 'others dialling zone-2: requests arrive, answers lost');
  assert.equal(kinds(f, 'zone-1', 'zone-3'), 'pass/pass');
});

test('cut between two zones, both ways or one way', () => {
  const both: NetworkFault[] = [{ kind: 'cut', from: 'zone-1', to: 'zone-2' }];
  assert.equal(kinds(both, 'zone-1', 'zone-2'), 'drop/drop');
  assert.equal(kinds(both, 'zone-2', 'zone-1'), 'drop/drop');
  assert.equal(kinds(both, 'zone-1', 'zone-3'), 'pass/pass');
  const one: NetworkFault[] = [{ kind: 'cut', from: 'zone-1', to: 'zone-2', oneWay: true }];
  assert.equal(packetMode(one, 'zone-1', 'zone-2').kind, 'drop');
  assert.equal(packetMode(one, 'zone-2', 'zone-1').kind, 'pass');
  assert.equal(kinds(one, 'zone-2', 'zone-1'), 'pass/drop');
});

test('slow: both directions of every link touching the zone are delayed; loss beats delay; the slowest delay wins', () => {
  const f: NetworkFault[] = [{ kind: 'slow', zone: 'zone-3', ms: 100, jitterMs: 20 }];
  assert.deepEqual(linkModesFor(f, 'zone-1', 'zone-3').forward, { kind: 'delay', ms: 100, jitterMs: 20 });
  assert.equal(kinds(f, 'zone-3', 'zone-2'), 'delay/delay');
  assert.equal(kinds(f, 'zone-1', 'zone-2'), 'pass/pass');
  const both: NetworkFault[] = [...f, { kind: 'slow', zone: 'zone-1', ms: 300 }, { kind: 'isolate', zone: 'zone-2' }];
  assert.deepEqual(packetMode(both, 'zone-1', 'zone-3'), { kind: 'delay', ms: 300, jitterMs: 0 });
  assert.equal(packetMode(both, 'zone-3', 'zone-2').kind, 'drop');
});

test('faults describe themselves', () => {
  assert.equal(describeNetworkFault({ kind: 'cut', from: 'zone-1', to: 'zone-2', oneWay: true }), 'cut zone-1 → zone-2');
  assert.match(describeNetworkFault({ kind: 'mute', zone: 'zone-2' }), /mute zone-2/);
});
