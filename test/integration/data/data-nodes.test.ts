// Three data node processes on loopback (127.0.0.11/.12/.13 when bindable), fresh temp dirs:
// chunks over gRPC, bitrot on disk caught by reads and scrub, SIGKILL in the middle of a put,
// and SIGTERM for a clean exit. Every child is SIGKILLed in teardown, whatever happened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { crc32c } from '@node-rs/crc32';
import { PutChunkRequestSchema, ScrubFinding_Kind } from '../../../services/common/gen/zonestore/data/v1/data_pb.ts';
import { isServiceError } from '../../../services/common/grpc/service-client.ts';
import { fanOutDirs } from '../../../services/data/chunk-id.ts';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import {
  killAllDataNodes, startDataNode, stopDataNode, usableLoopback, type DataNodeSpec, type RunningDataNode,
} from '../../../services/data/data-node-launcher.ts';

const TEST_TIMEOUT = { timeout: 120_000 };
const CALL_TIMEOUT_MS = 15_000;
const WAIT_TIMEOUT_MS = 15_000;
const MiB = 1024 * 1024;
/** Scrub fast in tests and never on its own: passes run only through RunScrub. */
const NODE_ARGS = ['--scrub-rate-bytes', String(1024 * MiB), '--scrub-interval-ms', String(24 * 3600 * 1000)];

let root: string;
const nodes: RunningDataNode[] = [];
const clients = new Map<string, DataNodeClient>();

function id(n: number): string {
  return `c0ffee${n.toString(16).padStart(26, '0')}`;
}

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function chunkPath(node: RunningDataNode, chunkId: string): string {
  return join(node.spec.dir, 'chunks', ...fanOutDirs(chunkId), chunkId);
}

function clientFor(node: RunningDataNode): DataNodeClient {
  let c = clients.get(node.address);
  if (c === undefined) {
    c = new DataNodeClient(node.address, { timeoutMs: CALL_TIMEOUT_MS });
    clients.set(node.address, c);
  }
  return c;
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function grpcCode(code: grpc.status) {
  return (err: unknown) => isServiceError(err) && err.code === code;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'zs-data-it-'));
  const specs: DataNodeSpec[] = await Promise.all([1, 2, 3].map(async (z) => ({
    id: `d${z}`, zone: `z${z}`, dir: join(root, `d${z}`), host: await usableLoopback(`127.0.0.1${z}`), extraArgs: NODE_ARGS,
  })));
  try {
    nodes.push(...await Promise.all(specs.map(startDataNode)));
  } catch (err) {
    await killAllDataNodes();
    throw err;
  }
});

after(async () => {
  for (const c of clients.values()) c.close();
  await killAllDataNodes();
  rmSync(root, { recursive: true, force: true });
});

test('put, get, stat, list and delete chunks on three nodes', TEST_TIMEOUT, async () => {
  const replicated = bytes(2 * MiB + 123, 1);
  await Promise.all(nodes.map((n) => clientFor(n).putChunkBytes(id(1), replicated)));
  for (const [i, n] of nodes.entries()) {
    const c = clientFor(n);
    await c.putChunkBytes(id(10 + i), bytes(300_000 + i, 10 + i));
    assert.equal(Buffer.compare(await c.readChunk(id(1)), replicated), 0);
    assert.equal(Buffer.compare(await c.readChunk(id(1), { offset: MiB - 7, length: 99_999 }), replicated.subarray(MiB - 7, MiB - 7 + 99_999)), 0);
    assert.equal((await c.statChunk(id(1))).crc32c, crc32c(replicated));
    const listed = [];
    for await (const info of c.listChunks()) listed.push(info.chunkId);
    assert.deepEqual(listed, [id(1), id(10 + i)].sort());
    const info = await c.nodeInfo();
    assert.deepEqual([info.nodeId, info.zone, info.chunkCount, info.usedBytes], [`d${i + 1}`, `z${i + 1}`, 2n, BigInt(replicated.length + 300_000 + i)]);
    await c.deleteChunk(id(10 + i));
    await assert.rejects(c.readChunk(id(10 + i)), grpcCode(grpc.status.NOT_FOUND));
    assert.equal(existsSync(chunkPath(n, id(10 + i))), false);
  }
});

