// Property test of RaftLog's replication logic: random elections, leader appends, Append
// messages (fresh, reordered and duplicated), snapshots and compactions must keep the Log
// Matching Property and never change an entry at or below a log's commit index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RaftLog } from '../../../services/raft/log.ts';
import { EntryType, type Entry, type Snapshot } from '../../../services/raft/types.ts';

interface Peer {
  log: RaftLog;
  term: number;
}

interface AppendMsg {
  term: number;
  prevIndex: number;
  prevTerm: number;
  commit: number;
  entries: Entry[];
}

type Step =
  | { kind: 'elect'; candidate: number }
  | { kind: 'propose'; count: number }
  | { kind: 'replicate'; to: number; back: number; count: number }
  | { kind: 'redeliver'; to: number; pick: number }
  | { kind: 'compact'; node: number; keep: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('elect' as const), candidate: fc.nat(4) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('propose' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replicate' as const), to: fc.nat(4), back: fc.nat(6), count: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), to: fc.nat(4), pick: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), node: fc.nat(4), keep: fc.nat(2) }) },
);

const data = (term: number, index: number) => new TextEncoder().encode(`${term}/${index}`);

/** A small Raft cluster reduced to its logs: enough protocol to drive RaftLog the way the node does. */
class LogCluster {
  readonly peers: Peer[];
  leader = -1;
  private match: number[] = [];
  private readonly sent: AppendMsg[] = [];
  /** Every entry ever at or below some log's commit index: index → "term/data". */
  private readonly committed = new Map<number, string>();

  constructor(n: number) {
    this.peers = Array.from({ length: n }, () => ({ log: new RaftLog(undefined, [], 0, 0), term: 0 }));
  }

  run(step: Step): void {
    const n = this.peers.length;
    switch (step.kind) {
      case 'elect':
        return this.elect(step.candidate % n);
      case 'propose':
        return this.propose(step.count);
      case 'replicate':
        return this.replicate(step.to % n, step.back, step.count);
      case 'redeliver':
        if (this.sent.length > 0) this.deliver(step.to % n, this.sent[step.pick % this.sent.length]);
        return;
      case 'compact':
        return this.compact(step.node % n, step.keep);
    }
  }

  /** A candidate wins if a majority (itself included) finds its log up to date (§5.4.1). */
  private elect(c: number): void {
    const term = Math.max(...this.peers.map((p) => p.term)) + 1;
    const cand = this.peers[c].log;
    const voters = this.peers.filter((p) => p.log.isUpToDate(cand.lastIndex(), cand.lastTerm()));
    if (voters.length * 2 <= this.peers.length) return;
    for (const p of voters) p.term = term;
    this.peers[c].term = term;
    this.leader = c;
    this.match = this.peers.map(() => 0);
    this.propose(1); // the new leader's empty entry
  }

  private propose(count: number): void {
    if (this.leader < 0) return;
    const p = this.peers[this.leader];
    const entries: Entry[] = [];
    for (let i = 1; i <= count; i++) {
      const index = p.log.lastIndex() + i;
      entries.push({ term: p.term, index, type: EntryType.Normal, data: data(p.term, index) });
    }
    p.log.append(entries);
    p.log.stableTo(p.log.lastIndex(), p.term);
    this.match[this.leader] = p.log.lastIndex();
  }

  /** The leader sends `count` entries after a prefix ending `back` entries before the follower's end. */
  private replicate(to: number, back: number, count: number): void {
    if (this.leader < 0 || to === this.leader) return;
    const leader = this.peers[this.leader];
    const prevIndex = Math.max(0, Math.min(this.peers[to].log.lastIndex(), leader.log.lastIndex()) - back);
    const prevTerm = leader.log.term(prevIndex);
    if (prevTerm === undefined) {
      this.installSnapshot(to);
      return;
    }
    const entries = leader.log.slice(prevIndex + 1, prevIndex + 1 + count, count || 1, Infinity).slice(0, count);
    const msg: AppendMsg = { term: leader.term, prevIndex, prevTerm, commit: leader.log.committed, entries };
    this.sent.push(msg);
    this.deliver(to, msg);
  }

  /** Follower side, as RaftNode does it: reject stale terms, then maybeAppend; the leader counts acks. */
  private deliver(to: number, m: AppendMsg): void {
    const f = this.peers[to];
    if (m.term < f.term || to === this.leader) return;
    f.term = m.term;
    if (m.prevIndex < f.log.committed) return;
    const lastNew = f.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries.map((e) => ({ ...e })));
    if (lastNew === null || this.leader < 0 || this.peers[this.leader].term !== m.term) return;
    this.match[to] = Math.max(this.match[to], lastNew);
    const leader = this.peers[this.leader].log;
    const q = [...this.match].sort((a, b) => b - a)[Math.floor(this.peers.length / 2)];
    if (q > leader.committed && leader.term(q) === m.term) leader.commitTo(q);
  }

  private installSnapshot(to: number): void {
    const snap = this.peers[this.leader].log.snapshot!;
    const f = this.peers[to];
    f.term = this.peers[this.leader].term;
    if (snap.meta.index <= f.log.committed) return;
    if (f.log.matchTerm(snap.meta.index, snap.meta.term)) f.log.commitTo(snap.meta.index);
    else f.log.restore(snap);
  }

  private compact(node: number, keep: number): void {
    const log = this.peers[node].log;
    log.stableTo(log.lastIndex(), log.lastTerm());
    log.appliedTo(log.committed);
    const at = log.applied;
    if (at < log.firstIndex()) return;
    const snap: Snapshot = { meta: { index: at, term: log.term(at)!, conf: { voters: [], learners: [] } }, data: new Uint8Array(0) };
    log.compact(snap, at - keep);
  }

  check(): void {
    const logs = this.peers.map((p) => p.log);
    for (const log of logs) {
      assert.ok(log.committed <= log.lastIndex(), `commit ${log.committed} beyond last ${log.lastIndex()}`);
      for (let i = log.firstIndex(); i <= log.committed; i++) {
        const e = log.entry(i)!;
        const key = `${e.term}/${new TextDecoder().decode(e.data)}`;
        const seen = this.committed.get(i);
        if (seen === undefined) this.committed.set(i, key);
        else assert.equal(key, seen, `committed entry ${i} changed`);
      }
    }
    // Log Matching: same (index, term) in two logs ⇒ identical at and before it.
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) {
        const la = logs[a];
        const lb = logs[b];
        const lo = Math.max(la.firstIndex(), lb.firstIndex());
        let agreeFrom = -1;
        for (let i = Math.min(la.lastIndex(), lb.lastIndex()); i >= lo; i--) {
          if (agreeFrom < 0 && la.term(i) === lb.term(i)) agreeFrom = i;
          if (agreeFrom >= 0) {
            assert.equal(la.term(i), lb.term(i), `logs ${a} and ${b} share (${agreeFrom}) but differ at ${i}`);
            assert.deepEqual(la.entry(i)!.data, lb.entry(i)!.data, `logs ${a} and ${b} differ in data at ${i}`);
          }
        }
      }
    }
  }
}

test('RaftLog keeps the Log Matching Property and never loses committed entries', () => {
  fc.assert(
    fc.property(fc.constantFrom(3, 5), fc.array(stepArb, { minLength: 1, maxLength: 120 }), (n, steps) => {
      const cluster = new LogCluster(n);
      for (const step of steps) {
        cluster.run(step);
        cluster.check();
      }
    }),
    { numRuns: 400, seed: 7 },
  );
});
