import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32c } from '@node-rs/crc32';
import {
  BlockChecksummer, CHECKSUM_BLOCK_BYTES, TRAILER_BYTES, blockCount, blocksCovering, decodeFooter, encodeFooter,
  footerBytes, footerMismatch,
} from '../../../services/data/chunk-format.ts';

const SEED = 1234;

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

test('property: checksums do not depend on how the stream is sliced', () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 3 * CHECKSUM_BLOCK_BYTES + 17 }),
    fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 12 }),
    (length, cuts) => {
      const data = bytes(length, length + 1);
      const whole = new BlockChecksummer();
      whole.update(data);
      const sliced = new BlockChecksummer();
      let off = 0;
      for (const c of cuts) {
        if (off >= length) break;
        sliced.update(data.subarray(off, Math.min(length, off + c)));
        off += c;
      }
      if (off < length) sliced.update(data.subarray(off));
      assert.deepEqual(sliced.footer(), whole.footer());
      assert.equal(whole.crc32c, crc32c(data));
      const f = whole.footer();
      assert.equal(f.blockCrcs.length, blockCount(length));
      f.blockCrcs.forEach((c, i) => assert.equal(c, crc32c(data.subarray(i * CHECKSUM_BLOCK_BYTES, (i + 1) * CHECKSUM_BLOCK_BYTES))));
    },
  ), { seed: SEED, numRuns: 60 });
});

test('property: footers round-trip and their size is footerBytes(length)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 40 * CHECKSUM_BLOCK_BYTES }), fc.nat(), (length, crcSeed) => {
    const blockCrcs = Array.from({ length: blockCount(length) }, (_, i) => (crcSeed * 2654435761 + i) >>> 0);
    const footer = { length, crc32c: crcSeed >>> 0, blockBytes: CHECKSUM_BLOCK_BYTES, blockCrcs };
    const enc = encodeFooter(footer);
    assert.equal(enc.length, footerBytes(length));
    const dec = decodeFooter(enc, length);
    assert.ok(dec.ok);
    assert.deepEqual(dec.footer, footer);
    assert.equal(footerMismatch(dec.footer, { length, crc32c: crcSeed >>> 0 }), undefined);
  }), { seed: SEED });
});

test('every single flipped bit in a footer is detected', () => {
  const length = 3 * CHECKSUM_BLOCK_BYTES + 5;
  const c = new BlockChecksummer();
  c.update(bytes(length, 9));
  const enc = encodeFooter(c.footer());
  for (let bit = 0; bit < enc.length * 8; bit++) {
    const damaged = enc.slice();
    damaged[bit >> 3]! ^= 1 << (bit & 7);
    assert.equal(decodeFooter(damaged, length).ok, false, `bit ${bit} undetected`);
  }
});

test('a footer for another length or a truncated footer is rejected', () => {
  const c = new BlockChecksummer();
  c.update(bytes(1000, 3));
  const enc = encodeFooter(c.footer());
  const other = decodeFooter(enc, 999);
  assert.equal(other.ok, false);
  assert.equal(decodeFooter(enc.subarray(0, TRAILER_BYTES - 1), 1000).ok, false);
  const dec = decodeFooter(enc, 1000);
  assert.ok(dec.ok);
  assert.match(footerMismatch(dec.footer, { length: 1000, crc32c: dec.footer.crc32c ^ 1 }) ?? '', /crc32c/);
});

test('blocksCovering picks exactly the blocks a range touches', () => {
  const B = CHECKSUM_BLOCK_BYTES;
  assert.deepEqual(blocksCovering(0, 0, B), { first: 0, end: 0 });
  assert.deepEqual(blocksCovering(0, 1, B), { first: 0, end: 1 });
  assert.deepEqual(blocksCovering(B - 1, 2, B), { first: 0, end: 2 });
  assert.deepEqual(blocksCovering(B, B, B), { first: 1, end: 2 });
  assert.deepEqual(blocksCovering(3 * B + 1, 1, B), { first: 3, end: 4 });
});
