// The ChunkDeleter the zone process gives meta's garbage collector, against a real in-process
// data node: chunks are deleted, already-gone or malformed ids count as deleted, and chunks on
// nodes that are unknown, DOWN or unreachable come back as failed (retried later).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { pino } from 'pino';
import {
  ChunkRefSchema, DataNodeSchema, DataNodeState, type ChunkRef, type DataNode as DataNodeRecord,
} from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isServiceError } from '../../../services/common/grpc/service-client.ts';
import { freePorts } from '../../../services/common/free-ports.ts';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { DataNode } from '../../../services/data/data-node.ts';
import { DataNodeChunkDeleter } from '../../../services/cli/zone/data-node-chunk-deleter.ts';
import { PlacementMapDirectory } from '../../../services/cli/zone/data-node-directory.ts';
import { chunkId, patternBytes, tempDir } from '../data/store-fixture.ts';

const TIMEOUT = { timeout: 30_000 };

let node: DataNode;
let client: DataNodeClient;
let removeDir: () => void;
let closedPort: number;

before(async () => {
  const t = tempDir('zs-deleter-');
  removeDir = t.remove;
  node = await DataNode.start({ id: 'zone-1-data-1', zone: 'zone-1', dir: t.dir, listen: '127.0.0.1:0', log: pino({ level: 'silent' }) });
  client = new DataNodeClient(node.address, { timeoutMs: 10_000 });
  [closedPort] = await freePorts(1);
});

after(async () => {
  client?.close();
  await node?.stop();
  removeDir?.();
});

const ref = (nodeId: string, id: string): ChunkRef => create(ChunkRefSchema, { node: nodeId, chunkId: id });
const entry = (id: string, address: string, state = DataNodeState.UP): DataNodeRecord =>
  create(DataNodeSchema, { id, zone: 'zone-1', address, state });

async function exists(id: string): Promise<boolean> {
  try {
    await client.statChunk(id);
    return true;
  } catch (err) {
    if (isServiceError(err) && err.code === grpc.status.NOT_FOUND) return false;
    throw err;
  }
}

test('deletes chunks; missing or malformed ids count as deleted; unknown, DOWN and unreachable nodes fail', TIMEOUT, async () => {
  const stored = [chunkId(1), chunkId(2), chunkId(3)];
  for (const [i, id] of stored.entries()) await client.putChunkBytes(id, patternBytes(1000 + i, i));
  let mapReads = 0;
  const directory = new PlacementMapDirectory(async () => {
    mapReads++;
    return [
      entry('zone-1-data-1', node.address),
      entry('zone-2-data-1', `127.0.0.1:${closedPort}`),
      entry('zone-3-data-1', node.address, DataNodeState.DOWN),
    ];
  });
  const deleter = new DataNodeChunkDeleter({ directory, callTimeoutMs: 2_000 });
  try {
    const onDown = ref('zone-3-data-1', chunkId(9));
    const unreachable = ref('zone-2-data-1', chunkId(8));
    const unknown = ref('zone-9-data-1', chunkId(7));
    const { failed } = await deleter.deleteChunks([
      ...stored.map((id) => ref('zone-1-data-1', id)),
      ref('zone-1-data-1', chunkId(4)), // never stored
      ref('zone-1-data-1', 'NOT-A-CHUNK-ID'),
      onDown, unreachable, unknown,
    ]);
    assert.deepEqual(new Set(failed.map((f) => `${f.node}/${f.chunkId}`)), new Set([onDown, unreachable, unknown].map((f) => `${f.node}/${f.chunkId}`)));
    for (const id of stored) assert.equal(await exists(id), false, `${id} still stored`);
    assert.ok(mapReads >= 1);

    // Repeating the work (a new leader's collector does) is harmless.
    const again = await deleter.deleteChunks(stored.map((id) => ref('zone-1-data-1', id)));
    assert.deepEqual(again.failed, []);
  } finally {
    deleter.close();
  }
});

test('the directory reads the map once per cache period, and again for an id it does not know', TIMEOUT, async () => {
  let now = 0;
  let reads = 0;
  const directory = new PlacementMapDirectory(async () => {
    reads++;
    return reads === 1 ? [entry('a', 'h:1')] : [entry('a', 'h:2'), entry('b', 'h:3')];
  }, 1_000, () => now);
  assert.equal((await directory.lookup('a'))?.address, 'h:1');
  assert.equal((await directory.lookup('a'))?.address, 'h:1');
  assert.equal(reads, 1);
  assert.equal((await directory.lookup('b'))?.address, 'h:3');
  assert.equal(reads, 2);
  now = 1_001;
  await Promise.all([directory.lookup('a'), directory.lookup('b')]);
  assert.equal(reads, 3, 'concurrent lookups share one read');
});
