// Reading chunk files: verified range reads for GetChunk, and raw observations for scrub.
// A read never hands out a byte before the block holding it has matched its stored CRC32C.
import { ChunkError, isNotFoundError } from './chunk-error.ts';
import type { ChunkFile, ChunkFileSystem } from './chunk-file-system.ts';
import {
  BlockChecksummer, CHECKSUM_BLOCK_BYTES, blockMismatch, blocksCovering, chunkFileBytes, decodeFooter,
  footerBytes, footerMismatch, type ChunkFooter, type FooterDecodeResult,
} from './chunk-format.ts';
import { crc32c } from '@node-rs/crc32';
import type { IndexEntry } from './chunk-index.ts';

/** Bytes read (and sent) per step: whole checksum blocks, large enough to amortise syscalls. */
export const READ_FRAME_BYTES = 4 * CHECKSUM_BLOCK_BYTES;

export interface ChunkFrame {
  /** Offset of data[0] within the chunk. */
  offset: number;
  data: Uint8Array;
}

/** Hears of every corrupt or missing chunk a reader runs into. */
export type DamageListener = (err: ChunkError) => void;

function isDamage(err: unknown): err is ChunkError {
  return err instanceof ChunkError && (err.code === 'ChunkCorrupt' || err.code === 'ChunkMissing');
}

function isIoError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EIO';
}

/** An open chunk file whose size and footer have been checked against its index entry. */
export class ChunkReader {
  private closed = false;

  private constructor(
    readonly entry: IndexEntry,
    private readonly file: ChunkFile,
    private readonly footer: ChunkFooter,
    private readonly onDamage: DamageListener,
  ) {}

  /**
   * Throws ChunkMissing when the file is gone and ChunkCorrupt when size or footer fail;
   * `onDamage` hears of every such error, here and later in `frames`.
   */
  static async open(fs: ChunkFileSystem, path: string, entry: IndexEntry, onDamage: DamageListener = () => {}): Promise<ChunkReader> {
    try {
      return await ChunkReader.openUnreported(fs, path, entry, onDamage);
    } catch (err) {
      if (isDamage(err)) onDamage(err);
      throw err;
    }
  }

  private static async openUnreported(
    fs: ChunkFileSystem, path: string, entry: IndexEntry, onDamage: DamageListener,
  ): Promise<ChunkReader> {
    const id = entry.chunkId;
    let file: ChunkFile;
    try {
      file = await fs.openForRead(path);
    } catch (err) {
      if (isNotFoundError(err)) throw new ChunkError('ChunkMissing', `chunk ${id}: indexed but its file is missing`, id);
      throw err;
    }
    try {
      const size = await file.size();
      const expected = chunkFileBytes(entry.length);
      if (size !== expected) throw new ChunkError('ChunkCorrupt', `chunk ${id}: file is ${size} bytes, expected ${expected}`, id);
      const region = new Uint8Array(footerBytes(entry.length));
      await file.read(region, entry.length);
      const decoded = decodeFooter(region, entry.length);
      if (!decoded.ok) throw new ChunkError('ChunkCorrupt', `chunk ${id}: ${decoded.reason}`, id);
      const mismatch = footerMismatch(decoded.footer, entry);
      if (mismatch !== undefined) throw new ChunkError('ChunkCorrupt', `chunk ${id}: ${mismatch}`, id);
      return new ChunkReader(entry, file, decoded.footer, onDamage);
    } catch (err) {
      await file.close().catch(() => undefined);
      if (isIoError(err)) throw new ChunkError('ChunkCorrupt', `chunk ${id}: ${(err as Error).message}`, id);
      throw err;
    }
  }

  /**
   * Bytes [offset, offset+length) in frames of at most READ_FRAME_BYTES, each block verified
   * before it is yielded; throws ChunkCorrupt at the first block that fails.
   */
  async *frames(offset: number, length: number): AsyncGenerator<ChunkFrame> {
    try {
      yield* this.unreportedFrames(offset, length);
    } catch (err) {
      if (isDamage(err)) this.onDamage(err);
      throw err;
    }
  }

