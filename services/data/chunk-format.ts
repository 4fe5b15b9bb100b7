// The on-disk format of one chunk file, pure encode/decode and checks (no I/O):
//
//   data (length bytes) ‖ block table (one CRC32C per CHECKSUM_BLOCK_BYTES of data, u32 LE)
//   ‖ trailer: length u64 ‖ crc32c u32 ‖ blockBytes u32 ‖ version u16 ‖ reserved u16
//              ‖ footerCrc u32 ‖ magic u32                                  (all little-endian)
//
// Per-block checksums let a range read verify exactly the blocks it sends, before sending
// them, without reading the whole chunk. The footer makes a file self-describing: its length
// and CRC are checked against the index on every open, and footerCrc (over the table and the
// trailer fields before it) catches a damaged footer.
import { crc32c } from '@node-rs/crc32';

/** Granularity of read verification: a range read touches whole blocks of this size. */
export const CHECKSUM_BLOCK_BYTES = 64 * 1024;
/** Largest chunk accepted (a chunk is one shard of one stripe range, not an object). */
export const MAX_CHUNK_BYTES = 256 * 1024 * 1024;
export const CHUNK_FORMAT_VERSION = 1;
/** 'ZSCK' read as a little-endian u32. */
export const CHUNK_FOOTER_MAGIC = 0x4b43535a;
export const TRAILER_BYTES = 28;
const BLOCK_CRC_BYTES = 4;
/** Trailer bytes covered by footerCrc (everything before footerCrc and magic). */
const TRAILER_CHECKED_BYTES = 20;

export interface ChunkFooter {
  length: number;
  crc32c: number;
  blockBytes: number;
  blockCrcs: number[];
}

export function blockCount(length: number, blockBytes = CHECKSUM_BLOCK_BYTES): number {
  return Math.ceil(length / blockBytes);
}

export function footerBytes(length: number, blockBytes = CHECKSUM_BLOCK_BYTES): number {
  return blockCount(length, blockBytes) * BLOCK_CRC_BYTES + TRAILER_BYTES;
}

/** Size of the file holding a chunk of `length` data bytes. */
export function chunkFileBytes(length: number): number {
  return length + footerBytes(length);
}

export function encodeFooter(footer: ChunkFooter): Uint8Array {
  const tableBytes = footer.blockCrcs.length * BLOCK_CRC_BYTES;
  const out = new Uint8Array(tableBytes + TRAILER_BYTES);
  const view = new DataView(out.buffer);
  footer.blockCrcs.forEach((crc, i) => view.setUint32(i * BLOCK_CRC_BYTES, crc, true));
  const t = tableBytes;
  view.setBigUint64(t, BigInt(footer.length), true);
  view.setUint32(t + 8, footer.crc32c, true);
  view.setUint32(t + 12, footer.blockBytes, true);
  view.setUint16(t + 16, CHUNK_FORMAT_VERSION, true);
  view.setUint16(t + 18, 0, true);
  view.setUint32(t + 20, crc32c(out.subarray(0, t + TRAILER_CHECKED_BYTES)), true);
  view.setUint32(t + 24, CHUNK_FOOTER_MAGIC, true);
  return out;
}

export type FooterDecodeResult = { ok: true; footer: ChunkFooter } | { ok: false; reason: string };

/**
 * Decodes a footer given the whole footer region (table + trailer) as it sits at the end of
 * the file, for a chunk the index says is `expectedLength` bytes.
 */
