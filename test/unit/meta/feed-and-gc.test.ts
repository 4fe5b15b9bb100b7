// The change feed through Watch (from the start, resumed from an index, live), and garbage
// collection end to end on a one-replica cluster: chunks of overwritten versions reach the
// ChunkDeleter only after their command committed, and acknowledged items leave the queue.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMetaReplica } from '../../../services/meta/replica/meta-replica.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { ChangeKind, type Change, type ChunkRef } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import type { ChunkDeleter } from '../../../services/meta/gc/chunk-deleter.ts';
import { silentLog } from './meta-harness.ts';
import { freePorts } from '../../../services/common/free-ports.ts';
import { manifestOf } from './records-fixture.ts';

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Runs even when a test times out, so no replica keeps this process (and the suite) alive.
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function oneReplica(deleter: ChunkDeleter) {
  const dir = mkdtempSync(join(tmpdir(), 'zs-meta-one-'));
  const [raft, api] = await freePorts(2);
  const peers = { solo: { raftAddress: `127.0.0.1:${raft}`, apiAddress: `127.0.0.1:${api}` } };
  const replica = await startMetaReplica({
    id: 'solo', dataDir: dir, ...peers.solo, peers, tickMs: 20, log: silentLog,
    chunkDeleter: deleter, gc: { intervalMs: 30, graceMs: 0 },
  });
  const client = new MetaClient({ addresses: [peers.solo.apiAddress] });
  const close = async () => {
    client.close();
    await replica.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(close);
  await waitFor('leadership', () => replica.host.isLeader);
  return { replica, client, close };
}

function collect(client: MetaClient, from: bigint, sink: Change[]) {
  const stream = client.watch(from);
  stream.on('data', (m: { changes: Change[] }) => sink.push(...m.changes));
  stream.on('error', () => {});
  return stream;
}

test('Watch streams committed changes, live and resumed from an index', { timeout: 30_000 }, async () => {
  const c = await oneReplica({ deleteChunks: async () => ({ failed: [] }) });
  try {
    const live: Change[] = [];
    const liveStream = collect(c.client, 0n, live);
    await c.client.call('createBucket', { name: 'feed', owner: 'o' });
    await c.client.call('putObject', { bucket: 'feed', key: 'a', etag: 'e', size: 0n });
    await c.client.call('putObject', { bucket: 'feed', key: 'b', etag: 'e', size: 0n });
    await waitFor('three live changes', () => live.length >= 3);
    assert.deepEqual(live.map((ch) => [ch.kind, ch.key]), [[ChangeKind.BUCKET_CREATED, ''], [ChangeKind.OBJECT_CREATED, 'a'], [ChangeKind.OBJECT_CREATED, 'b']]);
    const resumeAt = live[1]!.index;
    const resumed: Change[] = [];
    const resumedStream = collect(c.client, resumeAt, resumed);
    await waitFor('resumed changes', () => resumed.length >= 2);
    assert.deepEqual(resumed.map((ch) => ch.key), ['a', 'b']);
    assert.ok(resumed.every((ch) => ch.index >= resumeAt));
    liveStream.cancel();
    resumedStream.cancel();
  } finally {
    await c.close();
  }
});

test('garbage collection deletes overwritten chunks after commit and empties the queue', { timeout: 30_000 }, async () => {
  const deleted: ChunkRef[] = [];
  let failNext = true;
  const c = await oneReplica({
    async deleteChunks(chunks) {
      // The first attempt fails (a node is down): the item must stay queued and be retried.
      if (failNext) {
        failNext = false;
        return { failed: chunks };
      }
      deleted.push(...chunks);
      return { failed: [] };
    },
  });
  try {
    await c.client.call('createBucket', { name: 'gcb', owner: 'o' });
    await c.client.call('putObject', { bucket: 'gcb', key: 'k', etag: 'e1', size: 10n, manifest: manifestOf(['old1', 'old2']) });
    assert.equal(deleted.length, 0, 'nothing is collected while referenced');
    await c.client.call('putObject', { bucket: 'gcb', key: 'k', etag: 'e2', size: 10n, manifest: manifestOf(['new1']) });
    await waitFor('old chunks deleted', () => deleted.length === 2);
    assert.deepEqual(deleted.map((d) => d.chunkId).sort(), ['old1', 'old2']);
    await waitFor('queue emptied', async () => (await c.client.call('listGarbage', {})).items.length === 0);
    const got = await c.client.call('getObject', { bucket: 'gcb', key: 'k' });
    assert.equal(got.version?.manifest?.parts[0]?.stripes[0]?.shards[0]?.chunkId, 'new1');
    assert.ok(c.replica.garbageCollector!.stats.itemsAcknowledged >= 1);
  } finally {
    await c.close();
  }
});