test('bytes flipped on disk: reads fail with DATA_LOSS, scrub reports it, the other nodes still serve', TEST_TIMEOUT, async () => {
  const data = bytes(MiB, 2);
  await Promise.all(nodes.map((n) => clientFor(n).putChunkBytes(id(2), data)));
  const [a, b, c] = nodes as [RunningDataNode, RunningDataNode, RunningDataNode];
  // Bitrot on node b: flip bytes in the middle of the data.
  const fd = openSync(chunkPath(b, id(2)), 'r+');
  const buf = Buffer.alloc(4);
  readSync(fd, buf, 0, 4, 500_000);
  for (let i = 0; i < 4; i++) buf[i]! ^= 0xff;
  writeSync(fd, buf, 0, 4, 500_000);
  closeSync(fd);
  // A lost file on node c.
  await clientFor(c).putChunkBytes(id(3), bytes(1000, 3));
  unlinkSync(chunkPath(c, id(3)));

  await assert.rejects(clientFor(b).readChunk(id(2)), (err: unknown) =>
    grpcCode(grpc.status.DATA_LOSS)(err) && /crc32c/.test((err as grpc.ServiceError).details));
  await assert.rejects(clientFor(c).readChunk(id(3)), grpcCode(grpc.status.DATA_LOSS));
  assert.equal(Buffer.compare(await clientFor(a).readChunk(id(2)), data), 0);
  assert.equal(Buffer.compare(await clientFor(c).readChunk(id(2)), data), 0);

  const scrubB = await clientFor(b).runScrub();
  assert.deepEqual(scrubB.findings.map((f) => [f.chunkId, f.kind]), [[id(2), ScrubFinding_Kind.CORRUPT]]);
  const scrubC = await clientFor(c).runScrub();
  assert.deepEqual(scrubC.findings.map((f) => [f.chunkId, f.kind]), [[id(3), ScrubFinding_Kind.MISSING]]);
  assert.equal((await clientFor(a).runScrub()).findingsTotal, 0n);
  const infoB = await clientFor(b).nodeInfo();
  assert.equal(infoB.scrub?.corruptFound, 1n);
  assert.ok((infoB.scrub?.corruptFoundByReads ?? 0n) >= 1n);
  assert.match(b.stderrTail(), /scrub found a damaged chunk/);
});

test('SIGKILL during a slow put: after restart no partial chunk is visible and the temp file is gone', TEST_TIMEOUT, async () => {
  const victim = nodes[0]!;
  const kept = bytes(100_000, 4);
  await clientFor(victim).putChunkBytes(id(4), kept);
  const data = bytes(4 * MiB, 5);
  // A slow client: header and the first 1 MiB, then nothing until the node dies.
  const call = clientFor(victim).rpc.putChunk(() => undefined, { timeoutMs: 60_000 });
  call.on('error', () => undefined);
  call.write(create(PutChunkRequestSchema, {
    frame: { case: 'header', value: { chunkId: id(5), length: BigInt(data.length), crc32c: crc32c(data) } },
  }));
  for (let off = 0; off < MiB; off += 256 * 1024) {
    call.write(create(PutChunkRequestSchema, { frame: { case: 'data', value: data.subarray(off, off + 256 * 1024) } }));
  }
  const tmp = join(victim.spec.dir, 'tmp');
  await waitFor(() => readdirSync(tmp).length === 1, 'the put to create its temp file');
  const exit = await stopDataNode(victim, 'SIGKILL');
  assert.equal(exit.signal, 'SIGKILL');
  assert.equal(readdirSync(tmp).length, 1, 'the partial put is on disk as a temp file');
  call.cancel();

  const restarted = await startDataNode(victim.spec);
  nodes[0] = restarted;
  const c = clientFor(restarted);
  assert.deepEqual(readdirSync(tmp), [], 'startup recovery removed the temp file');
  assert.equal(existsSync(chunkPath(restarted, id(5))), false);
  await assert.rejects(c.statChunk(id(5)), grpcCode(grpc.status.NOT_FOUND));
  await assert.rejects(c.readChunk(id(5)), grpcCode(grpc.status.NOT_FOUND));
  const listed = [];
  for await (const info of c.listChunks()) listed.push(info.chunkId);
  assert.ok(!listed.includes(id(5)));
  assert.ok(listed.includes(id(4)));
  assert.equal(Buffer.compare(await c.readChunk(id(4)), kept), 0);
  await c.statChunk(id(4), true);
  // The id is usable again after the crash.
  await c.putChunkBytes(id(5), data);
  assert.equal(Buffer.compare(await c.readChunk(id(5)), data), 0);
});

test('SIGTERM stops a node cleanly (exit code 0)', TEST_TIMEOUT, async () => {
  const node = nodes[2]!;
  const exit = await stopDataNode(node, 'SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null });
  // It restarts on the same directory with its chunks.
  const restarted = await startDataNode(node.spec);
  nodes[2] = restarted;
  assert.equal(Buffer.compare(await clientFor(restarted).readChunk(id(2)), bytes(MiB, 2)), 0);
});
