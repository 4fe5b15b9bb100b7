// CRC-64/XZ, which OSS calls crc64ecma and returns in `x-oss-hash-crc64ecma` as an unsigned
// decimal: the ECMA-182 polynomial 0x42F0E1EBA9EA3693 in reflected form (0xC96C5795D7870F42),
// initial value and final xor all ones. Check value: "123456789" → 0x995DC9BBDF1939FA.
//
// Hashing never touches BigInt (reflected-crc64.ts keeps the register in two int32 halves);
// BigInt appears only at the edges (the finished value) and in combineCrc64Ecma, which runs
// once per part, not per byte.
import { type Crc64Register, ReflectedCrc64 } from './reflected-crc64.ts';

const REFLECTED_POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;
const ENGINE = new ReflectedCrc64(REFLECTED_POLY);

/** Incremental CRC-64/XZ (OSS crc64ecma). */
export class Crc64Ecma {
  // The register, pre-inverted (initial value all ones).
  private readonly reg: Crc64Register = { lo: -1, hi: -1 };

  /**
   * Starts fresh, or continues from the finished CRC of bytes already hashed (an appendable
   * object's stored value), as if those bytes had been passed to update() first.
   */
  constructor(resumeFrom?: bigint) {
    if (resumeFrom !== undefined) {
      const register = ~resumeFrom & MASK64;
      this.reg.lo = Number(register & 0xffffffffn) | 0;
      this.reg.hi = Number(register >> 32n) | 0;
    }
  }

  update(data: Uint8Array): this {
    ENGINE.update(this.reg, data);
    return this;
  }

  /** The CRC so far. update() may still follow. */
  value(): bigint {
    return (BigInt(~this.reg.hi >>> 0) << 32n) | BigInt(~this.reg.lo >>> 0);
  }

  /** The CRC as OSS writes it in `x-oss-hash-crc64ecma`: unsigned decimal. */
  digest(): string {
    return this.value().toString();
  }

  /** The CRC as 8 bytes, big-endian (the form a Checksum-style `digest(): Buffer` wants). */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.reg.hi >>> 0, 0);
    out.writeUInt32BE(~this.reg.lo >>> 0, 4);
    return out;
  }
}

/** CRC-64/XZ of one buffer. */
export function crc64Ecma(data: Uint8Array): bigint {
  return new Crc64Ecma().update(data).value();
}

// ---- combining --------------------------------------------------------------------------------
// A CRC is affine in its input, so crc(A‖B) = (crc(A) · x^(8·|B|) mod P) ⊕ crc(B): the
// all-ones init and final xor cancel out (zlib's crc32_combine argument). Polynomials here are
// reflected 64-bit values: bit 63 is the coefficient of x^0.

const X0 = 1n << 63n;
const MAX_COMBINE_BYTES = 1n << 61n;

/** a · b mod P, both reflected. */
function multiplyModP(a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let m = X0; m !== 0n; m >>= 1n) {
    if ((a & m) !== 0n) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    b = (b & 1n) !== 0n ? (b >> 1n) ^ REFLECTED_POLY : b >> 1n;
  }
  return product;
}

// X_POWER_OF_2[k] = x^(2^k) mod P, enough for any length below 2^61 bytes (2^64 bits).
const X_POWER_OF_2: bigint[] = [];
{
  let p = X0 >> 1n; // x^1
  for (let k = 0; k < 64; k++) {
    X_POWER_OF_2.push(p);
    p = multiplyModP(p, p);
  }
}

/** x^(bytes · 8) mod P. */
function shiftByBytes(bytes: bigint): bigint {
  let p = X0;
  let k = 3; // eight bits per byte: start at x^(2^3)
  for (let n = bytes; n > 0n; n >>= 1n, k++) {
    if ((n & 1n) !== 0n) p = multiplyModP(X_POWER_OF_2[k]!, p);
  }
  return p;
}

/**
 * The CRC of A‖B from crc(A), crc(B) and B's length in bytes: a multipart object's CRC from
 * its parts' CRCs, in order, without reading the data again.
 */
export function combineCrc64Ecma(crcA: bigint, crcB: bigint, lengthB: number | bigint): bigint {
  const length = BigInt(lengthB);
  if (length < 0n || length >= MAX_COMBINE_BYTES) throw new RangeError(`lengthB must be in [0, 2^61), not ${length}`);
  if (length === 0n) return crcA;
  return multiplyModP(shiftByBytes(length), crcA) ^ crcB;
}

/** A CRC from an `x-oss-hash-crc64ecma` value (unsigned decimal), or undefined if it is not one. */
export function parseCrc64Ecma(text: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MASK64 ? value : undefined;
}
