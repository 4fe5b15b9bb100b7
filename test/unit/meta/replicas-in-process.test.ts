// Three replicas in this process: writes through a follower are forwarded, reads on every
// replica see them at once, a stopped leader is replaced, and a replica restarted after the
// log was compacted catches up by streaming a snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { waitFor } from '../../integration/cluster/cluster-fixture.ts';
import { inProcessReplicas, REPLICA_IDS as IDS } from './in-process-replicas.ts';

const TEST_TIMEOUT_MS = 120_000;

test('three in-process replicas: forwarding, failover, snapshot catch-up', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { replicas, start, clientOf, leader } = await inProcessReplicas('zs-meta-rep-');
  for (const id of IDS) await start(id);
  const leaderId = await leader();
  const followerId = IDS.find((id) => id !== leaderId)!;
  const viaFollower = clientOf([followerId]);
  await viaFollower.call('createBucket', { name: 'bkt', owner: 'o' });
  await viaFollower.call('putObject', { bucket: 'bkt', key: 'k1', etag: 'e1', size: 0n });
  for (const id of IDS) {
    const c = clientOf([id]);
    const got = await c.call('getObject', { bucket: 'bkt', key: 'k1' });
    assert.equal(got.version?.etag, 'e1', `read on ${id} sees the write`);
  }
  await assert.rejects(viaFollower.call('createBucket', { name: 'bkt', owner: 'o' }), { code: 'BucketAlreadyOwnedByYou' });

  // Stop the leader: writes continue on a new one, acknowledged data is there.
  await replicas.get(leaderId)!.stop();
  replicas.delete(leaderId);
  const all = clientOf(IDS.filter((id) => id !== leaderId));
  for (let i = 0; i < 60; i++) await all.call('putObject', { bucket: 'bkt', key: `after-${i}`, etag: `e${i}`, size: 0n });
  const listed = await all.call('listObjects', { bucket: 'bkt', maxKeys: 1000 });
  assert.equal(listed.objects.length, 61);

  // The old leader restarts behind a compacted log: it installs a snapshot, then serves.
  const lines: string[] = [];
  const back = await start(leaderId, pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } }));
  const snapIndex = Math.max(...[...replicas.values()].map((r) => r.status().snapshotIndex));
  assert.ok(snapIndex > 0, 'the log was compacted');
  await waitFor('the restarted replica to catch up', async () => back.stateMachine.appliedIndex >= snapIndex, 30_000, 20);
  const direct = clientOf([leaderId]);
  const again = await direct.call('listObjects', { bucket: 'bkt', maxKeys: 1000 });
  assert.equal(again.objects.length, 61);
  assert.ok(lines.some((l) => l.includes('snapshot streamed from peer')), 'caught up by streaming a snapshot');
});