  private async *unreportedFrames(offset: number, length: number): AsyncGenerator<ChunkFrame> {
    const { blockBytes } = this.footer;
    const id = this.entry.chunkId;
    const end = offset + length;
    const { first, end: endBlock } = blocksCovering(offset, length, blockBytes);
    const framesBlocks = Math.max(1, Math.floor(READ_FRAME_BYTES / blockBytes));
    for (let block = first; block < endBlock; block += framesBlocks) {
      const start = block * blockBytes;
      const stop = Math.min(Math.min(block + framesBlocks, endBlock) * blockBytes, this.entry.length);
      const buf = new Uint8Array(stop - start);
      let got: number;
      try {
        got = await this.file.read(buf, start);
      } catch (err) {
        if (isIoError(err)) throw new ChunkError('ChunkCorrupt', `chunk ${id}: ${(err as Error).message}`, id);
        throw err;
      }
      if (got !== buf.length) throw new ChunkError('ChunkCorrupt', `chunk ${id}: short read at byte ${start + got}`, id);
      for (let b = 0; b * blockBytes < buf.length; b++) {
        const piece = buf.subarray(b * blockBytes, (b + 1) * blockBytes);
        const mismatch = blockMismatch(this.footer, block + b, crc32c(piece));
        if (mismatch !== undefined) throw new ChunkError('ChunkCorrupt', `chunk ${id}: ${mismatch}`, id);
      }
      const from = Math.max(offset, start);
      const to = Math.min(end, stop);
      yield { offset: from, data: buf.subarray(from - start, to - start) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close();
  }
}

/** What scrub saw of one chunk file; judged by `judgeChunk` (scrub-decision.ts). */
export interface ChunkObservation {
  fileExists: boolean;
  fileBytes?: number;
  footer?: FooterDecodeResult;
  /** CRC32Cs computed from the data, present when the data was read to the end. */
  computed?: { blockCrcs: number[]; crc32c: number };
  /** An I/O error that stopped the read (EIO on a bad sector, say). */
  readError?: string;
}

/**
 * Reads one chunk file for scrub, calling `beforeRead(bytes)` before every read so the caller
 * can pace the walk. Stops at the first thing that makes further reading pointless.
 */
export async function observeChunk(
  fs: ChunkFileSystem,
  path: string,
  entry: IndexEntry,
  beforeRead: (bytes: number) => Promise<void>,
): Promise<ChunkObservation> {
  let file: ChunkFile;
  try {
    file = await fs.openForRead(path);
  } catch (err) {
    if (isNotFoundError(err)) return { fileExists: false };
    return { fileExists: true, readError: (err as Error).message };
  }
  const obs: ChunkObservation = { fileExists: true };
  try {
    obs.fileBytes = await file.size();
    if (obs.fileBytes !== chunkFileBytes(entry.length)) return obs;
    const region = new Uint8Array(footerBytes(entry.length));
    await beforeRead(region.length);
    await file.read(region, entry.length);
    obs.footer = decodeFooter(region, entry.length);
    if (!obs.footer.ok) return obs;
    const sums = new BlockChecksummer(obs.footer.footer.blockBytes);
    const buf = new Uint8Array(READ_FRAME_BYTES);
    for (let pos = 0; pos < entry.length; pos += READ_FRAME_BYTES) {
      const want = Math.min(READ_FRAME_BYTES, entry.length - pos);
      await beforeRead(want);
      const got = await file.read(buf.subarray(0, want), pos);
      if (got !== want) {
        obs.readError = `short read at byte ${pos + got}`;
        return obs;
      }
      sums.update(buf.subarray(0, want));
    }
    const computed = sums.footer();
    obs.computed = { blockCrcs: computed.blockCrcs, crc32c: computed.crc32c };
    return obs;
  } catch (err) {
    obs.readError = (err as Error).message;
    return obs;
  } finally {
    await file.close().catch(() => undefined);
  }
}
