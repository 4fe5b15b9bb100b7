// A one-zone cluster hosted in this process (startZone): its data node registers itself, and
// when an object is overwritten the meta leader's garbage collector deletes the old version's
// chunk from that data node through the zone's ChunkDeleter.
import { generateRootCredentials } from '../../../services/gateway/credentials/root-credentials.ts';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { crc32c } from '@node-rs/crc32';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freePorts } from '../../../services/common/free-ports.ts';
import { isServiceError } from '../../../services/common/grpc/service-client.ts';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { planZones } from '../../../services/cli/zone/zone-layout.ts';
import { startZone, type RunningZone } from '../../../services/cli/zone/zone-process.ts';
import { waitFor } from './cluster-fixture.ts';

const TEST_TIMEOUT_MS = 30_000;
const WAIT_MS = 10_000;

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('overwriting an object deletes its old chunk from the data node', { timeout: TEST_TIMEOUT_MS }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-zone-gc-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const [metaApi, metaRaft] = await freePorts(2);
  const [spec] = planZones({ root, hosts: ['127.0.0.1'], ports: [{ metaApi: metaApi!, metaRaft: metaRaft!, dataNodes: [0] }] });
  const zone: RunningZone = await startZone({
    ...spec!, rootCredentials: generateRootCredentials(), tickMs: 20, reportIntervalMs: 200, gc: { graceMs: 0, intervalMs: 100 }, log: pino({ level: 'silent' }),
  });
  cleanups.push(() => zone.stop());
  const meta = new MetaClient({ addresses: [zone.info.meta.apiAddress] });
  const node = zone.info.dataNodes[0]!;
  const data = new DataNodeClient(node.address, { timeoutMs: 5_000 });
  cleanups.push(() => meta.close(), () => data.close());

  await waitFor('the data node to register', async () => (await meta.call('getPlacementMap', {})).nodes.some((n) => n.id === node.id), WAIT_MS);
  const chunkId = 'ab'.repeat(16);
  const bytes = new Uint8Array([1, 2, 3]);
  await data.putChunkBytes(chunkId, bytes);
  await meta.call('createBucket', { name: 'gc-bucket', owner: 'alice' });
  await meta.call('putObject', {
    bucket: 'gc-bucket', key: 'k', size: 3n, etag: 'v1',
    manifest: {
      scheme: { kind: { case: 'replica', value: { copies: 1 } } },
      parts: [{ number: 1, size: 3n, stripes: [{ size: 3n, shards: [{ index: 0, node: node.id, zone: spec!.zone, chunkId, crc32c: crc32c(bytes), size: 3n }] }] }],
    },
  });
  await meta.call('putObject', { bucket: 'gc-bucket', key: 'k', size: 0n, etag: 'v2' });

  await waitFor('the old chunk to be deleted', async () => {
    try {
      await data.statChunk(chunkId);
      return false;
    } catch (err) {
      if (isServiceError(err) && err.code === grpc.status.NOT_FOUND) return true;
      throw err;
    }
  }, WAIT_MS, 50);
  await waitFor('the garbage item to be acknowledged', async () => (await meta.call('listGarbage', {})).items.length === 0, WAIT_MS);
  assert.equal(zone.replica.garbageCollector?.stats.chunksDeleted, 1);
});
