// The write and read halves of the data path over in-memory data nodes (MemoryCluster): every
// decision the real path makes (scheme, placement, retries, the acknowledgement rule, shard
// choice, decoding, range slicing, clean-up) without sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import fc from 'fast-check';
import { create } from '@bufbuild/protobuf';
import {
  DEFAULT_SCHEME_POLICY, evaluateWriteAck, ReedSolomon, type StorageScheme, withNodeHealth,
} from '../../../../services/erasure/index.ts';
import { ManifestSchema, type Manifest } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { readObject, type ByteRange } from '../../../../services/gateway/objects/object-read.ts';
import { type WriteContext, type WriteOptions, type WriteResult, writeObject } from '../../../../services/gateway/objects/object-write.ts';
import { schemeToProto } from '../../../../services/gateway/objects/scheme-codec.ts';
import { MemoryCluster, propertyParams, pseudoRandomBytes } from './memory-cluster.ts';

const codecs = new Map<string, ReedSolomon>();
const codec = (k: number, m: number): ReedSolomon => {
  const key = `${k},${m}`;
  if (!codecs.has(key)) codecs.set(key, new ReedSolomon(k, m));
  return codecs.get(key)!;
};

function writeContext(c: MemoryCluster, map = c.map, extra: Partial<WriteContext> = {}): WriteContext {
  return {
    store: c.store, policy: DEFAULT_SCHEME_POLICY, codec, current: async () => ({ map, nodes: c.nodes }),
    clientOfNode: (node) => c.clientOf(node), ...extra,
  };
}

async function* chunksOf(bytes: Uint8Array, piece = 7_919): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

function write(c: MemoryCluster, bytes: Uint8Array, o: Partial<WriteOptions> = {}, ctx = writeContext(c)): Promise<WriteResult> {
  return writeObject(ctx, chunksOf(bytes), { size: bytes.length, ...o });
}

function manifestOf(...parts: WriteResult[]): Manifest {
  return create(ManifestSchema, {
    scheme: parts[0]!.scheme, blockSize: BigInt(parts[0]!.blockSize),
    parts: parts.map((p, i) => ({ number: i + 1, size: BigInt(p.size), stripes: p.stripes })),
  });
}

function read(c: MemoryCluster, m: Manifest, range?: ByteRange, localZone = 'zone-a'): Readable {
  return readObject({ reader: c.reader, preference: { localZone, rank: () => 0 }, codec }, m, range);
}

/** The bytes a stream gave before it ended or failed, and its error. */
async function drain(s: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const p of s) parts.push(p as Buffer);
    return { bytes: Buffer.concat(parts) };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

const small = (k: number, m: number, shard: number): Partial<WriteOptions> => ({
  scheme: schemeToProto({ kind: 'erasure', dataShards: k, parityShards: m }), blockSize: k * shard,
});

test('objects of many sizes and schemes read back whole and by any range, with up to m shards lost per stripe', async () => {
  const arb = fc.record({
    size: fc.integer({ min: 0, max: 20_000 }),
    scheme: fc.constantFrom<[number, number, number]>([6, 3, 1000], [6, 3, 257], [2, 1, 999], [1, 1, 3000]),
    replica: fc.boolean(), seed: fc.integer(), lossSeed: fc.nat(), ranges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  });
  await fc.assert(fc.asyncProperty(arb, async ({ size, scheme: [k, m, shard], replica, seed, lossSeed, ranges }) => {
    const c = new MemoryCluster();
    const body = pseudoRandomBytes(size, seed);
    const o: Partial<WriteOptions> = replica ? { scheme: schemeToProto({ kind: 'replica', copies: 3 }), blockSize: 3001 } : small(k, m, shard);
    const w = await write(c, body, o);
    const stored: StorageScheme = replica ? { kind: 'replica', copies: 3 } : { kind: 'erasure', dataShards: k, parityShards: m };
    assert.ok(evaluateWriteAck({
      scheme: stored, zones: ['zone-a', 'zone-b', 'zone-c'], stripeCount: w.stripes.length,
      stored: w.stripes.flatMap((s, i) => s.shards!.map((x) => ({ stripe: i, shard: x.index!, zone: x.zone! }))),
    }).acknowledged);
    // Lose up to m shards (2 copies) of every stripe.
    const tolerate = replica ? 2 : m;
    w.stripes.forEach((s, i) => {
      const shards = s.shards!;
      for (let j = 0; j < (lossSeed + i) % (tolerate + 1); j++) {
        const x = shards[(lossSeed * 7 + i + j * 5) % shards.length]!;
        c.deleteChunk(x.node!, x.chunkId!);
      }
    });
    const manifest = manifestOf(w);
    assert.deepEqual((await drain(read(c, manifest))).bytes, Buffer.from(body));
    for (const [a, b] of ranges) {
      if (size === 0) break;
      const range = { start: Math.min(a % size, b % size), end: Math.max(a % size, b % size) };
      const got = await drain(read(c, manifest, range));
      assert.equal(got.error, undefined);
      assert.deepEqual(got.bytes, Buffer.from(body.subarray(range.start, range.end + 1)));
    }
  }), propertyParams(60));
});

