// The gateway's data path against a real three-zone cluster (zone processes with meta and
// data nodes): objects of every size class round-trip whole and by random ranges; stripes
// survive deleted and corrupted shards by reconstruction and fail cleanly past that; refused
// writes leave no chunks behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { evaluateWriteAck } from '../../../services/erasure/index.ts';
import { isStoreError } from '../../../services/gateway/errors/store-error.ts';
import type { WriteResult } from '../../../services/gateway/objects/index.ts';
import {
  bodyOf, type Cleanup, DataPathCluster, drain, manifestOf, randomObject,
} from './data-path-cluster.ts';

const SUITE_TIMEOUT_MS = 240_000; // cluster start-up
const TEST_TIMEOUT_MS = 120_000;
/** 512 MiB through the cluster; minutes only on a badly overloaded machine. */
const MEMORY_TEST_TIMEOUT_MS = 300_000;
const KiB = 1024;
const MiB = 1024 * KiB;
const RANGES_PER_OBJECT = 6;
/** Seeded, printed: the ranges a failing run read can be replayed. */
const SEED = Number(process.env.DATA_PATH_SEED ?? Date.now() % 1_000_000);

const cleanups: Cleanup[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

let cluster: DataPathCluster;
before(async () => {
  cluster = await DataPathCluster.start(cleanups);
}, { timeout: SUITE_TIMEOUT_MS });

function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function holdsAckRule(w: WriteResult, zones: string[]): boolean {
  const scheme = w.scheme.kind?.case === 'erasure'
    ? { kind: 'erasure' as const, dataShards: w.scheme.kind.value.dataShards!, parityShards: w.scheme.kind.value.parityShards! }
    : { kind: 'replica' as const, copies: (w.scheme.kind as { value: { copies: number } }).value.copies };
  return evaluateWriteAck({
    scheme, zones, stripeCount: w.stripes.length,
    stored: w.stripes.flatMap((s, i) => s.shards!.map((x) => ({ stripe: i, shard: x.index!, zone: x.zone! }))),
  }).acknowledged;
}

const ZONES = ['zone-1', 'zone-2', 'zone-3'];

test('sizes 0 B … 40 MiB round-trip whole and by random ranges', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  t.diagnostic(`seed ${SEED}`);
  const next = random(SEED);
  const sizes = [0, 1, 128 * KiB - 1, 128 * KiB, 6 * MiB + 1, 40 * MiB + 12_345];
  for (const size of sizes) {
    const body = randomObject(size);
    const started = performance.now();
    const w = await cluster.dataPath.write(bodyOf(body), { size });
    const wrote = performance.now() - started;
    assert.equal(w.size, size);
    assert.equal(w.scheme.kind?.case, size < 128 * KiB ? 'replica' : 'erasure', `scheme of ${size} bytes`);
    assert.ok(holdsAckRule(w, ZONES), `the ack rule holds for ${size} bytes`);
    const m = manifestOf(w);
    const readStarted = performance.now();
    const whole = await drain(cluster.dataPath.read(m));
    const read = performance.now() - readStarted;
    assert.equal(whole.error, undefined);
    assert.ok(whole.bytes.equals(body), `${size} bytes read back`);
    if (size >= MiB) {
      t.diagnostic(`${size} B: write ${(size / MiB / (wrote / 1000)).toFixed(0)} MiB/s, read ${(size / MiB / (read / 1000)).toFixed(0)} MiB/s`);
    }
    for (let i = 0; i < RANGES_PER_OBJECT && size > 0; i++) {
      const a = Math.floor(next() * size);
      const b = Math.floor(next() * size);
      const range = { start: Math.min(a, b), end: Math.max(a, b) };
      const got = await drain(cluster.dataPath.read(m, range));
      assert.equal(got.error, undefined);
      assert.ok(got.bytes.equals(body.subarray(range.start, range.end + 1)), `${size} bytes, range ${range.start}-${range.end}`);
    }
  }
});

