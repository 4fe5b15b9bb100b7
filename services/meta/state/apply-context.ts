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
    const p = this.pending.get(Buffer.from(k).toString('latin1'));
    if (p === null) return undefined;
    if (p !== undefined) return fromBinary(schema, p);
    return this.store.get(schema, k);
  }

  async getRaw(k: Uint8Array): Promise<Uint8Array | undefined> {
    const p = this.pending.get(Buffer.from(k).toString('latin1'));
    if (p === null) return undefined;
    return p ?? this.store.getRaw(k);
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