export function decodeFooter(bytes: Uint8Array, expectedLength: number): FooterDecodeResult {
  if (bytes.length < TRAILER_BYTES) return { ok: false, reason: `footer is ${bytes.length} bytes, shorter than the trailer` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const t = bytes.length - TRAILER_BYTES;
  const magic = view.getUint32(t + 24, true);
  if (magic !== CHUNK_FOOTER_MAGIC) return { ok: false, reason: `bad footer magic 0x${hex32(magic)}` };
  const storedFooterCrc = view.getUint32(t + 20, true);
  const actualFooterCrc = crc32c(bytes.subarray(0, t + TRAILER_CHECKED_BYTES));
  if (storedFooterCrc !== actualFooterCrc) {
    return { ok: false, reason: `footer checksum 0x${hex32(actualFooterCrc)} != stored 0x${hex32(storedFooterCrc)}` };
  }
  const version = view.getUint16(t + 16, true);
  if (version !== CHUNK_FORMAT_VERSION) return { ok: false, reason: `unknown chunk format version ${version}` };
  const length = Number(view.getBigUint64(t, true));
  const blockBytes = view.getUint32(t + 12, true);
  if (length !== expectedLength) return { ok: false, reason: `footer length ${length} != indexed length ${expectedLength}` };
  if (blockBytes === 0 || t !== blockCount(length, blockBytes) * BLOCK_CRC_BYTES) {
    return { ok: false, reason: `footer block table (${t} bytes, block ${blockBytes}) does not fit length ${length}` };
  }
  const blockCrcs: number[] = [];
  for (let i = 0; i < t; i += BLOCK_CRC_BYTES) blockCrcs.push(view.getUint32(i, true));
  return { ok: true, footer: { length, crc32c: view.getUint32(t + 8, true), blockBytes, blockCrcs } };
}

/** Why a decoded footer disagrees with the index entry, or undefined when it agrees. */
export function footerMismatch(footer: ChunkFooter, indexed: { length: number; crc32c: number }): string | undefined {
  if (footer.length !== indexed.length) return `footer length ${footer.length} != indexed ${indexed.length}`;
  if (footer.crc32c !== indexed.crc32c) {
    return `footer crc32c 0x${hex32(footer.crc32c)} != indexed 0x${hex32(indexed.crc32c)}`;
  }
  return undefined;
}

/** Why block `index` with computed CRC `actual` fails, or undefined when it verifies. */
export function blockMismatch(footer: ChunkFooter, index: number, actual: number): string | undefined {
  const stored = footer.blockCrcs[index];
  if (stored === actual) return undefined;
  return `block ${index} (bytes ${index * footer.blockBytes}..) crc32c 0x${hex32(actual)} != stored 0x${hex32(stored ?? 0)}`;
}

/** The blocks holding bytes [offset, offset+length) of a chunk: first and one-past-last index. */
export function blocksCovering(offset: number, length: number, blockBytes: number): { first: number; end: number } {
  if (length === 0) return { first: 0, end: 0 };
  return { first: Math.floor(offset / blockBytes), end: Math.ceil((offset + length) / blockBytes) };
}

export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Incremental CRC32C of a stream, whole and per block, fed in arbitrary slices: what a put
 * computes as bytes arrive so the footer needs no second pass over the data.
 */
export class BlockChecksummer {
  private wholeCrc = 0;
  private blockCrc = 0;
  private blockFill = 0;
  private readonly blockCrcs: number[] = [];
  private total = 0;

  constructor(private readonly blockBytes = CHECKSUM_BLOCK_BYTES) {}

  update(data: Uint8Array): void {
    this.wholeCrc = crc32c(data, this.wholeCrc);
    let off = 0;
    while (off < data.length) {
      const take = Math.min(this.blockBytes - this.blockFill, data.length - off);
      this.blockCrc = crc32c(data.subarray(off, off + take), this.blockCrc);
      this.blockFill += take;
      off += take;
      if (this.blockFill === this.blockBytes) {
        this.blockCrcs.push(this.blockCrc);
        this.blockCrc = 0;
        this.blockFill = 0;
      }
    }
    this.total += data.length;
  }

  get bytes(): number {
    return this.total;
  }

  get crc32c(): number {
    return this.wholeCrc;
  }

  /** The footer for everything fed so far (the partial last block included). */
  footer(): ChunkFooter {
    const blockCrcs = this.blockFill > 0 ? [...this.blockCrcs, this.blockCrc] : [...this.blockCrcs];
    return { length: this.total, crc32c: this.wholeCrc, blockBytes: this.blockBytes, blockCrcs };
  }
}
