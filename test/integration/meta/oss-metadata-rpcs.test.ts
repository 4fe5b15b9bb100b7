// The metadata the OSS dialect needs, over gRPC on three in-process replicas: AppendObject,
// object types, tagging and GetBucketStat sent through a follower (forwarded writes), their
// refusals arriving with codes and details, every replica answering alike, and the bucket
// stats arriving intact on a replica that catches up by streaming a snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { waitFor } from '../cluster/cluster-fixture.ts';
import { inProcessReplicas, REPLICA_IDS as IDS } from '../../unit/meta/in-process-replicas.ts';

const TEST_TIMEOUT_MS = 120_000;
const replicasScheme = { kind: { case: 'replica' as const, value: { copies: 3 } } };
const erasureScheme = { kind: { case: 'erasure' as const, value: { dataShards: 2, parityShards: 1 } } };

test('OSS metadata rpcs over gRPC: append, types, tagging, bucket stats through snapshots', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { replicas, start, clientOf, leader } = await inProcessReplicas('zs-meta-oss-');
  for (const id of IDS) await start(id);
  const leaderId = await leader();
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
  const target = Math.max(...[...replicas.values()].map((r) => r.status().commit));
  await waitFor('the restarted replica to catch up', async () => back.stateMachine.appliedIndex >= target, 30_000, 20);
  assert.ok(lines.some((l) => l.includes('snapshot streamed from peer')), 'caught up by streaming a snapshot');
  assert.ok(!lines.some((l) => l.includes('bucket stats rebuilt')), 'the stats came with the snapshot, not from a rebuild');
  const again = await clientOf([lagging]).call('getBucketStat', { bucket: 'oss' });
  assert.deepEqual(again, leaderStat);
});
