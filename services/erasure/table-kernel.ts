// The pure-TypeScript kernel: one 256-entry product row per coefficient (from MUL_TABLE) and
// one lookup per byte. It is the reference the SIMD kernel is tested against and the fallback
// where WebAssembly SIMD is unavailable. When every shard is 4-byte aligned it moves whole
// 32-bit words (four lookups, one load and one store), which is about twice as fast in V8 as
// byte-at-a-time; the unaligned path and the tail go byte by byte.
import type { GfKernel } from './gf-kernel.ts';
import type { GfMatrix } from './gf-matrix.ts';
import { GF_SIZE, MUL_TABLE } from './gf256.ts';

/**
 * Bytes of each shard processed per pass over all outputs. Each input block is read once per
 * output row, so it must stay in the L1/L2 cache between those reads.
 */
export const TABLE_KERNEL_BLOCK_BYTES = 16 * 1024;
const WORD_BYTES = 4;

/** out[start…end) ^= c · input[start…end) (word indices), c ≥ 2. */
function mulXorWords(c: number, input: Uint32Array, out: Uint32Array, start: number, end: number): void {
  const table = MUL_TABLE;
  const row = c * GF_SIZE;
  for (let p = start; p < end; p++) {
    const x = input[p]!;
    out[p] ^= table[row | (x & 0xff)]! | (table[row | ((x >>> 8) & 0xff)]! << 8)
      | (table[row | ((x >>> 16) & 0xff)]! << 16) | (table[row | (x >>> 24)]! << 24);
  }
}

function xorWords(input: Uint32Array, out: Uint32Array, start: number, end: number): void {
  for (let p = start; p < end; p++) out[p] ^= input[p]!;
}

/** out[start…end) ^= c · input[start…end) (byte indices), c ≥ 2. */
function mulXorBytes(c: number, input: Uint8Array, out: Uint8Array, start: number, end: number): void {
  const table = MUL_TABLE;
  const row = c * GF_SIZE;
  for (let p = start; p < end; p++) out[p] ^= table[row | input[p]!]!;
}

function xorBytes(input: Uint8Array, out: Uint8Array, start: number, end: number): void {
  for (let p = start; p < end; p++) out[p] ^= input[p]!;
}

/** One output row over [start, end), in whatever unit the arrays index (bytes or words). */
function mulRowRange<A extends Uint8Array | Uint32Array>(
  coef: Uint8Array, rowStart: number, inputs: readonly A[], out: A, start: number, end: number,
  xor: (input: A, out: A, start: number, end: number) => void,
  mulXor: (c: number, input: A, out: A, start: number, end: number) => void,
): void {
  out.fill(0, start, end);
  for (let c = 0; c < inputs.length; c++) {
    const x = coef[rowStart + c]!;
    if (x === 1) xor(inputs[c]!, out, start, end);
    else if (x !== 0) mulXor(x, inputs[c]!, out, start, end);
  }
}

function wordView(a: Uint8Array, words: number): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, words);
}

export const tableKernel: GfKernel = {
  name: 'table',
  mulRows(coefficients: GfMatrix, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], length: number): void {
    const { rows, cols, data } = coefficients;
    const aligned = [...inputs, ...outputs].every((a) => a.byteOffset % WORD_BYTES === 0);
    const words = aligned ? Math.floor(length / WORD_BYTES) : 0;
    if (words > 0) {
      const inputWords = inputs.map((a) => wordView(a, words));
      const outputWords = outputs.map((a) => wordView(a, words));
      const block = TABLE_KERNEL_BLOCK_BYTES / WORD_BYTES;
      for (let start = 0; start < words; start += block) {
        const end = Math.min(words, start + block);
        for (let r = 0; r < rows; r++) {
          mulRowRange(data, r * cols, inputWords, outputWords[r]!, start, end, xorWords, mulXorWords);
        }
      }
    }
    for (let start = words * WORD_BYTES; start < length; start += TABLE_KERNEL_BLOCK_BYTES) {
      const end = Math.min(length, start + TABLE_KERNEL_BLOCK_BYTES);
      for (let r = 0; r < rows; r++) mulRowRange(data, r * cols, inputs, outputs[r]!, start, end, xorBytes, mulXorBytes);
    }
  },
};
