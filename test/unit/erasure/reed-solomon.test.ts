import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ErasureError } from '../../../services/erasure/errors.ts';
import { ReedSolomon } from '../../../services/erasure/reed-solomon.ts';
import { propertyParams, pseudoRandomBytes } from './property-config.ts';

const KERNELS = ['table', 'simd'] as const;

function isCode(code: string) {
  return (e: unknown) => e instanceof ErasureError && e.code === code;
}

function dataShards(k: number, length: number, seed: number): Uint8Array[] {
  return Array.from({ length: k }, (_, i) => pseudoRandomBytes(length, seed * 7919 + i + 1));
}

/** RS(k,m), a shard length and a set of erased shard indices of the given size bounds. */
function codeAndErasures(maxK: number, maxM: number, maxLength: number, erasures: 'within-m' | 'beyond-m') {
  return fc.record({
    k: fc.integer({ min: 1, max: maxK }),
    m: fc.integer({ min: 1, max: maxM }),
    length: fc.integer({ min: 0, max: maxLength }),
    seed: fc.integer(),
  }).chain(({ k, m, length, seed }) => {
    const n = k + m;
    const count = erasures === 'within-m' ? fc.integer({ min: 0, max: m }) : fc.integer({ min: m + 1, max: n });
    return count.chain((c) => fc.shuffledSubarray([...Array(n).keys()], { minLength: c, maxLength: c }))
      .map((erased) => ({ k, m, length, seed, erased }));
  });
}

for (const kernel of KERNELS) {
  test(`[${kernel}] any ≤ m erasures are rebuilt exactly (property)`, () => {
    fc.assert(fc.property(codeAndErasures(20, 12, 3000, 'within-m'), ({ k, m, length, seed, erased }) => {
      const rs = new ReedSolomon(k, m, { kernel });
      const data = dataShards(k, length, seed);
      const all = [...data, ...rs.encode(data)];
      const slots = all.map((s, i) => (erased.includes(i) ? null : s));
      const rebuilt = rs.reconstruct(slots);
      rebuilt.forEach((s, i) => assert.deepEqual(s, all[i], `shard ${i}`));
      assert.ok(rs.verify(rebuilt));
      assert.deepEqual(rs.reconstructData(slots), data);
    }), propertyParams(150));
  });

  test(`[${kernel}] more than m erasures fail with TooManyErasures, never with bytes (property)`, () => {
    fc.assert(fc.property(codeAndErasures(12, 8, 200, 'beyond-m'), ({ k, m, length, seed, erased }) => {
      const rs = new ReedSolomon(k, m, { kernel });
      const data = dataShards(k, length, seed);
      const slots = [...data, ...rs.encode(data)].map((s, i) => (erased.includes(i) ? null : s));
      assert.throws(() => rs.reconstruct(slots), isCode('TooManyErasures'));
      assert.throws(() => rs.reconstructShards(slots, [erased[0]!]), isCode('TooManyErasures'));
    }), propertyParams(100));
  });
}

test('the SIMD and table kernels produce identical parity, including unaligned views and odd tails', () => {
  const arb = fc.record({
    k: fc.integer({ min: 1, max: 40 }),
    m: fc.integer({ min: 1, max: 20 }),
    length: fc.integer({ min: 0, max: 70_000 }),
    offset: fc.integer({ min: 0, max: 7 }),
    seed: fc.integer(),
  });
  fc.assert(fc.property(arb, ({ k, m, length, offset, seed }) => {
    const backing = pseudoRandomBytes(k * (length + offset) + offset, seed);
    const data = Array.from({ length: k }, (_, i) => backing.subarray(offset + i * length, offset + (i + 1) * length));
    const table = new ReedSolomon(k, m, { kernel: 'table' }).encode(data);
    const simd = new ReedSolomon(k, m, { kernel: 'simd' }).encode(data);
    simd.forEach((p, j) => assert.ok(Buffer.from(p).equals(table[j]!), `parity ${j} differs`));
  }), propertyParams(80));
});

test('allocateShards buffers are coded in place: same bytes as the table kernel, neighbours untouched (property)', () => {
  const arb = fc.record({
    k: fc.integer({ min: 1, max: 16 }),
    m: fc.integer({ min: 1, max: 8 }),
    length: fc.integer({ min: 0, max: 40_000 }),
    seed: fc.integer(),
  }).chain((x) => fc.tuple(fc.constant(x), fc.shuffledSubarray([...Array(x.k + x.m).keys()], { minLength: 1, maxLength: x.m })));
  fc.assert(fc.property(arb, ([{ k, m, length, seed }, erased]) => {
    for (const kernel of KERNELS) {
      const rs = new ReedSolomon(k, m, { kernel });
      const shards = rs.allocateShards(length);
      assert.equal(shards.length, k + m);
      const data = dataShards(k, length, seed);
      data.forEach((d, i) => shards[i]!.set(d));
      rs.encode(shards.slice(0, k), shards.slice(k));
      shards.slice(0, k).forEach((s, i) => assert.deepEqual(s, data[i], `[${kernel}] data shard ${i} was overwritten`));
      const expected = new ReedSolomon(k, m, { kernel: 'table' }).encode(data);
      shards.slice(k).forEach((p, j) => assert.deepEqual(p, expected[j], `[${kernel}] parity ${j}`));
      const all = shards.map((s) => s.slice());
      const into = erased.map((i) => shards[i]!);
      into.forEach((s) => s.fill(0xa5));
      const slots = shards.map((s, i) => (erased.includes(i) ? null : s));
      const rebuilt = rs.reconstructShards(slots, erased, into);
      rebuilt.forEach((r, j) => {
        assert.equal(r, into[j], 'rebuilt into the given buffer');
        assert.deepEqual(r, all[erased[j]!], `[${kernel}] shard ${erased[j]}`);
      });
    }
  }), propertyParams(60));
});