test('RS(6,3): one, two, three shards of a stripe deleted or corrupted still read; four do not', { timeout: TEST_TIMEOUT_MS }, async () => {
  const body = randomObject(12 * MiB + 100);
  const w = await cluster.dataPath.write(bodyOf(body), { size: body.length });
  const m = manifestOf(w);
  const stripe = w.stripes[1]!.shards!;
  assert.equal(stripe.length, 9);
  const byIndex = (i: number) => stripe.find((s) => s.index === i)!;
  const inStripe1 = { start: 6 * MiB + 1_000, end: 8 * MiB };
  // Data shards first: every loss forces a decode.
  const victims = [byIndex(0), byIndex(3), byIndex(7)];
  cluster.corruptShard(byIndex(1));
  for (let lost = 1; lost <= 3; lost++) {
    if (lost > 1) await cluster.deleteShard(victims[lost - 2]!);
    const whole = await drain(cluster.dataPath.read(m));
    assert.equal(whole.error, undefined, `${lost} lost: ${String(whole.error)}`);
    assert.ok(whole.bytes.equals(body), `${lost} shards lost: whole object`);
    const part = await drain(cluster.dataPath.read(m, inStripe1));
    assert.ok(part.bytes.equals(body.subarray(inStripe1.start, inStripe1.end + 1)), `${lost} shards lost: range`);
  }
  await cluster.deleteShard(victims[2]!);
  const whole = await drain(cluster.dataPath.read(m));
  assert.ok(isStoreError(whole.error, 'InternalError'), String(whole.error));
  assert.match((whole.error as Error).message, /part 1 stripe 1\b/);
  assert.ok(whole.bytes.length <= 6 * MiB && whole.bytes.equals(body.subarray(0, whole.bytes.length)), 'only correct bytes before the error');
  // Stripes 0 and 2 are whole: ranges there still read.
  const tail = await drain(cluster.dataPath.read(m, { start: 12 * MiB, end: body.length - 1 }));
  assert.ok(tail.bytes.equals(body.subarray(12 * MiB)));
});

test('replicas: two copies gone still read, three do not', { timeout: TEST_TIMEOUT_MS }, async () => {
  const body = randomObject(100 * KiB);
  const w = await cluster.dataPath.write(bodyOf(body), { size: body.length });
  const m = manifestOf(w);
  const copies = w.stripes[0]!.shards!;
  // The local zone's copy first, so the reader must go elsewhere.
  const ordered = [...copies].sort((a, b) => (a.zone === 'zone-1' ? -1 : b.zone === 'zone-1' ? 1 : 0));
  for (const copy of ordered.slice(0, 2)) {
    await cluster.deleteShard(copy);
    assert.ok((await drain(cluster.dataPath.read(m))).bytes.equals(body));
  }
  await cluster.deleteShard(ordered[2]!);
  const got = await drain(cluster.dataPath.read(m, { start: 10, end: 20 }));
  assert.ok(isStoreError(got.error, 'InternalError'), String(got.error));
  assert.equal(got.bytes.length, 0);
});

test('multipart: parts written with the upload\'s scheme read back as one object', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { scheme, blockSize } = cluster.dataPath.uploadScheme();
  const parts = [randomObject(5 * MiB), randomObject(7 * MiB + 3), randomObject(1)];
  const written: WriteResult[] = [];
  for (const p of parts) written.push(await cluster.dataPath.write(bodyOf(p), { size: p.length, scheme, blockSize }));
  assert.ok(written.every((w) => w.scheme.kind?.case === 'erasure' && w.blockSize === blockSize));
  const m = manifestOf(...written);
  const whole = Buffer.concat(parts);
  assert.ok((await drain(cluster.dataPath.read(m))).bytes.equals(whole));
  const across = { start: 5 * MiB - 10, end: 12 * MiB + 2 };
  assert.ok((await drain(cluster.dataPath.read(m, across))).bytes.equals(whole.subarray(across.start, across.end + 1)));
});

