// DataService over real gRPC, node in-process: payload streaming, paging, and that every
// failure arrives as the documented status code.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { crc32c } from '@node-rs/crc32';
import { pino } from 'pino';
import { PutChunkRequestSchema, ScrubFinding_Kind } from '../../../services/common/gen/zonestore/data/v1/data_pb.ts';
import { isServiceError } from '../../../services/common/grpc/service-client.ts';
import { ERROR_CODE_METADATA_KEY } from '../../../services/data/chunk-error-status.ts';
import { CHECKSUM_BLOCK_BYTES } from '../../../services/data/chunk-format.ts';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { DataNode } from '../../../services/data/data-node.ts';
import { chunkId, filesUnder, patternBytes, tempDir } from './store-fixture.ts';
import { closeSync, openSync, writeSync } from 'node:fs';

const TIMEOUT = { timeout: 30_000 };
const IDLE_MS = 300;
const CAPACITY = 8 * 1024 * 1024;

let node: DataNode;
let client: DataNodeClient;
let removeDir: () => void;

before(async () => {
  const t = tempDir();
  removeDir = t.remove;
  node = await DataNode.start({
    id: 'd1', zone: 'z1', dir: t.dir, listen: '127.0.0.1:0', capacityBytes: CAPACITY, freeSpaceReserveBytes: 0,
    scrubRateBytesPerSec: 1e9, log: pino({ level: 'silent' }), streamIdleTimeoutMs: IDLE_MS,
  });
  client = new DataNodeClient(node.address, { timeoutMs: 10_000 });
});

after(async () => {
  client?.close();
  await node?.stop();
  removeDir?.();
});

