// The in-process chunk client a gateway uses for its own zone's data nodes must behave like the
// gRPC client where the data path looks: puts checked against length and CRC32C, and reads
// through the gateway's shard reader — whole and ranged — return the exact bytes (the reader
// expects the chunk's info to be known once a frame has arrived).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { ChunkStore } from '../../../services/data/chunk-store.ts';
import { LocalChunkClient } from '../../../services/data/local-chunk-client.ts';
import { createShardReader } from '../../../services/gateway/objects/shard-reader.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function client(): Promise<LocalChunkClient> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-local-chunk-'));
  dirs.push(dir);
  return new LocalChunkClient(await ChunkStore.open({ dir }));
}

test('put then read through the shard reader, whole and by range', async () => {
  const local = await client();
  const bytes = randomBytes(300_000);
  const chunkId = 'ab'.repeat(16);
  const put = await local.putChunk({ chunkId, length: bytes.length, crc32c: crc32c(bytes) }, [bytes.subarray(0, 1000), bytes.subarray(1000)]);
  assert.equal(put.alreadyExisted, false);
  const again = await local.putChunk({ chunkId, length: bytes.length, crc32c: crc32c(bytes) }, [bytes]);
  assert.equal(again.alreadyExisted, true);
  const reader = createShardReader({ clientOf: () => local, nodeFailed: () => assert.fail('a local node never looks unreachable') });
  const source = { index: 0, node: 'n', zone: 'z', chunkId, crc32c: crc32c(bytes) };
  const signal = new AbortController().signal;
  assert.ok(Buffer.from(await reader.read(source, 0, bytes.length, bytes.length, signal)).equals(bytes), 'whole shard');
  assert.ok(Buffer.from(await reader.read(source, 70_000, 100_000, bytes.length, signal)).equals(bytes.subarray(70_000, 170_000)), 'a range');
  await assert.rejects(reader.read({ ...source, chunkId: 'cd'.repeat(16) }, 0, 10, 10, signal));
});

test('a put whose bytes do not match its declared CRC32C is refused and leaves nothing', async () => {
  const local = await client();
  const bytes = randomBytes(5_000);
  const chunkId = 'ef'.repeat(16);
  await assert.rejects(local.putChunk({ chunkId, length: bytes.length, crc32c: (crc32c(bytes) + 1) >>> 0 }, [bytes]));
  const reader = createShardReader({ clientOf: () => local, nodeFailed: () => {} });
  await assert.rejects(reader.read({ index: 0, node: 'n', zone: 'z', chunkId, crc32c: crc32c(bytes) }, 0, 10, bytes.length, new AbortController().signal));
});

test('statChunk (with verify) and a replaceDamaged put behave as over gRPC', async () => {
  const local = await client();
  const bytes = randomBytes(200_000);
  const chunkId = '12'.repeat(16);
  const spec = { chunkId, length: bytes.length, crc32c: crc32c(bytes) };
  await local.putChunk(spec, [bytes]);
  assert.equal((await local.statChunk(chunkId, true)).crc32c, crc32c(bytes));
  const { unlinkSync } = await import('node:fs');
  unlinkSync((local as unknown as { store: ChunkStore }).store.pathOf(chunkId));
  assert.equal(Number((await local.statChunk(chunkId)).length), bytes.length, 'a plain stat reads the index only');
  await assert.rejects(local.statChunk(chunkId, true), /missing/);
  const replaced = await local.putChunk({ ...spec, replaceDamaged: true }, [bytes]);
  assert.equal(replaced.replacedDamaged, true);
  assert.equal((await local.statChunk(chunkId, true)).crc32c, crc32c(bytes));
});