test('multipart: parts read back in order, ranges spanning parts included', async () => {
  const c = new MemoryCluster();
  const parts = [pseudoRandomBytes(5_000, 1), pseudoRandomBytes(3_333, 2), pseudoRandomBytes(1, 3)];
  const written = [];
  for (const p of parts) written.push(await write(c, p, small(6, 3, 100)));
  const m = manifestOf(...written);
  const whole = Buffer.concat(parts);
  assert.deepEqual((await drain(read(c, m))).bytes, whole);
  assert.deepEqual((await drain(read(c, m, { start: 4_990, end: 8_333 }))).bytes, whole.subarray(4_990, 8_334));
});

test('too many shards gone: the stream errors with InternalError naming the stripe, after only correct bytes', async () => {
  const c = new MemoryCluster();
  const body = pseudoRandomBytes(6_000, 9);
  const w = await write(c, body, small(6, 3, 100)); // 10 stripes of 600 bytes
  for (const x of w.stripes[4]!.shards!.slice(0, 4)) c.deleteChunk(x.node!, x.chunkId!);
  const got = await drain(read(c, manifestOf(w)));
  assert.ok(isStoreError(got.error, 'InternalError'), String(got.error));
  assert.match((got.error as Error).message, /stripe 4\b/);
  assert.ok(got.bytes.length <= 2_400);
  assert.deepEqual(got.bytes, Buffer.from(body.subarray(0, got.bytes.length)));
});

test('a corrupted data shard is not used: the stripe is decoded from the others', async () => {
  const c = new MemoryCluster();
  const body = pseudoRandomBytes(600, 4);
  const w = await write(c, body, small(6, 3, 100));
  const x = w.stripes[0]!.shards!.find((s) => s.index === 2)!;
  c.corrupt(x.node!, x.chunkId!);
  assert.deepEqual((await drain(read(c, manifestOf(w)))).bytes, Buffer.from(body));
});

test('a range inside one data shard reads just that shard\'s bytes when nothing is missing', async () => {
  const c = new MemoryCluster();
  const body = pseudoRandomBytes(6 * 1000 * 3, 5);
  const w = await write(c, body, small(6, 3, 1000));
  c.reads = 0;
  assert.deepEqual((await drain(read(c, manifestOf(w), { start: 7_100, end: 7_200 }))).bytes, Buffer.from(body.subarray(7_100, 7_201)));
  assert.equal(c.reads, 1);
});

test('the default scheme: small objects are 3 replicas, larger ones RS(6,3); a zone with no up node means replicas', async () => {
  const c = new MemoryCluster();
  const tiny = await write(c, pseudoRandomBytes(1000, 1));
  assert.equal(tiny.scheme.kind?.case, 'replica');
  assert.equal(tiny.stripes[0]!.shards!.length, 3);
  const big = await write(c, pseudoRandomBytes(200 * 1024, 1));
  assert.equal(big.scheme.kind?.case, 'erasure');
  assert.equal(big.blockSize, 6 * 1024 * 1024);
  assert.equal(big.stripes[0]!.shards!.length, 9);
  const zoneDown = withNodeHealth(c.map, 'down', ['zone-b-node-1', 'zone-b-node-2', 'zone-b-node-3']);
  const fallback = await write(c, pseudoRandomBytes(200 * 1024, 1), {}, writeContext(c, zoneDown));
  assert.equal(fallback.scheme.kind?.case, 'replica');
  assert.deepEqual(fallback.stripes[0]!.shards!.map((s) => s.zone).sort(), ['zone-a', 'zone-c']);
});

