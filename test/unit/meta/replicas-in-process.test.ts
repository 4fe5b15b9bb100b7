// Three replicas in this process: writes through a follower are forwarded, reads on every
// replica see them at once, a stopped leader is replaced, and a replica restarted after the
// log was compacted catches up by streaming a snapshot.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMetaReplica, type MetaPeer, type MetaReplica } from '../../../services/meta/replica/meta-replica.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import pino from 'pino';
import { silentLog } from './meta-harness.ts';
import { freePorts } from '../../../services/common/free-ports.ts';

const IDS = ['m1', 'm2', 'm3'];
// Runs even when a test times out, so no replica keeps this process (and the suite) alive.
const cleanups: Array<() => Promise<unknown> | unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
});
const TEST_TIMEOUT_MS = 120_000;

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('three in-process replicas: forwarding, failover, snapshot catch-up', { timeout: TEST_TIMEOUT_MS }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-meta-rep-'));
  const ports = await freePorts(6);
  const peers: Record<string, MetaPeer> = {};
  IDS.forEach((id, i) => { peers[id] = { raftAddress: `127.0.0.1:${ports[2 * i]}`, apiAddress: `127.0.0.1:${ports[2 * i + 1]}` }; });
  const start = (id: string, log = silentLog) => startMetaReplica({
    id, dataDir: join(root, id), raftAddress: peers[id]!.raftAddress, apiAddress: peers[id]!.apiAddress, peers,
    tickMs: 50, snapshotEvery: 20, snapshotKeepEntries: 5, log,
  });
  const replicas = new Map<string, MetaReplica>();
  const clients: MetaClient[] = [];
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(async () => {
    for (const c of clients) c.close();
    for (const r of replicas.values()) await r.stop();
  });
  try {
    for (const id of IDS) replicas.set(id, await start(id));
    const leaderId = await waitFor('a leader', () => [...replicas.values()].find((r) => r.host.isLeader)?.id);
    const followerId = IDS.find((id) => id !== leaderId)!;
    const viaFollower = new MetaClient({ addresses: [peers[followerId]!.apiAddress] });
    clients.push(viaFollower);
    await viaFollower.call('createBucket', { name: 'bkt', owner: 'o' });
    await viaFollower.call('putObject', { bucket: 'bkt', key: 'k1', etag: 'e1', size: 0n });
    for (const id of IDS) {
      const c = new MetaClient({ addresses: [peers[id]!.apiAddress] });
      clients.push(c);
      const got = await c.call('getObject', { bucket: 'bkt', key: 'k1' });
      assert.equal(got.version?.etag, 'e1', `read on ${id} sees the write`);
    }
    await assert.rejects(viaFollower.call('createBucket', { name: 'bkt', owner: 'o' }), { code: 'BucketAlreadyOwnedByYou' });

    // Stop the leader: writes continue on a new one, acknowledged data is there.
    await replicas.get(leaderId)!.stop();
    replicas.delete(leaderId);
    const all = new MetaClient({ addresses: IDS.filter((id) => id !== leaderId).map((id) => peers[id]!.apiAddress) });
    clients.push(all);
    for (let i = 0; i < 60; i++) await all.call('putObject', { bucket: 'bkt', key: `after-${i}`, etag: `e${i}`, size: 0n });
    const listed = await all.call('listObjects', { bucket: 'bkt', maxKeys: 1000 });
    assert.equal(listed.objects.length, 61);

    // The old leader restarts behind a compacted log: it installs a snapshot, then serves.
    const lines: string[] = [];
    const back = await start(leaderId, pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } }));
    replicas.set(leaderId, back);
    const snapIndex = Math.max(...[...replicas.values()].map((r) => r.status().snapshotIndex));
    assert.ok(snapIndex > 0, 'the log was compacted');
    await waitFor('the restarted replica to catch up', () => back.stateMachine.appliedIndex >= snapIndex);
    const direct = new MetaClient({ addresses: [peers[leaderId]!.apiAddress] });
    clients.push(direct);
    const again = await direct.call('listObjects', { bucket: 'bkt', maxKeys: 1000 });
    assert.equal(again.objects.length, 61);
    assert.ok(lines.some((l) => l.includes('snapshot streamed from peer')), 'caught up by streaming a snapshot');
  } finally {
    for (const c of clients) c.close();
    for (const r of replicas.values()) await r.stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
});
