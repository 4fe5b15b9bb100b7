import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfChangeType, MessageType } from '../../../../services/raft/types.ts';
import { TestNetwork, enc } from './network.ts';

test('ReadIndex on the leader and on a follower returns the commit index after a quorum round', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 31);
  const leader = net.elect();
  leader.propose([enc('w')]);
  net.settle();
  const follower = [...net.nodes.values()].find((n) => n !== leader)!;
  assert.equal(leader.readIndex(enc('r1')), true);
  assert.equal(follower.readIndex(enc('r2')), true);
  const seen: { id: string; index: number; ctx: string }[] = [];
  for (let round = 0; round < 10; round++) {
    for (const n of net.nodes.values()) {
      if (!n.hasReady()) continue;
      const rd = n.ready();
      for (const r of rd.readStates) seen.push({ id: n.id, index: r.index, ctx: new TextDecoder().decode(r.context) });
      for (const m of rd.messages) net.node(m.to).step(m);
      n.advance(rd);
    }
  }
  const commit = leader.status().commit;
  assert.deepEqual(seen.sort((x, y) => x.ctx.localeCompare(y.ctx)), [
    { id: leader.id, index: commit, ctx: 'r1' },
    { id: follower.id, index: commit, ctx: 'r2' },
  ]);
});

test('ReadIndex is not answered by a leader cut off from the quorum', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 32);
  const leader = net.elect();
  net.tick(2);
  net.isolate(leader.id);
  leader.readIndex(enc('r'));
  const rd = leader.ready();
  assert.equal(rd.readStates.length, 0);
  leader.advance(rd);
  net.tick(1);
  assert.equal(leader.ready().readStates.length, 0);
});

test('leadership transfer hands over to a caught-up follower', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 33);
  const leader = net.elect();
  const target = ['a', 'b', 'c'].find((id) => id !== leader.id)!;
  assert.equal(leader.transferLeadership(target), true);
  assert.equal(leader.propose([enc('blocked')]), null, 'proposals pause during a transfer');
  net.settle();
  net.tick(1);
  assert.equal(net.leader()?.id, target);
  assert.ok(net.node(target).term > 0);
});

test('one-at-a-time membership change: add a fourth voter, then remove one', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 34);
  const leader = net.elect();
  net.tick(1);
  // A joining node starts with the cluster's current voters (it is not one of them yet).
  const d = net.start('d', { voters: ['a', 'b', 'c'] });
  assert.ok(leader.proposeConfChange({ type: ConfChangeType.AddVoter, node: 'd' }));
  assert.equal(leader.proposeConfChange({ type: ConfChangeType.AddVoter, node: 'e' }), null, 'one change at a time');
  net.settle();
  net.tick(3);
  assert.deepEqual(leader.status().conf.voters, ['a', 'b', 'c', 'd']);
  assert.deepEqual(d.status().conf.voters, ['a', 'b', 'c', 'd']);
  leader.propose([enc('with-d')]);
  net.settle();
  assert.deepEqual(net.appliedData('d'), ['with-d']);
  const victim = ['a', 'b', 'c'].find((id) => id !== leader.id)!;
  assert.ok(leader.proposeConfChange({ type: ConfChangeType.RemoveNode, node: victim }));
  net.settle();
  net.tick(2);
  assert.deepEqual(leader.status().conf.voters, ['a', 'b', 'c', 'd'].filter((x) => x !== victim));
  assert.equal(leader.role, 'leader');
});

test('heartbeats carry commit only up to what the follower is known to match', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 35);
  const leader = net.elect();
  leader.propose([enc('x')]);
  net.settle();
  leader.tick();
  const hb = leader.ready().messages.filter((m) => m.type === MessageType.Heartbeat);
  assert.equal(hb.length, 2);
  for (const m of hb) assert.ok(m.commit <= leader.status().commit);
});
