// CTR counter arithmetic: the counter for an offset is the IV plus the block index as one
// 128-bit number — checked against a BigInt reference and against what AES-CTR itself produces
// when run from the start of the object (ranges, parts, carries across the 64-bit boundary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { alignRangeStart, assertPartSize, counterAt, ossShapedIv, partOffset } from '../../../services/client/encryption/ctr-counter.ts';
import { ctrTransformAt } from '../../../services/client/encryption/content-cipher.ts';

const iv16 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a));

function reference(iv: Buffer, offset: number): Buffer {
  const n = (BigInt(`0x${iv.toString('hex')}`) + BigInt(Math.floor(offset / 16))) % (1n << 128n);
  return Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
}

function wholeStream(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

test('counterAt is the IV plus floor(offset/16) as a 128-bit big-endian sum', () => {
  fc.assert(fc.property(iv16, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (iv, offset) => {
    assert.deepEqual(counterAt(iv, offset), reference(iv, offset));
  }), { numRuns: 2000 });
  assert.deepEqual(counterAt(Buffer.alloc(16, 0xff), 16), Buffer.alloc(16), 'wraps around 2^128');
  assert.deepEqual(counterAt(Buffer.from('0000000000000000ffffffffffffffff', 'hex'), 32), Buffer.from('00000000000000010000000000000001', 'hex'));
});

test('deciphering from counterAt(offset) gives what the single stream gives, for every block-aligned offset', () => {
  const key = randomBytes(32);
  fc.assert(fc.property(iv16, fc.integer({ min: 1, max: 3000 }), fc.nat(), fc.nat(), (iv, size, a, b) => {
    const data = randomBytes(size);
    const stream = wholeStream(key, iv, data);
    const start = Math.min(a % size, size - 1);
    const { fetchStart, skip } = alignRangeStart(start);
    const end = start + (b % (size - start));
    const got = ctrTransformAt({ cek: key, iv }, fetchStart, stream.subarray(fetchStart, end + 1)).subarray(skip);
    assert.ok(got.equals(data.subarray(start, end + 1)), `range ${start}-${end} of ${size}`);
  }), { numRuns: 300 });
});

test('the stream carries across the low 64 bits of the counter as counterAt does', () => {
  const key = randomBytes(32);
  const iv = Buffer.from('0123456789abcdefffffffffffffffff', 'hex');
  const data = randomBytes(16 * 8);
  const stream = wholeStream(key, iv, data);
  for (let block = 0; block < 8; block++) {
    assert.ok(ctrTransformAt({ cek: key, iv }, block * 16, stream.subarray(block * 16)).equals(data.subarray(block * 16)), `block ${block}`);
  }
});

test('parts enciphered from their own offsets join into the single stream', () => {
  const key = randomBytes(32);
  fc.assert(fc.property(iv16, fc.integer({ min: 1, max: 64 }).map((n) => n * 16), fc.integer({ min: 1, max: 2000 }), (iv, partSize, size) => {
    const data = randomBytes(size);
    const parts: Buffer[] = [];
    for (let n = 1; (n - 1) * partSize < size; n++) {
      const at = partOffset(n, partSize);
      parts.push(ctrTransformAt({ cek: key, iv }, at, data.subarray(at, at + partSize)));
    }
    assert.ok(Buffer.concat(parts).equals(wholeStream(key, iv, data)));
  }), { numRuns: 200 });
});

test('alignRangeStart rounds down to a block and says how much to drop', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (start) => {
    const { fetchStart, skip } = alignRangeStart(start);
    assert.equal(fetchStart % 16, 0);
    assert.ok(skip >= 0 && skip < 16);
    assert.equal(fetchStart + skip, start);
  }));
  assert.throws(() => alignRangeStart(-1), RangeError);
});

test('part offsets and sizes', () => {
  assert.equal(partOffset(1, 5 * 1024 * 1024), 0);
  assert.equal(partOffset(3, 32), 64);
  assert.throws(() => partOffset(0, 32), RangeError);
  assert.throws(() => assertPartSize(100), /multiple of 16/);
  assert.throws(() => assertPartSize(0), RangeError);
  assertPartSize(16);
});

test('new IVs have the OSS clients\' shape: bytes 8..11 zero', () => {
  const iv = ossShapedIv(Buffer.from('0102030405060708090a0b0c', 'hex'));
  assert.equal(iv.toString('hex'), '0102030405060708' + '00000000' + '090a0b0c');
  assert.throws(() => ossShapedIv(Buffer.alloc(16)), RangeError);
});
