// The chunk store: immutable, checksummed chunks as files under fan-out directories, with a
// classic-level index saying which exist. Layout under the store's directory:
//
//   chunks/abc/abcd…     one file per chunk (data ‖ block checksums ‖ trailer, chunk-format.ts)
//   tmp/                 puts in progress; emptied at startup
//   index/               classic-level: chunk id → length, CRC32C, creation time
//
// Every chunk id is validated hex before it becomes a path. At most one put or delete runs per
// id at a time (a second one fails with ChunkBusy rather than racing it).
import { dirname, join } from 'node:path';
import { ChunkError } from './chunk-error.ts';
import { FAN_OUT_LEVELS, fanOutDirs, validateChunkId } from './chunk-id.ts';
import { nodeChunkFileSystem, type ChunkFileSystem } from './chunk-file-system.ts';
import { MAX_CHUNK_BYTES, chunkFileBytes } from './chunk-format.ts';
import { ChunkIndex, type IndexEntry } from './chunk-index.ts';
import { ChunkPut, type PutHeader } from './chunk-put.ts';
import { ChunkReader, observeChunk, type ChunkObservation } from './chunk-reader.ts';
import { recoverChunkDir, type ChunkStoreLayout, type RecoveryReport } from './chunk-recovery.ts';

/** Free filesystem space a put must leave, so the index can always still be written. */
export const DEFAULT_FREE_SPACE_RESERVE_BYTES = 16 * 1024 * 1024;
/**
 * A free-space reading (statfs) is reused for this long, less what this store wrote since; a
 * statfs per put was ~1.5% of a zone's CPU on small writes. Near the reserve it is read afresh.
 */
export const FREE_SPACE_SAMPLE_MS = 1_000;
/** Below this many bytes above the reserve, every admission reads the filesystem itself. */
const FRESH_READING_MARGIN_BYTES = 256 * 1024 * 1024;
export const MAX_LIST_PAGE = 1000;

export interface ChunkStoreOptions {
  dir: string;
  /** Data bytes this store may hold; defaults to the size of its filesystem. */
  capacityBytes?: number;
  freeSpaceReserveBytes?: number;
  fs?: ChunkFileSystem;
  now?: () => number;
  /** Told when a read (not scrub, which reports for itself) finds a damaged chunk. */
  onReadDamage?: (damage: ChunkDamage) => void;
}

export interface ChunkDamage {
  chunkId: string;
  kind: 'corrupt' | 'missing';
  detail: string;
}

export interface ChunkStoreUsage {
  capacityBytes: number;
  usedBytes: number;
  chunkCount: number;
  filesystemFreeBytes: number;
  /** Damaged chunks found by reads since startup. */
  readDamageFound: number;
}

/** Room held for a put in progress. */
interface Reservation {
  dataBytes: number;
  fileBytes: number;
}

export type BeginPutResult =
  | { kind: 'put'; put: ChunkPut; /** The put replaces a damaged chunk of the same id (repair). */ replacing: boolean }
  | { kind: 'existing'; entry: IndexEntry };

export interface BeginPutOptions {
  /**
   * Repair: an identical entry (same length and CRC32C) whose file is gone or fails its
   * checksums is replaced by this put instead of answering `existing`. The new file is renamed
   * over the old one, so a reader sees one or the other, never a mix.
   */
  replaceDamaged?: boolean;
}

export class ChunkStore {
  private readonly busy = new Set<string>();
  private readonly knownDirs = new Set<string>();
  private readonly reserved: Reservation = { dataBytes: 0, fileBytes: 0 };
  /** The last statfs reading and the file bytes this store committed since. */
  private spaceSample: { freeBytes: number; atMs: number; writtenSince: number } | undefined;
  private usedBytes = 0;
  private chunkCount = 0;
  private readDamageFound = 0;
  private tempSeq = 0;
  private closed = false;

