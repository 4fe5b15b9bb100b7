// Three metadata replicas as real processes on the three zone addresses:
// - a write acknowledged through any replica is read (and listed) at once through every other;
// - SIGKILL the leader's zone: writes resume on a new leader within seconds and every write
//   acknowledged before (or during) the kill is there;
// - restart it after the survivors compacted their logs: it catches up by streaming a snapshot.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetaProcessCluster, waitFor } from './meta-process-cluster.ts';
import { isMetaError } from '../../../services/meta/meta-error.ts';
import type { MetaClient } from '../../../services/meta/client/meta-client.ts';

const SUITE_TIMEOUT_MS = 180_000;
/** Writes must flow again this soon after the leader dies (election timeout is 0.5–1 s here). */
const FAILOVER_LIMIT_MS = 15_000;
const CATCH_UP_LIMIT_MS = 30_000;
/** Log entries kept behind a snapshot (small, so a dead replica soon needs a snapshot). */
const SNAPSHOT_KEEP = 5;

async function listAll(client: MetaClient, bucket: string, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let token = '';
  do {
    const page = await client.call('listObjects', { bucket, prefix, continuationToken: token });
    for (const o of page.objects) keys.add(o.key);
    token = page.isTruncated ? page.nextContinuationToken : '';
  } while (token !== '');
  return keys;
}

let started: MetaProcessCluster | undefined;
// Runs even when the test times out: no child outlives the suite.
after(() => started?.stop());

test('meta cluster: read-after-write anywhere, leader loss, snapshot catch-up', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  const cluster = await MetaProcessCluster.start({ tickMs: 50, snapshotEvery: 40, snapshotKeep: SNAPSHOT_KEEP });
  started = cluster;
  try {
    const ids = cluster.members.map((m) => m.id);
    const perReplica = Object.fromEntries(ids.map((id) => [id, cluster.client([id])]));
    await cluster.leader();
    await perReplica[ids[0]!]!.call('createBucket', { name: 'lin', owner: 'alice' });

    await t.test('a write through any replica is visible at once through every replica', async () => {
      let n = 0;
      for (const writer of ids) {
        for (const reader of ids) {
          const key = `w${writer}-r${reader}-${n++}`;
          await perReplica[writer]!.call('putObject', { bucket: 'lin', key, etag: `etag-${n}`, size: 0n });
          const got = await perReplica[reader]!.call('getObject', { bucket: 'lin', key });
          assert.equal(got.version?.etag, `etag-${n}`, `${writer} → ${reader}`);
          const listed = await perReplica[reader]!.call('listObjects', { bucket: 'lin', prefix: key });
          assert.deepEqual(listed.objects.map((o) => o.key), [key]);
        }
      }
    });

    const acked: string[] = [];
    let killed = '';
    let newLeader = '';

    await t.test('killing the leader loses no acknowledged write and writes resume', async (st) => {
      const writer = cluster.client(ids, 30_000);
      let writing = true;
      let unknown = 0;
      const loop = (async () => {
        for (let i = 0; writing; i++) {
          const key = `k-${String(i).padStart(5, '0')}`;
          try {
            await writer.call('putObject', { bucket: 'lin', key, etag: 'x', size: 0n });
            acked.push(key);
          } catch (err) {
            // An unknown outcome is allowed while the leader dies; a refusal is not.
            if (!isMetaError(err, 'OutcomeUnknown')) throw err;
            unknown++;
          }
        }
      })();
      await waitFor('some writes', () => acked.length >= 30, 20_000);
      killed = await cluster.leader();
      const before = acked.length;
      await cluster.kill(killed);
      const killedAt = Date.now();
      await waitFor('writes to resume', () => acked.length >= before + 30, FAILOVER_LIMIT_MS);
      st.diagnostic(`writes resumed ${Date.now() - killedAt} ms after the leader was killed; ${unknown} unknown outcomes`);
      writing = false;
      await loop;
      newLeader = await cluster.leader();
      assert.notEqual(newLeader, killed);
      const listed = await listAll(cluster.client(ids.filter((id) => id !== killed)), 'lin', 'k-');
      assert.deepEqual(acked.filter((k) => !listed.has(k)), [], 'every acknowledged write survives');
    });

    await t.test('the killed replica restarts and catches up by snapshot', async () => {
      assert.ok(killed !== '' && newLeader !== '', 'the failover step ran');
      // Write on until the survivors' logs no longer hold anything the dead replica lacks:
      // everything it may have applied is at most the commit index seen now.
      const survivors = cluster.client(ids.filter((id) => id !== killed));
      const lastKnownToDead = Number((await cluster.status(newLeader)).commit);
      let i = 0;
      await waitFor('the survivors to compact past the dead replica', async () => {
        for (let j = 0; j < 10; j++, i++) {
          const key = `k-more-${String(i).padStart(5, '0')}`;
          await survivors.call('putObject', { bucket: 'lin', key, etag: 'y', size: 0n });
          acked.push(key);
        }
        return Number((await cluster.status(newLeader)).snapshotIndex) - SNAPSHOT_KEEP > lastKnownToDead;
      }, CATCH_UP_LIMIT_MS);
      await cluster.restart(killed);
      const target = Number((await cluster.status(newLeader)).commit);
      await waitFor('the restarted replica to catch up', async () => Number((await cluster.status(killed)).applied) >= target, CATCH_UP_LIMIT_MS);
      const back = cluster.member(killed);
      assert.ok(back.log.some((l) => l.includes('snapshot streamed from peer')), `caught up via snapshot:\n${back.log.slice(-10).join('\n')}`);
      const listed = await listAll(cluster.client([killed]), 'lin', 'k-');
      assert.deepEqual(acked.filter((k) => !listed.has(k)), [], 'the restarted replica holds every acknowledged write');
    });
  } catch (err) {
    t.diagnostic(cluster.logs());
    throw err;
  } finally {
    await cluster.stop();
  }
});
