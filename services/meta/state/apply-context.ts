// What one command's apply accumulates before it is written in one batch: puts and deletes,
// the changes for the feed and the chunks queued for garbage collection. Gets go through the
// pending writes first, so a handler sees its own effects.
import { create, fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  ChangeSchema, ChangeSetSchema, GarbageItemSchema, type Change, type ChunkRef, type GarbageReason,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { encode, type BatchOp, type MetaStateStore } from './meta-state-store.ts';
import { garbageId, key } from './meta-keys.ts';

/** The fields a command handler says about a change (index, sub and time are filled in). */
export interface ChangeInit {
  kind: Change['kind'];
  bucket?: string;
  key?: string;
  versionId?: string;
  size?: bigint;
  etag?: string;
  detail?: string;
}

export interface CommandStamp {
  /** Raft index of the command: the sequence of anything it creates. */
  index: number;
  timeMs: bigint;
  nonce: string;
  minPartSize: bigint;
}

export class ApplyContext {
  private readonly pending = new Map<string, Uint8Array | null>();
  /** What the store held for keys read through this context (before any pending write). */
  private readonly originals = new Map<string, Uint8Array | undefined>();
  private readonly changes: Change[] = [];
  private garbageCount = 0;

  constructor(readonly store: MetaStateStore, readonly stamp: CommandStamp) {}

  put<D extends DescMessage>(k: Uint8Array, schema: D, msg: MessageShape<D>): void {
    this.pending.set(Buffer.from(k).toString('latin1'), encode(schema, msg));
  }

  putRaw(k: Uint8Array, value: Uint8Array): void {
    this.pending.set(Buffer.from(k).toString('latin1'), value);
  }

  del(k: Uint8Array): void {
    this.pending.set(Buffer.from(k).toString('latin1'), null);
  }

  async get<D extends DescMessage>(schema: D, k: Uint8Array): Promise<MessageShape<D> | undefined> {
    const raw = await this.getRaw(k);
    return raw === undefined ? undefined : fromBinary(schema, raw);
  }

  async getRaw(k: Uint8Array): Promise<Uint8Array | undefined> {
    const ks = Buffer.from(k).toString('latin1');
    const p = this.pending.get(ks);
    if (p === null) return undefined;
    return p ?? this.original(k, ks);
  }

  /** The stored value of `k` as it was before this command (pending writes ignored). */
  async original(k: Uint8Array, ks = Buffer.from(k).toString('latin1')): Promise<Uint8Array | undefined> {
    if (this.originals.has(ks)) return this.originals.get(ks);
    const v = await this.store.getRaw(k);
    this.originals.set(ks, v);
    return v;
  }

  /** The writes so far: key and new value (null: deleted). */
  *writes(): Iterable<[Uint8Array, Uint8Array | null]> {
    for (const [k, v] of this.pending) yield [new Uint8Array(Buffer.from(k, 'latin1')), v];
  }

  change(c: ChangeInit): void {
    this.changes.push(create(ChangeSchema, { ...c, index: BigInt(this.stamp.index), sub: this.changes.length, timeMs: this.stamp.timeMs }));
  }

  /** Queues chunks no committed record refers to any more; deleted by the GC worker later. */
  garbage(chunks: ChunkRef[], reason: GarbageReason, bucket: string, objectKey: string): void {
    if (chunks.length === 0) return;
    const sub = this.garbageCount++;
    this.put(key.garbage(this.stamp.index, sub), GarbageItemSchema, create(GarbageItemSchema, {
      id: garbageId(this.stamp.index, sub), chunks, reason, enqueuedMs: this.stamp.timeMs, bucket, key: objectKey,
    }));
  }

  get changeCount(): number {
    return this.changes.length;
  }

  /** The batch: pending writes plus the feed entry of this command. */
  ops(): BatchOp[] {
    const ops: BatchOp[] = [];
    for (const [k, v] of this.pending) {
      const kb = new Uint8Array(Buffer.from(k, 'latin1'));
      ops.push(v === null ? { type: 'del', key: kb } : { type: 'put', key: kb, value: v });
    }
    if (this.changes.length > 0) {
      const set = create(ChangeSetSchema, { changes: this.changes });
      ops.push({ type: 'put', key: key.feed(this.stamp.index), value: encode(ChangeSetSchema, set) });
    }
    return ops;
  }
}
