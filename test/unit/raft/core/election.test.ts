import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaftNode } from '../../../../services/raft/node.ts';
import { MessageType, type Message } from '../../../../services/raft/types.ts';
import { TestNetwork, enc, seededRandom } from './network.ts';

function msg(p: Partial<Message>): Message {
  return { type: MessageType.Heartbeat, from: 'b', to: 'a', term: 1, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, ...p };
}

test('a three-node cluster elects exactly one leader and every node agrees on it', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 3);
  const leader = net.elect();
  net.tick(3);
  for (const n of net.nodes.values()) assert.equal(n.leader, leader.id);
  assert.equal([...net.nodes.values()].filter((n) => n.role === 'leader').length, 1);
});

test('a node grants at most one vote per term', () => {
  const a = new RaftNode({ id: 'a', voters: ['a', 'b', 'c'], random: seededRandom(1), preVote: false, checkQuorum: false });
  a.step(msg({ type: MessageType.Vote, from: 'b', term: 2 }));
  a.step(msg({ type: MessageType.Vote, from: 'c', term: 2 }));
  const rd = a.ready();
  const answers = rd.messages.filter((m) => m.type === MessageType.VoteResponse);
  assert.deepEqual(answers.map((m) => [m.to, m.reject]), [['b', false], ['c', true]]);
  assert.deepEqual(rd.hardState, { term: 2, vote: 'b', commit: 0 });
});

test('a vote is refused to a candidate whose log is less up to date (§5.4.1)', () => {
  const a = new RaftNode({
    id: 'a', voters: ['a', 'b', 'c'], random: seededRandom(1), preVote: false,
    restore: { hardState: { term: 3, vote: '', commit: 0 }, entries: [{ term: 3, index: 1, type: 0, data: enc('x') }], applied: 0 },
  });
  a.step(msg({ type: MessageType.Vote, from: 'b', term: 4, index: 5, logTerm: 2 }));
  const r = a.ready().messages.find((m) => m.type === MessageType.VoteResponse)!;
  assert.equal(r.reject, true);
});

test('PreVote: an isolated node does not inflate its term, and rejoins without disrupting', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 5);
  const leader = net.elect();
  const term = leader.term;
  const loner = ['a', 'b', 'c'].find((id) => id !== leader.id)!;
  net.isolate(loner);
  net.tick(100);
  assert.equal(net.node(loner).term, term, 'pre-vote keeps the term');
  net.heal();
  net.tick(5);
  assert.equal(net.leader()?.id, leader.id);
  assert.equal(net.leader()?.term, term);
});

test('CheckQuorum: a leader cut off from the majority steps down within an election timeout', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 9);
  const leader = net.elect();
  net.isolate(leader.id);
  net.tick(25);
  assert.notEqual(leader.role, 'leader');
});

test('a malformed or misaddressed message is dropped and counted, never thrown', () => {
  const a = new RaftNode({ id: 'a', voters: ['a', 'b', 'c'], random: seededRandom(1) });
  assert.doesNotThrow(() => {
    a.step(msg({ type: 99 as MessageType }));
    a.step(msg({ term: -1 }));
    a.step(msg({ type: MessageType.Append, entries: [{ term: 1, index: 7, type: 0, data: enc('gap') }] }));
    a.step(msg({ to: 'z' }));
    a.step(null as unknown as Message);
    a.step(msg({ type: MessageType.Snapshot, snapshot: undefined }));
  });
  assert.equal(a.dropped.malformed, 5);
  assert.equal(a.dropped.unexpected, 1);
  assert.equal(a.term, 0);
});

test('a stale-term message is dropped and the stale leader is told the newer term', () => {
  const a = new RaftNode({
    id: 'a', voters: ['a', 'b', 'c'], random: seededRandom(1),
    restore: { hardState: { term: 5, vote: '', commit: 0 }, entries: [], applied: 0 },
  });
  a.step(msg({ type: MessageType.Append, term: 3 }));
  assert.equal(a.dropped['stale-term'], 1);
  const r = a.ready().messages[0];
  assert.equal(r.type, MessageType.AppendResponse);
  assert.equal(r.term, 5);
});

test('a restarted node recovers term, vote and log from its disk', () => {
  const net = new TestNetwork(['a', 'b', 'c'], 11);
  const leader = net.elect();
  leader.propose([enc('one'), enc('two')]);
  net.settle();
  const follower = ['a', 'b', 'c'].find((id) => id !== leader.id)!;
  const before = net.node(follower).status();
  net.crash(follower);
  const again = net.start(follower);
  const after = again.status();
  assert.equal(after.term, before.term);
  assert.equal(after.vote, before.vote);
  assert.equal(after.lastIndex, before.lastIndex);
  assert.equal(after.commit, before.commit);
});

test('a node cannot be built with an empty voter list (a joiner passes the current voters)', () => {
  assert.throws(() => new RaftNode({ id: 'd', voters: [], random: seededRandom(1) }), /voters is empty/);
});