function status(code: grpc.status, errorCode?: string, detail?: RegExp) {
  return (err: unknown) => {
    assert.ok(isServiceError(err), `not a gRPC error: ${String(err)}`);
    assert.equal(err.code, code, `${grpc.status[err.code]}: ${err.details}`);
    if (errorCode !== undefined) assert.deepEqual(err.metadata.get(ERROR_CODE_METADATA_KEY), [errorCode]);
    if (detail !== undefined) assert.match(err.details, detail);
    return true;
  };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('put, ranged get, stat, list, delete over gRPC', TIMEOUT, async () => {
  const data = patternBytes(3 * 1024 * 1024 + 11, 1);
  const put = await client.putChunkBytes(chunkId(1), data);
  assert.equal(put.alreadyExisted, false);
  assert.equal(put.chunk?.length, BigInt(data.length));
  assert.equal(put.chunk?.crc32c, crc32c(data));
  assert.deepEqual(new Uint8Array(await client.readChunk(chunkId(1))), data);
  const range = await client.readChunk(chunkId(1), { offset: CHECKSUM_BLOCK_BYTES - 5, length: 700_001 });
  assert.deepEqual(new Uint8Array(range), data.subarray(CHECKSUM_BLOCK_BYTES - 5, CHECKSUM_BLOCK_BYTES - 5 + 700_001));

  const download = client.getChunk(chunkId(1), { offset: 10, length: 20 });
  const frames = [];
  for await (const f of download.frames()) frames.push(f);
  assert.deepEqual(frames.map((f) => [f.offset, f.data.length]), [[10, 20]]);
  assert.equal((await download.info()).length, BigInt(data.length));

  assert.equal((await client.putChunkBytes(chunkId(1), data)).alreadyExisted, true);
  const stat = await client.statChunk(chunkId(1), true);
  assert.equal(stat.crc32c, crc32c(data));

  await client.putChunkBytes(chunkId(2), new Uint8Array(0));
  const empty = client.getChunk(chunkId(2));
  for await (const f of empty.frames()) assert.fail(`unexpected frame ${f.offset}`);
  assert.equal((await empty.info()).length, 0n);

  for (let i = 3; i <= 7; i++) await client.putChunkBytes(chunkId(i), patternBytes(100, i));
  const page = await client.rpc.listChunks({ pageSize: 2 });
  assert.equal(page.chunks.length, 2);
  assert.equal(page.nextPageToken, chunkId(2));
  const all = [];
  for await (const c of client.listChunks(2)) all.push(c.chunkId);
  assert.deepEqual(all, [1, 2, 3, 4, 5, 6, 7].map(chunkId));

  for (let i = 1; i <= 7; i++) await client.deleteChunk(chunkId(i));
  await assert.rejects(client.statChunk(chunkId(1)), status(grpc.status.NOT_FOUND, 'ChunkNotFound'));
  const info = await client.nodeInfo();
  assert.deepEqual([info.nodeId, info.zone, info.usedBytes, info.chunkCount, info.capacityBytes], ['d1', 'z1', 0n, 0n, BigInt(CAPACITY)]);
});

test('failures arrive as the documented status codes', TIMEOUT, async () => {
  const data = patternBytes(100_000, 2);
  await assert.rejects(client.readChunk(chunkId(99)), status(grpc.status.NOT_FOUND, 'ChunkNotFound'));
  await assert.rejects(client.deleteChunk(chunkId(99)), status(grpc.status.NOT_FOUND));
  await assert.rejects(client.statChunk('../../etc/passwd'), status(grpc.status.INVALID_ARGUMENT, 'InvalidChunkId'));
  await assert.rejects(client.putChunkBytes('ABCDEF0123456789', data), status(grpc.status.INVALID_ARGUMENT, 'InvalidChunkId'));
  await assert.rejects(
    client.putChunk({ chunkId: chunkId(10), length: data.length, crc32c: (crc32c(data) ^ 1) >>> 0 }, [data]),
    status(grpc.status.INVALID_ARGUMENT, 'ChecksumMismatch', /nothing stored/),
  );
  await assert.rejects(
    client.putChunk({ chunkId: chunkId(10), length: data.length + 1, crc32c: crc32c(data) }, [data]),
    status(grpc.status.INVALID_ARGUMENT, 'InvalidRequest'),
  );
  await assert.rejects(client.statChunk(chunkId(10)), status(grpc.status.NOT_FOUND));

  await client.putChunkBytes(chunkId(11), data);
  await assert.rejects(client.putChunkBytes(chunkId(11), data.subarray(1)), status(grpc.status.ALREADY_EXISTS, 'ChunkExists'));
  await assert.rejects(client.readChunk(chunkId(11), { offset: data.length + 1 }), status(grpc.status.OUT_OF_RANGE));
  await assert.rejects(client.readChunk(chunkId(11), { offset: 10, length: data.length }), status(grpc.status.OUT_OF_RANGE));
  await assert.rejects(client.putChunkBytes(chunkId(12), new Uint8Array(CAPACITY)), status(grpc.status.RESOURCE_EXHAUSTED, 'InsufficientCapacity'));

  // Frames out of order.
  const raw = (frames: Parameters<typeof create<typeof PutChunkRequestSchema>>[1][]) => new Promise((resolve, reject) => {
    const call = client.rpc.putChunk((err, res) => (err ? reject(err) : resolve(res)), { timeoutMs: 5_000 });
    for (const f of frames) call.write(create(PutChunkRequestSchema, f));
    call.end();
  });
  await assert.rejects(raw([{ frame: { case: 'data', value: data } }]), status(grpc.status.INVALID_ARGUMENT, 'InvalidRequest', /first frame/));
  await assert.rejects(raw([]), status(grpc.status.INVALID_ARGUMENT));
  const header = { frame: { case: 'header' as const, value: { chunkId: chunkId(13), length: 4n, crc32c: 0 } } };
  await assert.rejects(raw([header, header]), status(grpc.status.INVALID_ARGUMENT, 'InvalidRequest', /only data frames/));
  assert.deepEqual(filesUnder(node.store.layout.tmpDir), []);
  await client.deleteChunk(chunkId(11));
});

test('stored bytes that fail their checksum give DATA_LOSS and are reported', TIMEOUT, async () => {
  const data = patternBytes(3 * CHECKSUM_BLOCK_BYTES, 3);
  await client.putChunkBytes(chunkId(20), data);
  const fd = openSync(node.store.pathOf(chunkId(20)), 'r+');
  writeSync(fd, Uint8Array.of(0x42 ^ data[CHECKSUM_BLOCK_BYTES + 1]!), 0, 1, CHECKSUM_BLOCK_BYTES + 1);
  closeSync(fd);
  await assert.rejects(client.readChunk(chunkId(20)), status(grpc.status.DATA_LOSS, 'ChunkCorrupt', /block 1/));
  await assert.rejects(client.statChunk(chunkId(20), true), status(grpc.status.DATA_LOSS));
  // The verified block before the damage still reads.
  assert.deepEqual(new Uint8Array(await client.readChunk(chunkId(20), { length: CHECKSUM_BLOCK_BYTES })), data.subarray(0, CHECKSUM_BLOCK_BYTES));
  const scrub = await client.runScrub();
  assert.deepEqual(scrub.findings.map((f) => [f.chunkId, f.kind]), [[chunkId(20), ScrubFinding_Kind.CORRUPT]]);
  const info = await client.nodeInfo();
  assert.ok((info.scrub?.corruptFound ?? 0n) >= 1n);
  assert.ok((info.scrub?.corruptFoundByReads ?? 0n) >= 2n);
  await client.deleteChunk(chunkId(20));
});

test('PutChunk with replace_damaged replaces a rotten chunk over gRPC; StatChunk verify then passes', TIMEOUT, async () => {
  const data = patternBytes(2 * CHECKSUM_BLOCK_BYTES, 4);
  await client.putChunkBytes(chunkId(21), data);
  const healthy = await client.putChunk({ chunkId: chunkId(21), length: data.length, crc32c: crc32c(data), replaceDamaged: true }, [data]);
  assert.equal(healthy.alreadyExisted, true);
  assert.equal(healthy.replacedDamaged, false);
  const fd = openSync(node.store.pathOf(chunkId(21)), 'r+');
  writeSync(fd, Uint8Array.of(0x42 ^ data[7]!), 0, 1, 7);
  closeSync(fd);
  await assert.rejects(client.statChunk(chunkId(21), true), status(grpc.status.DATA_LOSS, 'ChunkCorrupt'));
  const plain = await client.putChunkBytes(chunkId(21), data);
  assert.equal(plain.alreadyExisted, true, 'without the flag a put does not look at the stored bytes');
  const replaced = await client.putChunk({ chunkId: chunkId(21), length: data.length, crc32c: crc32c(data), replaceDamaged: true }, [data]);
  assert.equal(replaced.alreadyExisted, false);
  assert.equal(replaced.replacedDamaged, true);
  const info = await client.statChunk(chunkId(21), true);
  assert.equal(info.crc32c, crc32c(data));
  assert.deepEqual(new Uint8Array(await client.readChunk(chunkId(21))), data);
  await client.deleteChunk(chunkId(21));
});

test('a put that stalls past the idle limit, or is cancelled, is aborted and leaves nothing', TIMEOUT, async () => {
  const data = patternBytes(500_000, 4);
  async function* stall(): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, 100_000);
    await new Promise((r) => setTimeout(r, IDLE_MS * 4));
  }
  await assert.rejects(
    client.putChunk({ chunkId: chunkId(30), length: data.length, crc32c: crc32c(data) }, stall()),
    status(grpc.status.DEADLINE_EXCEEDED, 'StreamTimedOut'),
  );
  await waitFor(() => filesUnder(node.store.layout.tmpDir).length === 0, 'temp file removal after idle timeout');
  await assert.rejects(client.statChunk(chunkId(30)), status(grpc.status.NOT_FOUND));

  const call = client.rpc.putChunk(() => undefined, { timeoutMs: 10_000 });
  call.write(create(PutChunkRequestSchema, { frame: { case: 'header', value: { chunkId: chunkId(31), length: BigInt(data.length), crc32c: crc32c(data) } } }));
  call.write(create(PutChunkRequestSchema, { frame: { case: 'data', value: data.subarray(0, 200_000) } }));
  await waitFor(() => filesUnder(node.store.layout.tmpDir).length === 1, 'the put to start');
  call.cancel();
  await waitFor(() => filesUnder(node.store.layout.tmpDir).length === 0, 'temp file removal after cancel');
  await assert.rejects(client.statChunk(chunkId(31)), status(grpc.status.NOT_FOUND));
  // The id is free again.
  await client.putChunkBytes(chunkId(31), data);
  await client.deleteChunk(chunkId(31));
});

test('a slow reader gets every frame in order (the server waits on backpressure)', TIMEOUT, async () => {
  const data = patternBytes(6 * 1024 * 1024, 5);
  await client.putChunkBytes(chunkId(40), data);
  let expect = 0;
  let slept = 0;
  for await (const f of client.getChunk(chunkId(40)).frames()) {
    assert.equal(f.offset, expect);
    assert.equal(Buffer.compare(f.data, data.subarray(expect, expect + f.data.length)), 0, `frame at ${expect} differs`);
    expect += f.data.length;
    if (slept++ < 5) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(expect, data.length);
  await client.deleteChunk(chunkId(40));
});