  private constructor(
    private readonly opts: ChunkStoreOptions,
    readonly layout: ChunkStoreLayout,
    private readonly fs: ChunkFileSystem,
    private readonly index: ChunkIndex,
    private readonly capacityBytes: number,
    readonly recovery: RecoveryReport,
  ) {}

  /** Opens (creating when new) the store in `opts.dir` and runs startup recovery. */
  static async open(opts: ChunkStoreOptions): Promise<ChunkStore> {
    const fs = opts.fs ?? nodeChunkFileSystem;
    const layout: ChunkStoreLayout = {
      chunksDir: join(opts.dir, 'chunks'),
      tmpDir: join(opts.dir, 'tmp'),
      indexDir: join(opts.dir, 'index'),
    };
    for (const d of [layout.chunksDir, layout.tmpDir]) await fs.mkdir(d);
    await fs.syncDir(opts.dir);
    const index = await ChunkIndex.open(layout.indexDir);
    try {
      const recovery = await recoverChunkDir(fs, layout, index);
      const capacity = opts.capacityBytes ?? (await fs.space(opts.dir)).totalBytes;
      const store = new ChunkStore(opts, layout, fs, index, capacity, recovery);
      for await (const e of index.all()) {
        store.usedBytes += e.length;
        store.chunkCount++;
      }
      return store;
    } catch (err) {
      await index.close();
      throw err;
    }
  }

  /** Where chunk `id` lives (the id must already be valid). */
  pathOf(id: string): string {
    return join(this.layout.chunksDir, ...fanOutDirs(id), id);
  }

  /**
   * Starts a put, or reports the identical chunk already stored (unless it is damaged and
   * `replaceDamaged` asks for it to be replaced). Fails early — before any byte is sent — for
   * a bad id or length, a different chunk under the id, a busy id, or no room.
   */
  async beginPut(header: PutHeader, opts: BeginPutOptions = {}): Promise<BeginPutResult> {
    this.assertOpen();
    const id = validateChunkId(header.chunkId);
    if (!Number.isSafeInteger(header.length) || header.length < 0 || header.length > MAX_CHUNK_BYTES) {
      throw new ChunkError('InvalidRequest', `chunk ${id}: length ${header.length} outside 0..${MAX_CHUNK_BYTES}`, id);
    }
    this.claim(id);
    // Until ChunkPut takes over (its onEnd releases the claim and the reservation), undo here.
    let handedOff = false;
    try {
      const existing = await this.index.get(id);
      let replacing = false;
      if (existing !== undefined) {
        if (existing.length !== header.length || existing.crc32c !== (header.crc32c >>> 0)) {
          throw new ChunkError('ChunkExists',
            `chunk ${id} exists with length ${existing.length} and a different checksum or length; chunks are write-once`, id);
        }
        if (!opts.replaceDamaged || await this.isIntact(existing)) return { kind: 'existing', entry: existing };
        replacing = true;
      }
      const reserved = await this.reserveSpace(id, header.length, replacing);
      const dir = join(this.layout.chunksDir, ...fanOutDirs(id));
      handedOff = true;
      const put = await ChunkPut.begin({ chunkId: id, length: header.length, crc32c: header.crc32c >>> 0 }, {
        fs: this.fs,
        tempPath: join(this.layout.tmpDir, `${id}.${process.pid}.${++this.tempSeq}.tmp`),
        finalPath: join(dir, id),
        finalDir: dir,
        ensureDir: (d) => this.ensureDir(d),
        commitIndex: (entry) => this.index.write([{ type: 'put', entry }]),
        onEnd: (committed) => {
          this.adjustReserved(reserved, -1);
          this.busy.delete(id);
          if (committed) {
            if (this.spaceSample) this.spaceSample.writtenSince += chunkFileBytes(committed.length);
            // A replaced chunk was counted already (same id, same length).
            if (!replacing) {
              this.usedBytes += committed.length;
              this.chunkCount++;
            }
          }
        },
        now: this.opts.now ?? Date.now,
      });
      return { kind: 'put', put, replacing };
    } finally {
      if (!handedOff) this.busy.delete(id);
    }
  }

