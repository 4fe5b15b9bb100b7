// Arithmetic in GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) and generator 2,
// the field used by ISA-L, Backblaze and klauspost/reedsolomon. Changing it changes every
// parity byte ever written, so it is fixed for the life of the format.

/** The reducing polynomial, including the x^8 term. */
export const GF_POLYNOMIAL = 0x11d;
/** Number of elements in the field. */
export const GF_SIZE = 256;

/** EXP[i] = 2^i; doubled in length so EXP[LOG[a] + LOG[b]] needs no modulo. */
const EXP = new Uint8Array(2 * GF_SIZE);
/** LOG[a] for a ≠ 0; LOG[0] is unused. */
const LOG = new Uint8Array(GF_SIZE);

{
  let x = 1;
  for (let i = 0; i < GF_SIZE - 1; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & GF_SIZE) x ^= GF_POLYNOMIAL;
  }
  for (let i = GF_SIZE - 1; i < EXP.length; i++) EXP[i] = EXP[i - (GF_SIZE - 1)]!;
}

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a]! + LOG[b]!]!;
}

export function gfInverse(a: number): number {
  if (a === 0) throw new RangeError('0 has no inverse in GF(2^8)');
  return EXP[GF_SIZE - 1 - LOG[a]!]!;
}

export function gfDiv(a: number, b: number): number {
  return gfMul(a, gfInverse(b));
}

/**
 * MUL_TABLE[c * 256 + x] = c · x. 64 KiB: one 256-byte row per coefficient, so the pure-TS
 * kernel multiplies a whole shard by a constant with one lookup per byte.
 */
export const MUL_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(GF_SIZE * GF_SIZE);
  for (let c = 0; c < GF_SIZE; c++) {
    for (let x = 0; x < GF_SIZE; x++) t[c * GF_SIZE + x] = gfMul(c, x);
  }
  return t;
})();

/** Bytes of nibble tables per coefficient: 16 products of the low nibble, 16 of the high. */
export const NIBBLE_TABLE_BYTES = 32;

/**
 * Writes the split-nibble tables of coefficient c at out[offset…]: c·x = c·(x & 15) ^
 * c·(x & 0xf0), so two 16-entry lookups (one SIMD byte shuffle each) multiply 16 bytes at once.
 */
export function writeNibbleTables(c: number, out: Uint8Array, offset: number): void {
  const row = c * GF_SIZE;
  for (let x = 0; x < 16; x++) {
    out[offset + x] = MUL_TABLE[row + x]!;
    out[offset + 16 + x] = MUL_TABLE[row + (x << 4)]!;
  }
}
