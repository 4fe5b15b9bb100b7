// AES-CTR counter arithmetic for client-side encryption (the OSS crypto client format). The
// object is one CTR stream: byte `offset` of the plaintext is enciphered with keystream block
// floor(offset / 16), whose counter is the object's IV plus that block index, added as one
// 128-bit big-endian number (what AES-CTR itself does when it steps from block to block). So a
// ranged read or a multipart part can start the cipher anywhere on a 16-byte boundary.
//
// OSS clients generate IVs whose bytes 8..11 are zero and 12..15 small, so their own "add to
// the low 64 bits" arithmetic never carries; the full 128-bit add here gives the same counter
// for those IVs and stays right for any other IV.

export const CTR_BLOCK_BYTES = 16;
export const CTR_IV_BYTES = 16;

/** The counter block that enciphers the block holding byte `offset` (offset a multiple of 16 or not). */
export function counterAt(iv: Uint8Array, offset: number): Buffer {
  if (iv.length !== CTR_IV_BYTES) throw new RangeError(`an AES-CTR IV is ${CTR_IV_BYTES} bytes, not ${iv.length}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset ${offset} is not a byte position`);
  const out = Buffer.from(iv);
  let carry = BigInt(Math.floor(offset / CTR_BLOCK_BYTES));
  for (let i = CTR_IV_BYTES - 1; i >= 0 && carry > 0n; i--) {
    const sum = BigInt(out[i]!) + (carry & 0xffn);
    out[i] = Number(sum & 0xffn);
    carry = (carry >> 8n) + (sum >> 8n);
  }
  return out;
}

export interface AlignedRange {
  /** First byte to fetch: the requested start rounded down to a CTR block. */
  fetchStart: number;
  /** Bytes of the fetched data before the requested start (dropped after decryption). */
  skip: number;
}

/** What to fetch for a plaintext range starting at `start`: ciphertext and plaintext offsets coincide in CTR. */
export function alignRangeStart(start: number): AlignedRange {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`range start ${start} is not a byte position`);
  const fetchStart = start - (start % CTR_BLOCK_BYTES);
  return { fetchStart, skip: start - fetchStart };
}

/** Where part `partNumber` (1-based) of a multipart upload starts, all parts but the last being `partSize`. */
export function partOffset(partNumber: number, partSize: number): number {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1) throw new RangeError(`part number ${partNumber} must be a positive integer`);
  assertPartSize(partSize);
  return (partNumber - 1) * partSize;
}

/** A part size keeps the counter running across parts only when every part ends on a block boundary. */
export function assertPartSize(partSize: number): void {
  if (!Number.isSafeInteger(partSize) || partSize <= 0 || partSize % CTR_BLOCK_BYTES !== 0) {
    throw new RangeError(`part size ${partSize} must be a positive multiple of ${CTR_BLOCK_BYTES} bytes (the AES block)`);
  }
}

/**
 * A fresh IV in the OSS clients' shape: 8 random bytes, 4 zero bytes, 4 random bytes — so an
 * OSS client that adds block counts to the low 64 bits only never overflows them.
 */
export function ossShapedIv(random: Uint8Array): Buffer {
  if (random.length !== 12) throw new RangeError('12 random bytes make an IV (8 high, 4 low)');
  const iv = Buffer.alloc(CTR_IV_BYTES);
  iv.set(random.subarray(0, 8), 0);
  iv.set(random.subarray(8, 12), 12);
  return iv;
}
