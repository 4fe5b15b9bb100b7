// Which chunks exist, on classic-level: key = chunk id (ids are lowercase hex, so key order is
// id order and pages are plain range scans), value = length, CRC32C and creation time.
//
// The index is the source of truth for existence: a chunk is stored once its index entry is
// durable, and a file without an entry is garbage from an unacknowledged put or an
// interrupted delete. Writes are group-committed: everything queued while one synced batch
// is in flight goes into the next one, since a synced LevelDB batch of many entries costs
// about what a single synced put does.
import { ClassicLevel } from 'classic-level';

/** Upper bound on operations in one synced batch, so one batch never grows without limit. */
export const MAX_INDEX_BATCH_OPS = 1024;
const ENTRY_BYTES = 20;

export interface IndexEntry {
  chunkId: string;
  length: number;
  crc32c: number;
  createdUnixMs: number;
}

export type IndexOp = { type: 'put'; entry: IndexEntry } | { type: 'del'; chunkId: string };

interface QueuedWrite {
  ops: IndexOp[];
  resolve(): void;
  reject(err: unknown): void;
}

function encodeEntry(e: IndexEntry): Uint8Array {
  const out = new Uint8Array(ENTRY_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(e.length), true);
  view.setUint32(8, e.crc32c, true);
  view.setBigUint64(12, BigInt(e.createdUnixMs), true);
  return out;
}

function decodeEntry(chunkId: string, value: Uint8Array): IndexEntry {
  if (value.length !== ENTRY_BYTES) throw new Error(`index entry for ${chunkId} is ${value.length} bytes, want ${ENTRY_BYTES}`);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return {
    chunkId,
    length: Number(view.getBigUint64(0, true)),
    crc32c: view.getUint32(8, true),
    createdUnixMs: Number(view.getBigUint64(12, true)),
  };
}

export class ChunkIndex {
  private readonly queue: QueuedWrite[] = [];
  private flushing = false;

  private constructor(private readonly db: ClassicLevel<string, Uint8Array>) {}

  static async open(dir: string): Promise<ChunkIndex> {
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    return new ChunkIndex(db);
  }

  async get(chunkId: string): Promise<IndexEntry | undefined> {
    const value = await this.db.get(chunkId);
    return value === undefined ? undefined : decodeEntry(chunkId, value);
  }

  /** Which of `chunkIds` have entries, in the same order. */
  hasMany(chunkIds: string[]): Promise<boolean[]> {
    return this.db.hasMany(chunkIds);
  }

  /** Up to `limit` entries with ids greater than `after` (from the start when empty), in id order. */
  async page(after: string, limit: number): Promise<IndexEntry[]> {
    const out: IndexEntry[] = [];
    const range = after === '' ? { limit } : { gt: after, limit };
    for await (const [key, value] of this.db.iterator(range)) out.push(decodeEntry(key, value));
    return out;
  }

  /** Every entry in id order, read in pages so a huge index is never held in memory. */
  async *all(pageSize = 1000): AsyncGenerator<IndexEntry> {
    let after = '';
    for (;;) {
      const page = await this.page(after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.chunkId;
    }
  }

  /** Durably applies `ops` (in one synced batch, possibly shared with concurrent callers). */
  write(ops: IndexOp[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group: QueuedWrite[] = [];
        let opCount = 0;
        while (this.queue.length > 0 && (group.length === 0 || opCount + this.queue[0]!.ops.length <= MAX_INDEX_BATCH_OPS)) {
          const next = this.queue.shift()!;
          group.push(next);
          opCount += next.ops.length;
        }
        const batch = group.flatMap((w) => w.ops).map((op) =>
          op.type === 'put'
            ? { type: 'put' as const, key: op.entry.chunkId, value: encodeEntry(op.entry) }
            : { type: 'del' as const, key: op.chunkId });
        try {
          await this.db.batch(batch, { sync: true });
          for (const w of group) w.resolve();
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
