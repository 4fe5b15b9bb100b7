// RaftHost with the real RaftNode and LevelLogStore, three hosts in one process joined by an
// in-memory transport (delivery on a later turn, like a socket).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { RaftHost } from '../../../../services/raft/host/raft-host.ts';
import { isRaftHostError } from '../../../../services/raft/host/raft-host-error.ts';
import type { StateMachine } from '../../../../services/raft/host/state-machine.ts';
import { LevelLogStore } from '../../../../services/raft/storage/level-log-store.ts';
import type { Entry, Message } from '../../../../services/raft/types.ts';

const TEST_TIMEOUT_MS = 60_000;
const WAIT_MS = 15_000;
const IDS = ['a', 'b', 'c'];
const log = pino({ level: 'silent' });
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Appends each entry's text; apply returns the list length (so results are checkable). */
class ListMachine implements StateMachine<number> {
  items: string[] = [];
  apply(e: Entry): number {
    this.items.push(dec.decode(e.data));
    return this.items.length;
  }
  snapshot(): Uint8Array {
    return enc.encode(JSON.stringify(this.items));
  }
  restore(data: Uint8Array): void {
    this.items = JSON.parse(dec.decode(data)) as string[];
  }
}

class Cluster {
  hosts = new Map<string, RaftHost<number>>();
  machines = new Map<string, ListMachine>();
  down = new Set<string>();
  /** Nodes whose messages, in and out, are dropped (a network partition). */
  isolated = new Set<string>();
  constructor(readonly root: string, readonly opts: { snapshotEvery?: number; snapshotKeepEntries?: number } = {}) {}

  async start(id: string): Promise<void> {
    const sm = new ListMachine();
    const store = await LevelLogStore.open(join(this.root, id));
    const host = await RaftHost.open<number>({
      id, voters: IDS, store, stateMachine: sm, log, tickMs: 10,
      snapshotEvery: this.opts.snapshotEvery ?? 0, snapshotKeepEntries: this.opts.snapshotKeepEntries ?? 0,
      transport: { send: (ms) => this.deliver(ms) },
    });
    this.hosts.set(id, host);
    this.machines.set(id, sm);
    this.down.delete(id);
  }

  async stop(id: string): Promise<void> {
    this.down.add(id);
    await this.hosts.get(id)?.stop();
    this.hosts.delete(id);
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.hosts.keys()]) await this.stop(id);
  }

  deliver(ms: Message[]): void {
    setImmediate(() => {
      for (const m of ms) {
        if (this.down.has(m.to) || this.isolated.has(m.to) || this.isolated.has(m.from)) continue;
        this.hosts.get(m.to)?.receive([m]);
      }
    });
  }

  async leader(): Promise<RaftHost<number>> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const leaders = [...this.hosts.values()].filter((h) => h.isLeader);
      if (leaders.length === 1) return leaders[0]!;
      if (Date.now() > deadline) throw new Error('no single leader elected in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function waitFor(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function withCluster(opts: ConstructorParameters<typeof Cluster>[1], fn: (c: Cluster) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'zs-host-'));
  const c = new Cluster(root, opts);
  try {
    for (const id of IDS) await c.start(id);
    await fn(c);
  } finally {
    await c.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
}

test('proposals resolve with their apply result on the leader and replicate; followers redirect', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withCluster({}, async (c) => {
    const leader = await c.leader();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => leader.propose(enc.encode(`v${i}`))));
    assert.deepEqual(results, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.deepEqual(c.machines.get(leader.id)!.items, Array.from({ length: 200 }, (_, i) => `v${i}`));
    await leader.read();
    await waitFor('followers applied', () => [...c.machines.values()].every((m) => m.items.length === 200));
    const follower = [...c.hosts.values()].find((h) => !h.isLeader)!;
    await assert.rejects(follower.propose(enc.encode('x')), (e: unknown) =>
      isRaftHostError(e, 'NotLeader') && e.leader === leader.id);
    // A follower's read goes through the leader and still sees everything acknowledged.
    await follower.read();
    assert.equal(c.machines.get(follower.id)!.items.length, 200);
  });
});

test('a restarted cluster recovers every acknowledged entry from disk (with snapshots)', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withCluster({ snapshotEvery: 25, snapshotKeepEntries: 5 }, async (c) => {
    let leader = await c.leader();
    for (let i = 0; i < 110; i++) await leader.propose(enc.encode(`w${i}`));
    await c.stopAll();
    for (const id of IDS) await c.start(id);
    leader = await c.leader();
    await leader.read();
    assert.deepEqual(c.machines.get(leader.id)!.items, Array.from({ length: 110 }, (_, i) => `w${i}`));
    // Recovered from a snapshot plus the log entries after it.
    const { snapshotIndex } = leader.status();
    assert.ok(snapshotIndex >= 25 && snapshotIndex < 110, `snapshot index ${snapshotIndex}`);
  });
});

test('a follower that missed compacted entries catches up from a snapshot', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withCluster({ snapshotEvery: 20, snapshotKeepEntries: 2 }, async (c) => {
    let leader = await c.leader();
    const lagging = IDS.find((id) => id !== leader.id)!;
    await c.stop(lagging);
    for (let i = 0; i < 60; i++) await leader.propose(enc.encode(`s${i}`));
    await c.start(lagging);
    leader = await c.leader();
    await waitFor('lagging node caught up', () => c.machines.get(lagging)!.items.length === 60);
    assert.deepEqual(c.machines.get(lagging)!.items, Array.from({ length: 60 }, (_, i) => `s${i}`));
  });
});

test('a proposal whose entry a new leader overwrote is rejected as dropped', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withCluster({}, async (c) => {
    const old = await c.leader();
    await old.propose(enc.encode('committed'));
    c.isolated.add(old.id);
    const orphan = old.propose(enc.encode('orphan'));
    orphan.catch(() => {});
    // The majority side elects a leader and commits past the orphan's index.
    const others = [...c.hosts.values()].filter((h) => h !== old);
    await waitFor('new leader on the majority side', () => others.some((h) => h.isLeader));
    const fresh = others.find((h) => h.isLeader)!;
    for (let i = 0; i < 5; i++) await fresh.propose(enc.encode(`new${i}`));
    c.isolated.delete(old.id);
    await assert.rejects(orphan, (e: unknown) => isRaftHostError(e, 'ProposalDropped'));
    await waitFor('old leader converged', () => c.machines.get(old.id)!.items.length === 6);
    assert.deepEqual(c.machines.get(old.id)!.items, ['committed', 'new0', 'new1', 'new2', 'new3', 'new4']);
  });
});
