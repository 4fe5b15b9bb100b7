// Determinism (two replicas applying the same log hold byte-identical state), restart from the
// persisted applied index, and the change feed written with each command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { CommandSchema, type Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import { ChangeKind, ChangeSetSchema } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { EntryType, type Entry } from '../../../services/raft/types.ts';
import { key } from '../../../services/meta/state/meta-keys.ts';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { op } from './records-fixture.ts';

async function dump(h: MetaHarness): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of h.store.iterator({})) out.push(`${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`);
  return out;
}

function entries(ops: Array<Command['op']>): Entry[] {
  return ops.map((o, i) => ({
    index: i + 1, term: 1, type: EntryType.Normal,
    data: toBinary(CommandSchema, create(CommandSchema, { timeMs: BigInt(1000 + i), nonce: (0xabc00 + i).toString(16).padStart(16, '0'), minPartSize: 5n, op: o })),
  }));
}

const LOG = entries([
  op.createBucket('alpha'), op.createBucket('beta', 'bob', 1), op.put('alpha', 'x', 'e1', ['c1']), op.put('alpha', 'x', 'e2', ['c2']),
  op.put('beta', 'y', 'e3', ['c3']), op.del('beta', 'y'), op.put('alpha', 'z', 'e4', [], { ifNoneMatch: '*' }),
  op.put('alpha', 'z', 'e5', ['r1'], { ifNoneMatch: '*' }), op.deleteBucket('alpha'), op.del('alpha', 'x'), op.del('alpha', 'z'), op.deleteBucket('alpha'),
  op.createBucket('gamma'), op.append('gamma', 'l', 0n, { chunks: ['g1'] }), op.append('gamma', 'l', 10n, { chunks: ['g2'] }),
  op.append('gamma', 'l', 5n, { chunks: ['g3'] }), op.tag('gamma', 'l', { a: 'b' }), op.tag('beta', 'y', {}),
]);

test('two replicas applying the same log hold identical state and give identical outcomes', async () => {
  const a = await openHarness();
  const b = await openHarness();
  try {
    for (const e of LOG) {
      const [ra, rb] = [await a.sm.apply(e), await b.sm.apply(e)];
      assert.deepEqual(ra.ok ? ra.value : ra.error.code, rb.ok ? rb.value : rb.error.code);
    }
    assert.deepEqual(await dump(a), await dump(b));
    assert.equal(a.store.appliedIndex, LOG.length);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a restart resumes from the persisted applied index and skips entries already applied', async () => {
  const h = await openHarness();
  try {
    for (const e of LOG.slice(0, 6)) await h.sm.apply(e);
    await h.reopen();
    assert.equal(h.sm.durableAppliedIndex(), 6);
    const before = await dump(h);
    const again = await h.sm.apply(LOG[3]!);
    assert.equal(again.ok ? '' : again.error.code, 'OutcomeUnknown');
    assert.deepEqual(await dump(h), before, 'a replayed entry changes nothing');
    for (const e of LOG.slice(6)) await h.sm.apply(e);
    assert.equal(h.store.appliedIndex, LOG.length);
  } finally {
    await h.close();
  }
});

test('each command writes its changes under its index', async () => {
  const h = await openHarness();
  try {
    for (const e of LOG.slice(0, 6)) await h.sm.apply(e);
    const feed = async (i: number) => {
      const raw = await h.store.getRaw(key.feed(i));
      return raw ? fromBinary(ChangeSetSchema, raw).changes.map((c) => [c.kind, c.bucket, c.key]) : [];
    };
    assert.deepEqual(await feed(1), [[ChangeKind.BUCKET_CREATED, 'alpha', '']]);
    // The overwrite of a null version: the old one is gone, the new one created.
    assert.deepEqual(await feed(4), [[ChangeKind.OBJECT_VERSION_DELETED, 'alpha', 'x'], [ChangeKind.OBJECT_CREATED, 'alpha', 'x']]);
    assert.deepEqual(await feed(6), [[ChangeKind.DELETE_MARKER_CREATED, 'beta', 'y']]);
  } finally {
    await h.close();
  }
});

test('an interrupted snapshot install leaves the store marked for a new install after restart', async () => {
  const h = await openHarness();
  try {
    for (const e of LOG.slice(0, 4)) await h.sm.apply(e);
    await h.store.beginInstall();
    await h.store.installBatch([{ key: key.bucket('partial'), value: new Uint8Array() }]);
    await h.reopen();
    assert.equal(h.store.needsSnapshot, true);
    assert.equal(h.sm.durableAppliedIndex(), 0, 'a half-installed state claims nothing');
    await h.store.beginInstall();
    await h.store.finishInstall(42);
    await h.reopen();
    assert.deepEqual([h.store.needsSnapshot, h.sm.durableAppliedIndex()], [false, 42]);
  } finally {
    await h.close();
  }
});
