// The metadata state on classic-level: typed protobuf reads, range helpers, and the one write
// path — a batch carrying a command's effects together with the applied index, so the state
// on disk always corresponds exactly to some applied index.
import { ClassicLevel } from 'classic-level';
import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { APPLIED_KEY, PREFIX, RESTORING_KEY, readU64, u64 } from './meta-keys.ts';

/**
 * Per-bucket records kept in memory: every object operation reads its bucket first, and every
 * write updates its bucket's stats; there are few buckets. The cache mirrors the stored b/ and
 * s/ keys exactly (filled on read, replaced on write), so it answers what the store would.
 */
export const MAX_CACHED_BUCKETS = 10_000;
const CACHED_PREFIXES = new Set([PREFIX.bucket, PREFIX.bucketStat].map((p) => p.charCodeAt(0)));
const SLASH = '/'.charCodeAt(0);

function isBucketKey(k: Uint8Array): boolean {
  return k.length > 2 && CACHED_PREFIXES.has(k[0]!) && k[1] === SLASH;
}

function cacheKey(k: Uint8Array): string {
  return Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');
}

export type BatchOp =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; key: Uint8Array };

type Db = ClassicLevel<Uint8Array, Uint8Array>;
/** A consistent point-in-time view for queries that read several keys. */
export type ReadView = ReturnType<Db['snapshot']>;

export interface RangeOptions {
  gte?: Uint8Array;
  gt?: Uint8Array;
  lt?: Uint8Array;
  lte?: Uint8Array;
  limit?: number;
  snapshot?: ReadView;
}

export class MetaStateStore {
  /** Last applied Raft index whose effects are in the store (0: nothing applied). */
  private applied = 0;
  /** A snapshot install was interrupted: the contents are a partial mix and must be replaced. */
  private incomplete = false;
  private readonly buckets = new Map<string, Uint8Array | null>();
  /** Bumped by every write of a b/ key, so a read that raced it does not cache a stale value. */
  private bucketWrites = 0;

  private constructor(readonly db: Db, readonly dir: string) {}

  static async open(dir: string): Promise<MetaStateStore> {
    const db: Db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    const store = new MetaStateStore(db, dir);
    const applied = await db.get(APPLIED_KEY);
    store.applied = applied ? readU64(applied) : 0;
    store.incomplete = (await db.get(RESTORING_KEY)) !== undefined;
    return store;
  }

  /** The applied index the stored state reflects; 0 when a snapshot install was interrupted. */
  get appliedIndex(): number {
    return this.incomplete ? 0 : this.applied;
  }

  get needsSnapshot(): boolean {
    return this.incomplete;
  }

  async getRaw(key: Uint8Array, view?: ReadView): Promise<Uint8Array | undefined> {
    if (!isBucketKey(key)) return view ? this.db.get(key, { snapshot: view }) : this.db.get(key);
    // A bucket is answered from committed state even inside a view: at least as new as the
    // view, which a linearizable reader may always see.
    const ck = cacheKey(key);
    const cached = this.buckets.get(ck);
    if (cached !== undefined) return cached ?? undefined;
    const writes = this.bucketWrites;
    const value = await this.db.get(key);
    if (writes === this.bucketWrites) this.cacheBucket(ck, value ?? null);
    return value;
  }

  private cacheBucket(ck: string, value: Uint8Array | null): void {
    if (!this.buckets.has(ck) && this.buckets.size >= MAX_CACHED_BUCKETS) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(ck, value);
  }

  async get<D extends DescMessage>(schema: D, key: Uint8Array, view?: ReadView): Promise<MessageShape<D> | undefined> {
    const raw = await this.getRaw(key, view);
    return raw === undefined ? undefined : fromBinary(schema, raw);
  }

  /** The first entry in a range, or undefined. */
  async first(range: RangeOptions): Promise<[Uint8Array, Uint8Array] | undefined> {
    const it = this.db.iterator({ ...range, limit: 1 });
    try {
      return await it.next();
    } finally {
      await it.close();
    }
  }

  /** Up to `range.limit` entries of a range, in key order. */
  async range(range: RangeOptions): Promise<Array<[Uint8Array, Uint8Array]>> {
    const out: Array<[Uint8Array, Uint8Array]> = [];
    for await (const kv of this.db.iterator(range)) out.push(kv);
    return out;
  }

  iterator(range: RangeOptions) {
    return this.db.iterator(range);
  }

  view(): ReadView {
    return this.db.snapshot();
  }

  /** Writes one applied command's effects and its index atomically. */
  async commit(ops: BatchOp[], appliedIndex: number, sync = false): Promise<void> {
    ops.push({ type: 'put', key: APPLIED_KEY, value: u64(appliedIndex) });
    const bucketOps = ops.filter((op) => isBucketKey(op.key));
    if (bucketOps.length > 0) this.bucketWrites++;
    await this.db.batch(ops, { sync });
    if (bucketOps.length > 0) {
      for (const op of bucketOps) this.cacheBucket(cacheKey(op.key), op.type === 'put' ? op.value : null);
      // Again after the write: a read that began before it landed must not cache what it saw.
      this.bucketWrites++;
    }
    this.applied = appliedIndex;
  }

  /** Makes everything written so far durable (before the Raft log drops the entries behind it). */
  async sync(): Promise<void> {
    await this.db.put(APPLIED_KEY, u64(this.applied), { sync: true });
  }

  // ---- snapshot install: clear, stream in, then mark complete --------------------------------

  async beginInstall(): Promise<void> {
    this.incomplete = true;
    this.bucketWrites++;
    this.buckets.clear();
    await this.db.put(RESTORING_KEY, Uint8Array.of(1), { sync: true });
    await this.db.clear({ lt: RESTORING_KEY });
    await this.db.clear({ gt: RESTORING_KEY });
  }

  async installBatch(pairs: Array<{ key: Uint8Array; value: Uint8Array }>): Promise<void> {
    await this.db.batch(pairs.map((p) => ({ type: 'put' as const, key: p.key, value: p.value })));
  }

  async finishInstall(appliedIndex: number): Promise<void> {
    await this.db.batch([
      { type: 'put', key: APPLIED_KEY, value: u64(appliedIndex) },
      { type: 'del', key: RESTORING_KEY },
    ], { sync: true });
    this.applied = appliedIndex;
    this.incomplete = false;
    this.bucketWrites++;
    this.buckets.clear();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export function encode<D extends DescMessage>(schema: D, msg: MessageShape<D>): Uint8Array {
  return toBinary(schema, msg);
}
