// The metadata the OSS dialect needs, over gRPC on three in-process replicas: AppendObject,
// object types, tagging and GetBucketStat sent through a follower (forwarded writes), their
// refusals arriving with codes and details, every replica answering alike, and the bucket
// stats arriving intact on a replica that catches up by streaming a snapshot.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMetaReplica, type MetaPeer, type MetaReplica } from '../../../services/meta/replica/meta-replica.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { freePorts } from '../../../services/common/free-ports.ts';
import { silentLog } from '../../unit/meta/meta-harness.ts';
import pino from 'pino';

const IDS = ['m1', 'm2', 'm3'];
const TEST_TIMEOUT_MS = 120_000;
const replicasScheme = { kind: { case: 'replica' as const, value: { copies: 3 } } };
const erasureScheme = { kind: { case: 'erasure' as const, value: { dataShards: 2, parityShards: 1 } } };

const cleanups: Array<() => Promise<unknown> | unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
});

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('OSS metadata rpcs over gRPC: append, types, tagging, bucket stats through snapshots', { timeout: TEST_TIMEOUT_MS }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-meta-oss-'));
  const ports = await freePorts(6);
  const peers: Record<string, MetaPeer> = {};
  IDS.forEach((id, i) => { peers[id] = { raftAddress: `127.0.0.1:${ports[2 * i]}`, apiAddress: `127.0.0.1:${ports[2 * i + 1]}` }; });
  const start = (id: string, log = silentLog) => startMetaReplica({
    id, dataDir: join(root, id), raftAddress: peers[id]!.raftAddress, apiAddress: peers[id]!.apiAddress, peers,
    tickMs: 50, snapshotEvery: 20, snapshotKeepEntries: 5, log,
  });
  const replicas = new Map<string, MetaReplica>();
  const clients: MetaClient[] = [];
  const clientOf = (ids: string[]) => {
    const c = new MetaClient({ addresses: ids.map((id) => peers[id]!.apiAddress) });
    clients.push(c);
    return c;
  };
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(async () => {
    for (const c of clients) c.close();
    for (const r of replicas.values()) await r.stop();
  });

  for (const id of IDS) replicas.set(id, await start(id));
  const leaderId = await waitFor('a leader', () => [...replicas.values()].find((r) => r.host.isLeader)?.id);
  const followerId = IDS.find((id) => id !== leaderId)!;
  const lagging = IDS.find((id) => id !== leaderId && id !== followerId)!;
  const viaFollower = clientOf([followerId]);
  await viaFollower.call('createBucket', { name: 'oss', owner: 'o' });

  // AppendObject, forwarded to the leader.
  const part = (size: bigint, chunk: string) => ({
    size, etag: `md5-${chunk}`, stripes: [{ size, shards: [{ index: 0, node: 'n1', zone: 'z1', chunkId: chunk, crc32c: 1, size }] }],
  });
  const first = await viaFollower.call('appendObject', {
    bucket: 'oss', key: 'log', position: 0n, part: part(6n, 'c1'), scheme: replicasScheme, blockSize: 1024n,
    etag: 'w1', checksums: { crc64ecma: '11' }, attributes: { contentType: 'text/plain' },
  });
  assert.deepEqual([first.version?.objectType, first.version?.size, first.version?.versionId], ['Appendable', 6n, 'null']);
  const second = await viaFollower.call('appendObject', {
    bucket: 'oss', key: 'log', position: 6n, part: part(4n, 'c2'), scheme: erasureScheme, blockSize: 64n, etag: 'w2', checksums: { crc64ecma: '22' },
  });
  assert.equal(second.version?.size, 10n);
  await assert.rejects(viaFollower.call('appendObject', { bucket: 'oss', key: 'log', position: 3n, part: part(1n, 'c3'), etag: 'x' }),
    (e: any) => e.code === 'PositionNotEqualToLength' && e.details.nextAppendPosition === '10' && e.details.currentSize === '10');

  // Object types: a symlink is written by PutObject and is not appendable.
  await viaFollower.call('putObject', { bucket: 'oss', key: 'link', size: 0n, etag: 'd41d8cd98f00b204e9800998ecf8427e', objectType: 'Symlink' });
  await assert.rejects(viaFollower.call('appendObject', { bucket: 'oss', key: 'link', position: 0n, part: part(1n, 'c4'), etag: 'x' }),
    { code: 'ObjectNotAppendable' });

  // Tagging, forwarded; InvalidTag over gRPC.
  await viaFollower.call('putObjectTagging', { bucket: 'oss', key: 'log', tags: { team: 'a', env: 'prod' } });
  await viaFollower.call('putObjectTagging', { bucket: 'oss', key: 'link', tags: { gone: 'soon' } });
  await viaFollower.call('deleteObjectTagging', { bucket: 'oss', key: 'link' });
  await assert.rejects(viaFollower.call('putObjectTagging', { bucket: 'oss', key: 'log', tags: { ['k'.repeat(129)]: 'v' } }), { code: 'InvalidTag' });
  await assert.rejects(viaFollower.call('putObjectTagging', { bucket: 'oss', key: 'nope', tags: {} }), { code: 'NoSuchKey' });
  await viaFollower.call('createMultipartUpload', { bucket: 'oss', key: 'mpu' });

  const wantStat = { objectCount: 2n, storageBytes: 10n, noncurrentObjectCount: 0n, multipartUploadCount: 1n };
  for (const id of IDS) {
    const c = clientOf([id]);
    const got = (await c.call('getObject', { bucket: 'oss', key: 'log' })).version!;
    assert.deepEqual([got.size, got.etag, got.checksums, got.attributes?.tags, got.attributes?.contentType], [10n, 'w2', { crc64ecma: '22' }, { team: 'a', env: 'prod' }, 'text/plain'], id);
    assert.deepEqual(got.manifest?.parts.map((p) => [p.number, p.scheme?.kind.case, p.blockSize]), [[1, undefined, 0n], [2, 'erasure', 64n]], id);
    assert.deepEqual((await c.call('getObject', { bucket: 'oss', key: 'link' })).version?.attributes?.tags, {}, id);
    const listed = await c.call('listObjects', { bucket: 'oss' });
    assert.deepEqual(listed.objects.map((o) => [o.key, o.objectType]), [['link', 'Symlink'], ['log', 'Appendable']], id);
    const stat = await c.call('getBucketStat', { bucket: 'oss' });
    assert.deepEqual({ objectCount: stat.objectCount, storageBytes: stat.storageBytes, noncurrentObjectCount: stat.noncurrentObjectCount, multipartUploadCount: stat.multipartUploadCount }, wantStat, id);
    assert.ok(stat.lastModifiedMs > 0n, id);
  }
  await assert.rejects(viaFollower.call('getBucketStat', { bucket: 'absent' }), { code: 'NoSuchBucket' });

  // A replica that misses enough to need a snapshot gets the stats with it.
  await replicas.get(lagging)!.stop();
  replicas.delete(lagging);
  const survivors = clientOf(IDS.filter((id) => id !== lagging));
  let position = 10n;
  for (let i = 0; i < 30; i++) {
    await survivors.call('appendObject', { bucket: 'oss', key: 'log', position, part: part(1n, `more-${i}`), etag: `w-${i}` });
    position++;
  }
  await survivors.call('putObject', { bucket: 'oss', key: 'plain', size: 7n, etag: 'p' });
  const leaderStat = await survivors.call('getBucketStat', { bucket: 'oss' });
  assert.deepEqual([leaderStat.objectCount, leaderStat.storageBytes], [3n, 47n]);
  const lines: string[] = [];
  const back = await start(lagging, pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } }));
  replicas.set(lagging, back);
  const target = Math.max(...[...replicas.values()].map((r) => r.status().commit));
  await waitFor('the restarted replica to catch up', () => back.stateMachine.appliedIndex >= target);
  assert.ok(lines.some((l) => l.includes('snapshot streamed from peer')), 'caught up by streaming a snapshot');
  assert.ok(!lines.some((l) => l.includes('bucket stats rebuilt')), 'the stats came with the snapshot, not from a rebuild');
  const again = await clientOf([lagging]).call('getBucketStat', { bucket: 'oss' });
  assert.deepEqual(again, leaderStat);
});