test('a dead node (not yet known to meta): its shards are retried on another node of the zone', async () => {
  const c = new MemoryCluster();
  c.dead.add('zone-a-node-1');
  const body = pseudoRandomBytes(50_000, 3);
  const w = await write(c, body, small(6, 3, 1000));
  assert.ok(w.stripes.every((s) => s.shards!.length === 9 && s.shards!.every((x) => x.node !== 'zone-a-node-1')));
  assert.ok(w.stripes.some((s) => s.shards!.some((x) => x.fallback)));
  assert.ok(c.failures.includes('zone-a-node-1'));
  assert.deepEqual((await drain(read(c, manifestOf(w)))).bytes, Buffer.from(body));
});

test('a whole zone dead but not yet known: RS is refused (ServiceUnavailable, nothing left behind); replicas succeed', async () => {
  const c = new MemoryCluster();
  for (const n of ['zone-c-node-1', 'zone-c-node-2', 'zone-c-node-3']) c.dead.add(n);
  await assert.rejects(write(c, pseudoRandomBytes(50_000, 3), small(6, 3, 1000)), (e) => isStoreError(e, 'ServiceUnavailable'));
  assert.equal(c.chunkCount(), 0);
  const body = pseudoRandomBytes(5_000, 3);
  const w = await write(c, body, { scheme: schemeToProto({ kind: 'replica', copies: 3 }), blockSize: 1024 });
  assert.ok(w.stripes.every((s) => s.shards!.map((x) => x.zone).sort().join() === 'zone-a,zone-b'));
  assert.deepEqual((await drain(read(c, manifestOf(w), undefined, 'zone-c'))).bytes, Buffer.from(body));
});

test('a stalled replica node is abandoned after the grace period; its chunk is deleted', async () => {
  const c = new MemoryCluster();
  const body = pseudoRandomBytes(3_000, 3);
  const probe = await write(c, body, { scheme: schemeToProto({ kind: 'replica', copies: 3 }), blockSize: 1024 });
  const stalled = probe.stripes[0]!.shards![0]!.node!;
  c.stalled.add(stalled);
  const probeChunks = c.chunks.get(stalled)!.size;
  const started = Date.now();
  const w = await write(c, body, { scheme: schemeToProto({ kind: 'replica', copies: 3 }), blockSize: 1024 },
    writeContext(c, c.map, { stragglerGraceMs: 50 }));
  assert.ok(Date.now() - started < 2_000);
  assert.ok(w.stripes.every((s) => s.shards!.every((x) => x.node !== stalled) && s.shards!.length >= 2));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(c.chunks.get(stalled)!.size, probeChunks, 'only the probe write\'s chunks');
  assert.deepEqual(c.failures, [], 'abandoning a node is not a failure of it');
});

test('the body ends early, runs long, or fails: the write fails (the body\'s own error unchanged) and leaves no chunks', async () => {
  const c = new MemoryCluster();
  const body = pseudoRandomBytes(30_000, 8);
  const o = small(6, 3, 1000);
  await assert.rejects(writeObject(writeContext(c), chunksOf(body), { size: 30_001, ...o }), (e) => isStoreError(e, 'IncompleteBody'));
  await assert.rejects(writeObject(writeContext(c), chunksOf(body), { size: 29_999, ...o }), (e) => isStoreError(e, 'IncompleteBody'));
  const boom = new Error('x-amz-checksum-crc32 mismatch');
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield* chunksOf(body.subarray(0, 20_000));
    throw boom;
  }
  await assert.rejects(writeObject(writeContext(c), failing(), { size: 30_000, ...o }), (e) => e === boom);
  assert.ok(c.puts > 0);
  assert.equal(c.chunkCount(), 0);
});

test('an aborted write stops with the abort reason and leaves no chunks', async () => {
  const c = new MemoryCluster();
  const ctl = new AbortController();
  const reason = new Error('client went away');
  async function* slow(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 100; i++) {
      if (i === 20) ctl.abort(reason);
      yield pseudoRandomBytes(1000, i);
    }
  }
  await assert.rejects(writeObject(writeContext(c), slow(), { size: 100_000, signal: ctl.signal, ...small(6, 3, 1000) }), (e) => e === reason);
  assert.equal(c.chunkCount(), 0);
});

test('ranges outside the object are InvalidRange, at once', async () => {
  const c = new MemoryCluster();
  const w = await write(c, pseudoRandomBytes(100, 1));
  const m = manifestOf(w);
  for (const r of [{ start: 0, end: 100 }, { start: 5, end: 4 }, { start: -1, end: 3 }]) {
    assert.throws(() => read(c, m, r), (e) => isStoreError(e, 'InvalidRange'));
  }
  assert.deepEqual((await drain(read(c, manifestOf(await write(c, new Uint8Array(0)))))).bytes.length, 0);
});