  /** The entry for `id`; NotFound when the index does not list it. */
  async stat(chunkId: string): Promise<IndexEntry> {
    this.assertOpen();
    const id = validateChunkId(chunkId);
    const entry = await this.index.get(id);
    if (entry === undefined) throw new ChunkError('ChunkNotFound', `chunk ${id} not found`, id);
    return entry;
  }

  /**
   * Opens `chunkId` for a verified read of [offset, offset+length); length 0 reads to the end.
   * The caller must close the reader.
   */
  async openRead(chunkId: string, offset = 0, length = 0): Promise<{ reader: ChunkReader; offset: number; length: number }> {
    const entry = await this.stat(chunkId);
    const id = entry.chunkId;
    const want = length === 0 ? entry.length - offset : length;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > entry.length || want < 0 || offset + want > entry.length) {
      throw new ChunkError('RangeNotSatisfiable',
        `chunk ${id}: range offset ${offset} length ${length} outside its ${entry.length} bytes`, id);
    }
    const reader = await ChunkReader.open(this.fs, this.pathOf(id), entry, (err) => this.noteDamage(err));
    return { reader, offset, length: want };
  }

  /** Reads all of `chunkId` and checks every checksum; ChunkCorrupt/ChunkMissing otherwise. */
  async verify(chunkId: string): Promise<IndexEntry> {
    const { reader, offset, length } = await this.openRead(chunkId);
    try {
      for await (const frame of reader.frames(offset, length)) void frame;
      return reader.entry;
    } finally {
      await reader.close();
    }
  }

  /** True when the chunk's file is there and every checksum holds (damage is reported as on any read). */
  private async isIntact(entry: IndexEntry): Promise<boolean> {
    let reader: ChunkReader | undefined;
    try {
      reader = await ChunkReader.open(this.fs, this.pathOf(entry.chunkId), entry, (err) => this.noteDamage(err));
      for await (const frame of reader.frames(0, entry.length)) void frame;
      return true;
    } catch (err) {
      if (err instanceof ChunkError && (err.code === 'ChunkCorrupt' || err.code === 'ChunkMissing')) return false;
      throw err;
    } finally {
      await reader?.close();
    }
  }

  /** Removes the chunk: index entry first (then it is gone), file second. */
  async delete(chunkId: string): Promise<IndexEntry> {
    this.assertOpen();
    const id = validateChunkId(chunkId);
    this.claim(id);
    try {
      const entry = await this.index.get(id);
      if (entry === undefined) throw new ChunkError('ChunkNotFound', `chunk ${id} not found`, id);
      await this.index.write([{ type: 'del', chunkId: id }]);
      this.usedBytes -= entry.length;
      this.chunkCount--;
      // A crash before this unlink leaves an unindexed file, which startup recovery removes;
      // so the unlink needs no directory fsync.
      await this.fs.unlink(this.pathOf(id)).catch(() => undefined);
      return entry;
    } finally {
      this.busy.delete(id);
    }
  }

  /** Up to `limit` (capped at MAX_LIST_PAGE) entries after `after`, in id order. */
  list(after: string, limit: number): Promise<IndexEntry[]> {
    this.assertOpen();
    if (after !== '') validateChunkId(after);
    return this.index.page(after, Math.min(Math.max(1, limit), MAX_LIST_PAGE));
  }

  /** The index entry of `chunkId` as it is now, or undefined (used to re-check scrub findings). */
  lookup(chunkId: string): Promise<IndexEntry | undefined> {
    this.assertOpen();
    return this.index.get(chunkId);
  }

  /** Reads a chunk's file for scrub; see observeChunk. */
  observe(entry: IndexEntry, beforeRead: (bytes: number) => Promise<void>): Promise<ChunkObservation> {
    this.assertOpen();
    return observeChunk(this.fs, this.pathOf(entry.chunkId), entry, beforeRead);
  }

  async usage(): Promise<ChunkStoreUsage> {
    const space = await this.fs.space(this.opts.dir);
    return {
      capacityBytes: this.capacityBytes,
      usedBytes: this.usedBytes,
      chunkCount: this.chunkCount,
      filesystemFreeBytes: space.freeBytes,
      readDamageFound: this.readDamageFound,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.index.close();
  }

  private claim(id: string): void {
    if (this.busy.has(id)) throw new ChunkError('ChunkBusy', `chunk ${id}: another put or delete of it is in progress`, id);
    this.busy.add(id);
  }

  /**
   * Reserves room for a chunk of `length` bytes: data bytes against the capacity, file bytes
   * against the filesystem's free space. Taken before anything is awaited, so concurrent puts
   * cannot all be admitted against the same room.
   */
  private async reserveSpace(id: string, length: number, replacing = false): Promise<Reservation> {
    // Replacing a damaged chunk stores no more data than before (its file is still reserved).
    if (!replacing && this.usedBytes + this.reserved.dataBytes + length > this.capacityBytes) {
      throw new ChunkError('InsufficientCapacity',
        `chunk ${id}: ${length} bytes would exceed capacity (${this.usedBytes} used + ${this.reserved.dataBytes} reserved of ${this.capacityBytes})`, id);
    }
    const r: Reservation = { dataBytes: length, fileBytes: chunkFileBytes(length) };
    this.adjustReserved(r, 1);
    try {
      const keepFree = this.opts.freeSpaceReserveBytes ?? DEFAULT_FREE_SPACE_RESERVE_BYTES;
      const freeBytes = await this.freeBytes(keepFree);
      // Other puts' reservations count in full even though part of them is already written
      // (and so already missing from freeBytes): conservative, never over-admitting.
      if (freeBytes - this.reserved.fileBytes < keepFree) {
        throw new ChunkError('InsufficientCapacity',
          `chunk ${id}: disk has ${freeBytes} bytes free, puts in progress need ${this.reserved.fileBytes} of them, and ${keepFree} must stay free`, id);
      }
      return r;
    } catch (err) {
      this.adjustReserved(r, -1);
      throw err;
    }
  }

  /** Free filesystem bytes: a recent reading less what was written since, or a fresh one near the reserve. */
  private async freeBytes(keepFree: number): Promise<number> {
    const now = (this.opts.now ?? Date.now)();
    const s = this.spaceSample;
    if (s && now - s.atMs < FREE_SPACE_SAMPLE_MS) {
      const estimate = s.freeBytes - s.writtenSince;
      if (estimate - this.reserved.fileBytes >= keepFree + FRESH_READING_MARGIN_BYTES) return estimate;
    }
    const { freeBytes } = await this.fs.space(this.opts.dir);
    this.spaceSample = { freeBytes, atMs: now, writtenSince: 0 };
    return freeBytes;
  }

  private adjustReserved(r: Reservation, sign: 1 | -1): void {
    this.reserved.dataBytes += sign * r.dataBytes;
    this.reserved.fileBytes += sign * r.fileBytes;
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await this.fs.mkdir(dir);
    // A new fan-out directory's own entry must be durable before a chunk inside it counts, and
    // so must its parent's when that was new too; syncing every level once is simplest.
    let parent = dir;
    for (let level = 0; level < FAN_OUT_LEVELS; level++) {
      parent = dirname(parent);
      await this.fs.syncDir(parent);
    }
    this.knownDirs.add(dir);
  }

  private noteDamage(err: ChunkError): void {
    this.readDamageFound++;
    this.opts.onReadDamage?.({
      chunkId: err.chunkId ?? '', kind: err.code === 'ChunkMissing' ? 'missing' : 'corrupt', detail: err.message,
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new ChunkError('StoreClosed', 'chunk store is closed');
  }
}
