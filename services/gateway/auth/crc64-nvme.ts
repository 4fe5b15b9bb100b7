// CRC-64/NVME, the checksum S3 calls CRC64NVME: reflected, polynomial 0xad93d23594c93659
// (0x9a6c9329ac4bc9b5 bit-reversed), initial value and final xor all ones.
//
// JavaScript has no fast 64-bit integers (BigInt allocates), so the register is kept as two
// 32-bit halves, and eight bytes are folded per step through eight tables ("slicing-by-8"):
// one table lookup per input byte instead of eight shift-and-xor rounds.

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;
const SLICES = 8;

// Table k maps a byte to the register change it causes k bytes before the end of an 8-byte
// block. Slices are stored one after another: entry (k, b) sits at k * 256 + b.
const TABLE_LO = new Int32Array(256 * SLICES);
const TABLE_HI = new Int32Array(256 * SLICES);

function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi >>>= 1;
      if (carry) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TABLE_LO[b] = lo;
    TABLE_HI[b] = hi;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + b]!;
      const prevHi = TABLE_HI[(k - 1) * 256 + b]!;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + b] = ((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]!;
      TABLE_HI[k * 256 + b] = (prevHi >>> 8) ^ TABLE_HI[idx]!;
    }
  }
}
buildTables();

/** Incremental CRC-64/NVME; `digest()` gives the 8 bytes big-endian, as S3 encodes them. */
export class Crc64Nvme {
  // The register, pre-inverted (initial value all ones). Held as int32 bit patterns.
  private lo = -1;
  private hi = -1;

  update(data: Uint8Array): this {
    const n = data.length;
    let i = 0;
    let lo = this.lo;
    let hi = this.hi;
    // Reading whole 32-bit words is twice as fast as assembling them from bytes, but a typed
    // array view must start on a 4-byte boundary: walk single bytes up to one first.
    if (LITTLE_ENDIAN && n >= MIN_WORD_PATH_BYTES) {
      for (; ((data.byteOffset + i) & 3) !== 0; i++) {
        const idx = (lo ^ data[i]!) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
        hi = (hi >>> 8) ^ TABLE_HI[idx]!;
      }
      const words = ((n - i) >>> 3) << 1;
      const regs = foldWords(new Int32Array(data.buffer, data.byteOffset + i, words), lo, hi);
      lo = regs.lo;
      hi = regs.hi;
      i += words * 4;
    }
    for (; i < n; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
      hi = (hi >>> 8) ^ TABLE_HI[idx]!;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Below this, setting up the word view costs more than it saves. */
const MIN_WORD_PATH_BYTES = 64;

// The returned pair is reused: update() runs per network chunk, and a fresh object each time
// would be garbage for nothing.
const folded = { lo: 0, hi: 0 };

/** Folds pairs of little-endian words (one 8-byte block per pair) into the register. */
function foldWords(words: Int32Array, lo: number, hi: number): { lo: number; hi: number } {
  const tLo = TABLE_LO;
  const tHi = TABLE_HI;
  for (let w = 0; w < words.length; w += 2) {
    // Byte j of the block (register already xored in) indexes the table for the 7 - j bytes
    // that follow it within the block.
    const a = lo ^ words[w]!;
    const b = hi ^ words[w + 1]!;
    const i7 = 7 * 256 + (a & 0xff);
    const i6 = 6 * 256 + ((a >>> 8) & 0xff);
    const i5 = 5 * 256 + ((a >>> 16) & 0xff);
    const i4 = 4 * 256 + (a >>> 24);
    const i3 = 3 * 256 + (b & 0xff);
    const i2 = 2 * 256 + ((b >>> 8) & 0xff);
    const i1 = 256 + ((b >>> 16) & 0xff);
    const i0 = b >>> 24;
    lo = tLo[i7]! ^ tLo[i6]! ^ tLo[i5]! ^ tLo[i4]! ^ tLo[i3]! ^ tLo[i2]! ^ tLo[i1]! ^ tLo[i0]!;
    hi = tHi[i7]! ^ tHi[i6]! ^ tHi[i5]! ^ tHi[i4]! ^ tHi[i3]! ^ tHi[i2]! ^ tHi[i1]! ^ tHi[i0]!;
  }
  folded.lo = lo;
  folded.hi = hi;
  return folded;
}

/** CRC-64/NVME of one buffer, 8 bytes big-endian. */
export function crc64Nvme(data: Uint8Array): Buffer {
  return new Crc64Nvme().update(data).digest();
}
