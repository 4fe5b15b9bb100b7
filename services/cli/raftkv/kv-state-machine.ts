// The demo's replicated state: an in-memory map from key to value. A log entry is one Put,
// encoded as [u32 key length][key][value]; a snapshot is every pair, length-prefixed.
import type { StateMachine } from '../../raft/host/state-machine.ts';
import type { Entry } from '../../raft/types.ts';

export const MAX_KEY_BYTES = 4 * 1024;
export const MAX_VALUE_BYTES = 1024 * 1024;

const U32 = 4;

export function encodePut(key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(U32 + key.length + value.length);
  new DataView(out.buffer).setUint32(0, key.length);
  out.set(key, U32);
  out.set(value, U32 + key.length);
  return out;
}

export function decodePut(data: Uint8Array): { key: Uint8Array; value: Uint8Array } {
  const keyLen = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  return { key: data.subarray(U32, U32 + keyLen), value: data.subarray(U32 + keyLen) };
}

/** Map keys are the key bytes as latin1 text: one char per byte, so the mapping is exact. */
function mapKey(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/**
 * Keys and values are held as latin1 strings (one char per byte, exact). A string is a plain
 * heap object, where a Uint8Array drags an ArrayBuffer and a backing store the GC tracks
 * separately; with millions of small values that difference dominated the collector's time.
 * Building the string also copies the value out of the entry's network or disk buffer, which
 * a long-lived map entry would otherwise keep alive.
 */
function mapValue(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
}

export class KvStateMachine implements StateMachine<number> {
  private readonly map = new Map<string, string>();

  /** Applies a Put; the result is the entry's index (what Put returns to the client). */
  apply(entry: Entry): number {
    const { key, value } = decodePut(entry.data);
    this.map.set(mapKey(key), mapValue(value));
    return entry.index;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const v = this.map.get(mapKey(key));
    return v === undefined ? undefined : Buffer.from(v, 'latin1');
  }

  get size(): number {
    return this.map.size;
  }

  snapshot(): Uint8Array {
    let bytes = U32;
    const pairs: Array<[Buffer, Buffer]> = [];
    for (const [k, v] of this.map) {
      const kb = Buffer.from(k, 'latin1');
      const vb = Buffer.from(v, 'latin1');
      pairs.push([kb, vb]);
      bytes += 2 * U32 + kb.length + vb.length;
    }
    const out = new Uint8Array(bytes);
    const view = new DataView(out.buffer);
    view.setUint32(0, pairs.length);
    let at = U32;
    for (const [k, v] of pairs) {
      view.setUint32(at, k.length);
      out.set(k, at + U32);
      at += U32 + k.length;
      view.setUint32(at, v.length);
      out.set(v, at + U32);
      at += U32 + v.length;
    }
    return out;
  }

  restore(data: Uint8Array): void {
    this.map.clear();
    if (data.length === 0) return;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const count = view.getUint32(0);
    let at = U32;
    for (let i = 0; i < count; i++) {
      const kl = view.getUint32(at);
      const key = data.subarray(at + U32, at + U32 + kl);
      at += U32 + kl;
      const vl = view.getUint32(at);
      this.map.set(mapKey(key), mapValue(data.subarray(at + U32, at + U32 + vl)));
      at += U32 + vl;
    }
  }
}