test('a body that fails, ends early or runs long: the write fails and leaves no chunk behind', { timeout: TEST_TIMEOUT_MS }, async () => {
  const before = await cluster.chunkIds();
  const body = randomObject(20 * MiB);
  const decoderError = new Error('x-amz-checksum-crc32c does not match the body');
  async function* failsMidway(): AsyncGenerator<Uint8Array> {
    yield* bodyOf(body.subarray(0, 14 * MiB));
    throw decoderError;
  }
  await assert.rejects(cluster.dataPath.write(failsMidway(), { size: body.length }), (e) => e === decoderError);
  await assert.rejects(cluster.dataPath.write(bodyOf(body.subarray(0, 13 * MiB)), { size: body.length }), (e) => isStoreError(e, 'IncompleteBody'));
  await assert.rejects(cluster.dataPath.write(bodyOf(body), { size: 7 * MiB }), (e) => isStoreError(e, 'IncompleteBody'));
  assert.deepEqual([...await cluster.chunkIds()].filter((id) => !before.has(id)), [], 'no new chunks');
});

test('bounded memory: a 256 MiB write and read hold a few stripes, not the object', { timeout: MEMORY_TEST_TIMEOUT_MS }, async (t) => {
  const size = 256 * MiB;
  const piece = randomObject(MiB);
  // The body is generated as it is consumed: the test holds 1 MiB, not 256.
  async function* generated(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < size; at += 64 * KiB) yield piece.subarray(at % MiB, (at % MiB) + 64 * KiB);
  }
  const gc = collector();
  const inUse = (): number => {
    const u = process.memoryUsage();
    return u.arrayBuffers + u.heapUsed;
  };
  gc();
  let base = inUse();
  let peak = 0;
  let samples = 0;
  // Live memory, not garbage V8 has yet to collect: collect, then look (every 50 ms). Growth can
  // stay at or below zero (the base was taken with garbage still live), so count the samples.
  const sample = setInterval(() => {
    gc();
    samples++;
    peak = Math.max(peak, inUse() - base);
  }, 50);
  try {
    const started = performance.now();
    const w = await cluster.dataPath.write(generated(), { size });
    const wrote = performance.now() - started;
    const writePeak = peak;
    const writeSamples = samples;
    gc();
    base = inUse();
    peak = 0;
    samples = 0;
    const readStarted = performance.now();
    let at = 0;
    for await (const chunk of cluster.dataPath.read(manifestOf(w))) {
      const c = chunk as Buffer;
      // Compare slice by slice against the repeating piece.
      for (let off = 0; off < c.length;) {
        const p = (at + off) % MiB;
        const n = Math.min(c.length - off, MiB - p);
        assert.ok(c.subarray(off, off + n).equals(piece.subarray(p, p + n)), `bytes at ${at + off}`);
        off += n;
      }
      at += c.length;
    }
    const read = performance.now() - readStarted;
    assert.equal(at, size);
    assert.ok(writeSamples > 0 && samples > 0, `memory was sampled (${writeSamples} while writing, ${samples} while reading)`);
    t.diagnostic(`256 MiB: write ${(256 / (wrote / 1000)).toFixed(0)} MiB/s, peak +${(writePeak / MiB).toFixed(0)} MiB; ` +
      `read ${(256 / (read / 1000)).toFixed(0)} MiB/s, peak +${(peak / MiB).toFixed(0)} MiB`);
    // A few stripes (6 MiB of data + 3 of parity each) and channel buffers; far below the object's 256 MiB.
    assert.ok(writePeak < 96 * MiB, `write peak ${writePeak}`);
    assert.ok(peak < 96 * MiB, `read peak ${peak}`);
  } finally {
    clearInterval(sample);
  }
});

/** A full garbage collection on demand, without starting node with --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
