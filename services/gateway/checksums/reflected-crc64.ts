// The table-driven core shared by reflected 64-bit CRCs (CRC-64/XZ for OSS; CRC-64/NVME is the
// same computation with another polynomial). Only the tables depend on the polynomial.
//
// JavaScript has no fast 64-bit integers (each BigInt operation allocates), so the register is
// kept as two int32 halves, and eight input bytes are folded per step through eight tables
// ("slicing-by-8"): one lookup per byte instead of eight shift-and-xor rounds.

const SLICES = 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this many bytes, creating the word view costs more than the byte loop saves. */
const MIN_WORD_PATH_BYTES = 64;

/** A CRC register as int32 bit patterns, updated in place. */
export interface Crc64Register {
  lo: number;
  hi: number;
}

export class ReflectedCrc64 {
  // Entry (k, b) at k * 256 + b: a byte's effect on the register when k more bytes follow it in
  // the same 8-byte block. Low and high halves in separate arrays: measured ~25% faster than
  // interleaving them.
  private readonly tableLo = new Int32Array(256 * SLICES);
  private readonly tableHi = new Int32Array(256 * SLICES);

  /** `reflectedPoly`: the polynomial bit-reversed, e.g. 0xC96C5795D7870F42n for ECMA-182. */
  constructor(reflectedPoly: bigint) {
    const polyLo = Number(reflectedPoly & 0xffffffffn) | 0;
    const polyHi = Number((reflectedPoly >> 32n) & 0xffffffffn) | 0;
    const { tableLo, tableHi } = this;
    for (let b = 0; b < 256; b++) {
      let lo = b;
      let hi = 0;
      for (let bit = 0; bit < 8; bit++) {
        const lsb = lo & 1;
        lo = (lo >>> 1) | (hi << 31);
        hi >>>= 1;
        if (lsb) {
          lo ^= polyLo;
          hi ^= polyHi;
        }
      }
      tableLo[b] = lo;
      tableHi[b] = hi;
    }
    // One more zero byte after the byte: shift the previous slice's entry by eight bits and
    // fold the byte shifted out back in through slice 0.
    for (let k = 1; k < SLICES; k++) {
      for (let b = 0; b < 256; b++) {
        const lo = tableLo[(k - 1) * 256 + b]!;
        const hi = tableHi[(k - 1) * 256 + b]!;
        const out = lo & 0xff;
        tableLo[k * 256 + b] = ((lo >>> 8) | (hi << 24)) ^ tableLo[out]!;
        tableHi[k * 256 + b] = (hi >>> 8) ^ tableHi[out]!;
      }
    }
  }

  /** Feeds bytes through the register (no pre- or post-inversion here: the caller owns those). */
  update(reg: Crc64Register, data: Uint8Array): void {
    const { tableLo, tableHi } = this;
    const n = data.length;
    let lo = reg.lo;
    let hi = reg.hi;
    let i = 0;
    // Whole 32-bit words read twice as fast as bytes assembled by hand, but an Int32Array view
    // must start on a 4-byte boundary: single bytes up to the first one.
    if (LITTLE_ENDIAN && n >= MIN_WORD_PATH_BYTES) {
      for (; ((data.byteOffset + i) & 3) !== 0; i++) {
        const t = (lo ^ data[i]!) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ tableLo[t]!;
        hi = (hi >>> 8) ^ tableHi[t]!;
      }
      const words = ((n - i) >>> 3) << 1;
      reg.lo = lo;
      reg.hi = hi;
      this.foldBlocks(reg, new Int32Array(data.buffer, data.byteOffset + i, words));
      lo = reg.lo;
      hi = reg.hi;
      i += words * 4;
    }
    for (; i < n; i++) {
      const t = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ tableLo[t]!;
      hi = (hi >>> 8) ^ tableHi[t]!;
    }
    reg.lo = lo;
    reg.hi = hi;
  }

  /** Folds 8-byte blocks, each a pair of little-endian words, into the register. */
  private foldBlocks(reg: Crc64Register, words: Int32Array): void {
    const tLo = this.tableLo;
    const tHi = this.tableHi;
    let lo = reg.lo;
    let hi = reg.hi;
    for (let w = 0; w < words.length; w += 2) {
      const a = lo ^ words[w]!;
      const b = hi ^ words[w + 1]!;
      // Byte j of the block is followed by 7 - j bytes, so it goes through table 7 - j.
      const e7 = 7 * 256 + (a & 0xff);
      const e6 = 6 * 256 + ((a >>> 8) & 0xff);
      const e5 = 5 * 256 + ((a >>> 16) & 0xff);
      const e4 = 4 * 256 + (a >>> 24);
      const e3 = 3 * 256 + (b & 0xff);
      const e2 = 2 * 256 + ((b >>> 8) & 0xff);
      const e1 = 256 + ((b >>> 16) & 0xff);
      const e0 = b >>> 24;
      lo = tLo[e7]! ^ tLo[e6]! ^ tLo[e5]! ^ tLo[e4]! ^ tLo[e3]! ^ tLo[e2]! ^ tLo[e1]! ^ tLo[e0]!;
      hi = tHi[e7]! ^ tHi[e6]! ^ tHi[e5]! ^ tHi[e4]! ^ tHi[e3]! ^ tHi[e2]! ^ tHi[e1]! ^ tHi[e0]!;
    }
    reg.lo = lo;
    reg.hi = hi;
  }
}
