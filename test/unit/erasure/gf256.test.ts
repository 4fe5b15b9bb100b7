import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gfDiv, gfInverse, gfMul, MUL_TABLE, writeNibbleTables } from '../../../services/erasure/gf256.ts';
import { propertyParams } from './property-config.ts';

const byte = fc.integer({ min: 0, max: 255 });
const nonZero = fc.integer({ min: 1, max: 255 });

/** Carry-less multiply then reduce by 0x11d: the definition, independent of the log tables. */
function slowMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) product ^= a << i;
  for (let bit = 14; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

test('gfMul and MUL_TABLE agree with carry-less multiplication mod 0x11d on all 65536 pairs', () => {
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b++) {
      const expected = slowMul(a, b);
      if (gfMul(a, b) !== expected || MUL_TABLE[a * 256 + b] !== expected) {
        assert.fail(`${a}·${b}: gfMul=${gfMul(a, b)} table=${MUL_TABLE[a * 256 + b]} expected=${expected}`);
      }
    }
  }
});

test('every non-zero element has an inverse and division undoes multiplication', () => {
  for (let a = 1; a < 256; a++) assert.equal(gfMul(a, gfInverse(a)), 1);
  assert.throws(() => gfInverse(0), RangeError);
  fc.assert(fc.property(byte, nonZero, (a, b) => gfDiv(gfMul(a, b), b) === a), propertyParams(2000));
});

test('multiplication distributes over xor (the linearity the nibble split relies on)', () => {
  fc.assert(fc.property(byte, byte, byte, (a, b, c) => gfMul(a, b ^ c) === (gfMul(a, b) ^ gfMul(a, c))),
    propertyParams(2000));
});

test('nibble tables reproduce c·x as low-table[x & 15] ^ high-table[x >> 4]', () => {
  const tables = new Uint8Array(32);
  for (let c = 0; c < 256; c++) {
    writeNibbleTables(c, tables, 0);
    for (let x = 0; x < 256; x++) assert.equal(tables[x & 15]! ^ tables[16 + (x >> 4)]!, gfMul(c, x));
  }
});
