// What a gateway remembers of keys, with explicit bounds: records and alias resolutions for
// KEY_RECORD_TTL_MS (a state change made through another gateway takes effect here within that
// time; through this one at once, since every change writes its result back), unwrapped
// material for KEY_MATERIAL_TTL_MS. Oldest entries go first when a map is full.
import type { KmsKey } from '../common/gen/zonestore/meta/v1/kms_pb.ts';
import { KEY_MATERIAL_TTL_MS, KEY_RECORD_TTL_MS, MAX_CACHED_KEY_MATERIALS, MAX_CACHED_KEY_RECORDS } from './kms-limits.ts';

interface Stamped<T> {
  value: T;
  atMs: number;
}

class BoundedTtlMap<T> {
  private readonly entries = new Map<string, Stamped<T>>();

  constructor(private readonly ttlMs: number, private readonly max: number) {}

  get(k: string, nowMs: number): T | undefined {
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (nowMs - e.atMs >= this.ttlMs || nowMs < e.atMs) {
      this.entries.delete(k);
      return undefined;
    }
    return e.value;
  }

  set(k: string, value: T, nowMs: number): void {
    this.entries.delete(k);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(k, { value, atMs: nowMs });
  }

  delete(k: string): void {
    this.entries.delete(k);
  }

  deleteWhere(pred: (k: string) => boolean): void {
    for (const k of [...this.entries.keys()]) if (pred(k)) this.entries.delete(k);
  }
}

export class KeyCache {
  private readonly records: BoundedTtlMap<KmsKey>;
  private readonly aliases: BoundedTtlMap<string>;
  private readonly materials: BoundedTtlMap<Buffer>;

  constructor(opts: { recordTtlMs?: number; materialTtlMs?: number } = {}) {
    this.records = new BoundedTtlMap(opts.recordTtlMs ?? KEY_RECORD_TTL_MS, MAX_CACHED_KEY_RECORDS);
    this.aliases = new BoundedTtlMap(opts.recordTtlMs ?? KEY_RECORD_TTL_MS, MAX_CACHED_KEY_RECORDS);
    this.materials = new BoundedTtlMap(opts.materialTtlMs ?? KEY_MATERIAL_TTL_MS, MAX_CACHED_KEY_MATERIALS);
  }

  record(keyId: string, nowMs: number): KmsKey | undefined {
    return this.records.get(keyId, nowMs);
  }

  putRecord(key: KmsKey, nowMs: number): void {
    this.records.set(key.keyId, key, nowMs);
  }

  forgetKey(keyId: string): void {
    this.records.delete(keyId);
    this.materials.deleteWhere((k) => k.startsWith(`${keyId}:`));
    this.aliases.deleteWhere(() => true);
  }

  alias(accountId: string, aliasName: string, nowMs: number): string | undefined {
    return this.aliases.get(`${accountId}\0${aliasName}`, nowMs);
  }

  putAlias(accountId: string, aliasName: string, keyId: string, nowMs: number): void {
    this.aliases.set(`${accountId}\0${aliasName}`, keyId, nowMs);
  }

  forgetAlias(accountId: string, aliasName: string): void {
    this.aliases.delete(`${accountId}\0${aliasName}`);
  }

  material(keyId: string, version: number, nowMs: number): Buffer | undefined {
    return this.materials.get(`${keyId}:${version}`, nowMs);
  }

  putMaterial(keyId: string, version: number, material: Buffer, nowMs: number): void {
    this.materials.set(`${keyId}:${version}`, material, nowMs);
  }
}