test('views into allocateShards memory that are not the handed-out arrays still code correctly (copied)', () => {
  const rs = new ReedSolomon(3, 2, { kernel: 'simd' });
  const shards = rs.allocateShards(100);
  const data = dataShards(3, 60, 4);
  const views = shards.slice(0, 3).map((s, i) => { s.set(data[i]!, 7); return s.subarray(7, 67); });
  const parity = shards.slice(3).map((s) => s.subarray(7, 67));
  rs.encode(views, parity);
  parity.forEach((p, j) => assert.deepEqual(p, new ReedSolomon(3, 2, { kernel: 'table' }).encode(data)[j]));
});

test('the largest code, k + m = 255, round-trips with m erasures', () => {
  const k = 128, m = 127;
  const rs = new ReedSolomon(k, m);
  const data = dataShards(k, 64, 3);
  const all = [...data, ...rs.encode(data)];
  const slots = all.map((s, i) => (i % 2 === 0 && i < 2 * m ? null : s));
  assert.deepEqual(rs.reconstruct(slots), all);
});

test('encoded bytes are pinned: changing field, matrix or kernel output is a format change', () => {
  const rs = new ReedSolomon(6, 3);
  const data = dataShards(6, 4096, 42);
  const digest = createHash('sha256');
  for (const p of rs.encode(data)) digest.update(p);
  // Parity row 0 of RS(6,3) is [1/6, 1/7, 1/4, 1/5, 1/2, 1/3] in GF(2^8)/0x11d.
  assert.equal(digest.digest('hex'), GOLDEN_RS_6_3_PARITY_SHA256);
});
const GOLDEN_RS_6_3_PARITY_SHA256 = 'efd25ff12afe98b690476ec1f74e96c0069bddfead12df288ce8820a5443e1e4';

/** Multiplication by the definition (shift-and-add, reduce by 0x11d), independent of the codec. */
function slowMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) product ^= a << i;
  for (let bit = 14; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

test('parity equals the Cauchy definition P[r] = ⊕_c (1 / ((k + r) ⊕ c)) · D[c] (as ISA-L cauchy1)', () => {
  const k = 5, m = 4, length = 50;
  const inverse = (x: number) => [...Array(256).keys()].find((y) => slowMul(x, y) === 1)!;
  const data = dataShards(k, length, 11);
  for (const kernel of KERNELS) {
    const parity = new ReedSolomon(k, m, { kernel }).encode(data);
    for (let r = 0; r < m; r++) {
      for (let p = 0; p < length; p++) {
        let expected = 0;
        for (let c = 0; c < k; c++) expected ^= slowMul(inverse((k + r) ^ c), data[c]![p]!);
        assert.equal(parity[r]![p], expected, `[${kernel}] parity ${r} byte ${p}`);
      }
    }
  }
});

test('parity can be written into caller-provided buffers', () => {
  const rs = new ReedSolomon(4, 2);
  const data = dataShards(4, 100, 1);
  const out = [new Uint8Array(100), new Uint8Array(100)];
  const returned = rs.encode(data, out);
  assert.equal(returned[0], out[0]);
  assert.deepEqual(out, rs.encode(data));
});

test('reconstructShards rebuilds only the requested shards and returns present ones as they are', () => {
  const rs = new ReedSolomon(6, 3);
  const data = dataShards(6, 1000, 9);
  const all = [...data, ...rs.encode(data)];
  const slots = all.map((s, i) => (i === 1 || i === 7 ? null : s));
  const [one, seven, two] = rs.reconstructShards(slots, [1, 7, 2]);
  assert.deepEqual(one, all[1]);
  assert.deepEqual(seven, all[7]);
  assert.equal(two, all[2]);
});

test('verify detects a flipped byte in any shard', () => {
  const rs = new ReedSolomon(5, 3);
  const data = dataShards(5, 333, 5);
  const all = [...data, ...rs.encode(data)];
  assert.ok(rs.verify(all));
  for (let i = 0; i < all.length; i++) {
    const copy = all.map((s) => new Uint8Array(s));
    copy[i]![100]! ^= 0x40;
    assert.equal(rs.verify(copy), false, `corruption in shard ${i} not detected`);
  }
});

test('invalid parameters and mismatched shards are errors with codes', () => {
  for (const [k, m] of [[0, 1], [1, 0], [200, 56], [1.5, 2], [-1, 3]]) {
    assert.throws(() => new ReedSolomon(k!, m!), isCode('InvalidCodingParameters'), `RS(${k},${m})`);
  }
  const rs = new ReedSolomon(3, 2);
  assert.throws(() => rs.encode([new Uint8Array(4), new Uint8Array(4)]), isCode('ShardCountMismatch'));
  assert.throws(() => rs.encode([new Uint8Array(4), new Uint8Array(4), new Uint8Array(5)]), isCode('ShardSizeMismatch'));
  assert.throws(() => rs.reconstruct([null, null, null, null]), isCode('ShardCountMismatch'));
  assert.throws(() => rs.reconstruct([new Uint8Array(4), new Uint8Array(5), new Uint8Array(4), null, null]), isCode('ShardSizeMismatch'));
  assert.throws(() => rs.reconstructShards([null, null, null, null, null], [5]), isCode('InvalidCodingParameters'));
});
