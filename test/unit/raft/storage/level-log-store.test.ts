import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LevelLogStore, entryKey } from '../../../../services/raft/storage/level-log-store.ts';
import { StorageError } from '../../../../services/raft/storage/log-store.ts';
import { EntryType, type Entry, type Snapshot } from '../../../../services/raft/types.ts';

const TEST_TIMEOUT_MS = 60_000;

function entry(index: number, term: number): Entry {
  return { index, term, type: EntryType.Normal, data: new TextEncoder().encode(`e${index}t${term}`) };
}

function range(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

function snapshot(index: number, term: number): Snapshot {
  return { meta: { index, term, conf: { voters: ['a', 'b', 'c'], learners: [] } }, data: Uint8Array.of(index & 0xff) };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-logstore-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Loaded = Awaited<ReturnType<LevelLogStore['load']>>;

/** LevelDB hands back Buffers; compare bytes, not classes. */
function plain(state: Loaded): Loaded {
  const out: Loaded = { hardState: state.hardState, entries: state.entries.map((e) => ({ ...e, data: new Uint8Array(e.data) })) };
  if (state.snapshot) out.snapshot = { ...state.snapshot, data: new Uint8Array(state.snapshot.data) };
  return out;
}

async function reopen(dir: string): Promise<{ store: LevelLogStore; state: Loaded }> {
  const store = await LevelLogStore.open(dir);
  const state = plain(await store.load());
  return { store, state };
}

test('entry keys sort numerically', () => {
  const idx = [1, 2, 255, 256, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
  const keys = idx.map((i) => Buffer.from(entryKey(i)));
  const sorted = [...keys].sort(Buffer.compare);
  assert.deepEqual(sorted, keys);
});

test('a fresh store is empty, and a restart recovers hard state and entries', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDir(async (dir) => {
    let { store, state } = await reopen(dir);
    assert.deepEqual(state, { hardState: { term: 0, vote: '', commit: 0 }, entries: [] });
    await store.save({ hardState: { term: 2, vote: 'b', commit: 3 }, entries: range(1, 5, 2) });
    await store.close();
    ({ store, state } = await reopen(dir));
    assert.deepEqual(state.hardState, { term: 2, vote: 'b', commit: 3 });
    assert.deepEqual(state.entries, range(1, 5, 2));
    assert.equal(state.snapshot, undefined);
    await store.close();
  });
});

test('entries at or below the last index replace the conflicting suffix', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDir(async (dir) => {
    let { store } = await reopen(dir);
    await store.save({ entries: range(1, 10, 1) });
    await store.save({ entries: range(4, 6, 2) });
    assert.deepEqual(store.range(), { first: 1, last: 6 });
    await store.close();
    let state;
    ({ store, state } = await reopen(dir));
    assert.deepEqual(state.entries, [...range(1, 3, 1), ...range(4, 6, 2)]);
    await assert.rejects(store.save({ entries: range(9, 9, 2) }), (e: unknown) => e instanceof StorageError && e.code === 'CorruptLog');
    await store.close();
  });
});

test('compaction keeps the snapshot and drops the entries it covers', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDir(async (dir) => {
    let { store } = await reopen(dir);
    await store.save({ hardState: { term: 3, vote: 'a', commit: 10 }, entries: range(1, 12, 3) });
    await store.compact(snapshot(8, 3));
    await store.close();
    let state;
    ({ store, state } = await reopen(dir));
    assert.deepEqual(state.snapshot, snapshot(8, 3));
    assert.deepEqual(state.entries, range(9, 12, 3));
    // Appending after a compaction continues from the log, not the snapshot.
    await store.save({ entries: range(13, 14, 3) });
    await store.compact(snapshot(12, 3));
    await store.close();
    ({ store, state } = await reopen(dir));
    assert.deepEqual(state.snapshot, snapshot(12, 3));
    assert.deepEqual(state.entries, range(13, 14, 3));
    await store.close();
  });
});

test('a snapshot from the leader replaces the whole log', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDir(async (dir) => {
    let { store } = await reopen(dir);
    await store.save({ entries: range(1, 30, 1) });
    await store.save({ snapshot: snapshot(20, 2), hardState: { term: 2, vote: '', commit: 20 }, entries: [] });
    await store.save({ entries: range(21, 22, 2) });
    await store.close();
    let state;
    ({ store, state } = await reopen(dir));
    assert.deepEqual(state.snapshot, snapshot(20, 2));
    assert.deepEqual(state.entries, range(21, 22, 2));
    assert.deepEqual(state.hardState, { term: 2, vote: '', commit: 20 });
    await store.close();
  });
});

test('property: after any sequence of appends and compactions, a restart sees the model log', { timeout: TEST_TIMEOUT_MS }, async () => {
  type Step = { kind: 'append'; back: number; count: number } | { kind: 'compact'; back: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('append' as const), back: fc.nat(6), count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('compact' as const), back: fc.nat(6) }),
  );
  await withDir(async (root) => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
      const dir = join(root, `run-${run++}`);
      const store = await LevelLogStore.open(dir);
      await store.load();
      let model: Entry[] = [];
      let snap: Snapshot | undefined;
      let term = 1;
      for (const s of steps) {
        const snapIndex = snap?.meta.index ?? 0;
        const last = model.length > 0 ? model[model.length - 1]!.index : snapIndex;
        if (s.kind === 'append') {
          term++;
          const from = Math.max(snapIndex + 1, last + 1 - s.back);
          const added = range(from, from + s.count - 1, term);
          model = [...model.filter((e) => e.index < from), ...added];
          await store.save({ entries: added });
        } else if (last - s.back > snapIndex) {
          const at = last - s.back;
          snap = snapshot(at, model.find((e) => e.index === at)!.term);
          model = model.filter((e) => e.index > at);
          await store.compact(snap);
        }
      }
      await store.close();
      const again = await LevelLogStore.open(dir);
      const state = plain(await again.load());
      await again.close();
      assert.deepEqual(state.entries, model);
      assert.deepEqual(state.snapshot, snap);
    }), { numRuns: 40, seed: 42 });
  });
});
