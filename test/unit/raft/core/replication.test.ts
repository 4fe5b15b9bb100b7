import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaftNode } from '../../../../services/raft/node.ts';
import { EntryType, MessageType, type Entry } from '../../../../services/raft/types.ts';
import { TestNetwork, enc, seededRandom } from './network.ts';

test('proposals are replicated, committed and applied in the same order everywhere', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 21);
  const leader = net.elect();
  for (let i = 0; i < 20; i++) leader.propose([enc(`v${i}`)]);
  leader.propose([enc('x'), enc('y'), enc('z')]);
  net.settle();
  net.tick(2);
  const want = [...Array.from({ length: 20 }, (_, i) => `v${i}`), 'x', 'y', 'z'];
  for (const id of ['a', 'b', 'c']) assert.deepEqual(net.appliedData(id), want);
});

test('a follower proposal is refused (null), never silently lost', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 22);
  const leader = net.elect();
  const follower = [...net.nodes.values()].find((n) => n !== leader)!;
  assert.equal(follower.propose([enc('nope')]), null);
});

test('a follower with a divergent uncommitted suffix is repaired to the leader log', () => {
  const t = (term: number, index: number, s: string): Entry => ({ term, index, type: EntryType.Normal, data: enc(s) });
  const b = new RaftNode({
    id: 'b', voters: ['a', 'b', 'c'], random: seededRandom(1),
    restore: { hardState: { term: 2, vote: '', commit: 1 }, entries: [t(1, 1, 'c1'), t(2, 2, 'old'), t(2, 3, 'old')], applied: 0 },
  });
  // Leader of term 3 has [1:1, 3:2]; its first probe is at index 2 (prev 1, term 1).
  b.step({ type: MessageType.Append, from: 'a', to: 'b', term: 3, index: 1, logTerm: 1, entries: [t(3, 2, 'new')], commit: 2, reject: false, rejectHint: 0 });
  const rd = b.ready();
  assert.deepEqual(rd.entries.map((e) => [e.index, e.term]), [[2, 3]]);
  assert.equal(b.status().lastIndex, 2);
  assert.deepEqual(rd.committed.map((e) => e.index), [1, 2]);
  const resp = rd.messages.find((m) => m.type === MessageType.AppendResponse)!;
  assert.equal(resp.reject, false);
  assert.equal(resp.index, 2);
});

test('a rejection hint lets the leader skip a whole conflicting term in one round trip', () => {
  const t = (term: number, index: number): Entry => ({ term, index, type: EntryType.Normal, data: enc('.') });
  const b = new RaftNode({
    id: 'b', voters: ['a', 'b', 'c'], random: seededRandom(1),
    restore: { hardState: { term: 2, vote: '', commit: 0 }, entries: [t(1, 1), t(2, 2), t(2, 3), t(2, 4), t(2, 5)], applied: 0 },
  });
  b.step({ type: MessageType.Append, from: 'a', to: 'b', term: 4, index: 5, logTerm: 4, entries: [], commit: 0, reject: false, rejectHint: 0 });
  const resp = b.ready().messages[0];
  assert.equal(resp.reject, true);
  assert.equal(resp.rejectHint, 5);
  assert.equal(resp.logTerm, 2, 'hint carries the term so the leader can skip all of term 2');
});

test('the leader does not commit an earlier-term entry by counting replicas (§5.4.2)', () => {
  // 'a' leads term 3 holding an entry of term 1 that was never committed.
  const a = new RaftNode({
    id: 'a', voters: ['a', 'b', 'c'], random: seededRandom(1), preVote: false,
    restore: { hardState: { term: 2, vote: '', commit: 0 }, entries: [{ term: 1, index: 1, type: 0, data: enc('old') }], applied: 0 },
  });
  a.campaign();
  a.advance(a.ready());
  a.step({ type: MessageType.VoteResponse, from: 'b', to: 'a', term: 3, index: 0, logTerm: 0, entries: [], commit: 0, reject: false, rejectHint: 0 });
  assert.equal(a.role, 'leader');
  a.advance(a.ready()); // persists the term-3 no-op at index 2
  // 'b' acknowledges only index 1 (the old entry): a majority holds it, but it is term 1.
  a.step({ type: MessageType.AppendResponse, from: 'b', to: 'a', term: 3, index: 1, logTerm: 0, entries: [], commit: 0, reject: false, rejectHint: 0 });
  assert.equal(a.status().commit, 0);
  a.step({ type: MessageType.AppendResponse, from: 'b', to: 'a', term: 3, index: 2, logTerm: 0, entries: [], commit: 0, reject: false, rejectHint: 0 });
  assert.equal(a.status().commit, 2, 'committing the term-3 entry commits the old one with it');
});

test('pipelining: the leader keeps several appends in flight to a replicating follower', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 23);
  const leader = net.elect();
  net.tick(2);
  leader.propose([enc('1')]);
  leader.propose([enc('2')]);
  leader.propose([enc('3')]);
  const appends = leader.ready().messages.filter((m) => m.type === MessageType.Append && m.entries.length > 0);
  assert.equal(appends.length, 6, 'three appends per follower before any acknowledgement');
});

test('a lagging follower catches up through a snapshot after the leader compacts', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 24);
  const leader = net.elect();
  const lagger = ['a', 'b', 'c'].find((id) => id !== leader.id)!;
  net.isolate(lagger);
  for (let i = 0; i < 30; i++) leader.propose([enc(`k${i}`)]);
  net.settle();
  const applied = leader.status().applied;
  const snap = leader.compact(applied, enc('state-at-' + applied));
  assert.equal(snap.meta.index, applied);
  net.heal();
  net.tick(3);
  const disk = net.disks.get(lagger)!;
  assert.equal(disk.snapshot?.meta.index, applied, 'follower installed the snapshot');
  assert.equal(new TextDecoder().decode(disk.snapshot!.data), 'state-at-' + applied);
  leader.propose([enc('after')]);
  net.settle();
  net.tick(2);
  assert.deepEqual(net.appliedData(lagger), ['after']);
  assert.equal(net.node(lagger).status().commit, leader.status().commit);
});
