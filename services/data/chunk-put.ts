// One put in progress. Bytes go to a temp file while their CRC32C (whole and per block) is
// computed; commit checks length and CRC against the header, appends the footer, fsyncs,
// renames into place, fsyncs the directory and only then writes the index entry. Any failure
// removes whatever was written, so a rejected or failed put leaves nothing behind; a crash
// leaves at most a temp file or an unindexed file, both removed by startup recovery.
import { ChunkError, isDiskFullError, isNotFoundError } from './chunk-error.ts';
import type { ChunkFile, ChunkFileSystem } from './chunk-file-system.ts';
import { BlockChecksummer, encodeFooter, hex32 } from './chunk-format.ts';
import type { IndexEntry } from './chunk-index.ts';

export interface PutHeader {
  chunkId: string;
  length: number;
  crc32c: number;
}

/** What a put needs from its store: paths, the index and the end-of-put bookkeeping. */
export interface ChunkPutContext {
  fs: ChunkFileSystem;
  tempPath: string;
  finalPath: string;
  finalDir: string;
  /** Creates the fan-out directory (durably) when missing. */
  ensureDir(dir: string): Promise<void>;
  /** Durably records the entry; the chunk exists from then on. */
  commitIndex(entry: IndexEntry): Promise<void>;
  /** Called exactly once when the put ends, with the entry when it was committed. */
  onEnd(committed: IndexEntry | undefined): void;
  now(): number;
}

type PutState = 'open' | 'committing' | 'committed' | 'aborted';

export class ChunkPut {
  private readonly checksums = new BlockChecksummer();
  private state: PutState = 'open';
  private renamed = false;

  private constructor(
    readonly header: PutHeader,
    private readonly ctx: ChunkPutContext,
    private file: ChunkFile | undefined,
  ) {}

  static async begin(header: PutHeader, ctx: ChunkPutContext): Promise<ChunkPut> {
    try {
      return new ChunkPut(header, ctx, await ctx.fs.create(ctx.tempPath));
    } catch (err) {
      ctx.onEnd(undefined);
      throw storeError(err, header.chunkId);
    }
  }

  get bytesReceived(): number {
    return this.checksums.bytes;
  }

  /** Appends `data`; on any error the put is aborted before the error is thrown. */
  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    const position = this.checksums.bytes;
    if (position + data.length > this.header.length) {
      await this.abort();
      throw new ChunkError(
        'InvalidRequest',
        `chunk ${this.header.chunkId}: received more than the announced ${this.header.length} bytes; nothing stored`,
        this.header.chunkId,
      );
    }
    try {
      await this.file!.write(data, position);
    } catch (err) {
      await this.abort();
      throw storeError(err, this.header.chunkId);
    }
    this.checksums.update(data);
  }

  /** Verifies and makes the chunk durable and visible; aborts (and throws) when it cannot. */
  async commit(): Promise<IndexEntry> {
    this.assertOpen();
    this.state = 'committing';
    const { chunkId, length, crc32c } = this.header;
    try {
      if (this.checksums.bytes !== length) {
        throw new ChunkError('InvalidRequest',
          `chunk ${chunkId}: stream ended after ${this.checksums.bytes} of ${length} announced bytes; nothing stored`, chunkId);
      }
      if (this.checksums.crc32c !== crc32c) {
        throw new ChunkError('ChecksumMismatch',
          `chunk ${chunkId}: received bytes have crc32c 0x${hex32(this.checksums.crc32c)}, header says 0x${hex32(crc32c)}; nothing stored`,
          chunkId);
      }
      const file = this.file!;
      await file.write(encodeFooter(this.checksums.footer()), length);
      await file.sync();
      this.file = undefined;
      await file.close();
      await this.ctx.ensureDir(this.ctx.finalDir);
      await this.ctx.fs.rename(this.ctx.tempPath, this.ctx.finalPath);
      this.renamed = true;
      await this.ctx.fs.syncDir(this.ctx.finalDir);
      const entry: IndexEntry = { chunkId, length, crc32c, createdUnixMs: this.ctx.now() };
      await this.ctx.commitIndex(entry);
      this.state = 'committed';
      this.ctx.onEnd(entry);
      return entry;
    } catch (err) {
      this.state = 'open';
      await this.abort();
      throw storeError(err, chunkId);
    }
  }

  /** Removes everything this put wrote; safe to call more than once and after errors. */
  async abort(): Promise<void> {
    if (this.state === 'aborted' || this.state === 'committed') return;
    this.state = 'aborted';
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
    // After the rename the file sits at its final path with no index entry: garbage to remove.
    // If even the unlink fails, startup recovery removes the file; the put still ends here.
    await removeIfPresent(this.ctx.fs, this.renamed ? this.ctx.finalPath : this.ctx.tempPath).catch(() => undefined);
    this.ctx.onEnd(undefined);
  }

  private assertOpen(): void {
    if (this.state !== 'open') {
      throw new ChunkError('InvalidRequest', `chunk ${this.header.chunkId}: put is already ${this.state}`, this.header.chunkId);
    }
  }
}

async function removeIfPresent(fs: ChunkFileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (err) {
    if (!isNotFoundError(err)) throw err;
  }
}

/** Disk-full errors become InsufficientCapacity; everything else passes through. */
function storeError(err: unknown, chunkId: string): unknown {
  if (isDiskFullError(err)) {
    return new ChunkError('InsufficientCapacity',
      `chunk ${chunkId}: disk full (${(err as Error).message}); nothing stored`, chunkId);
  }
  return err;
}
