import { EntryType, type Entry, type Snapshot } from '../../../../services/raft/types.ts';
import { SimViolation } from './violation.ts';

/** A client command carried as an entry's data. Values are unique per run (see the workload). */
export interface KvPut {
  op: 'put';
  key: string;
  value: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodePut(put: KvPut): Uint8Array {
  return encoder.encode(JSON.stringify(put));
}

export function decodePut(data: Uint8Array): KvPut | undefined {
  if (data.length === 0) return undefined; // a leader's empty entry
  try {
    const v = JSON.parse(decoder.decode(data)) as KvPut;
    return v && v.op === 'put' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A printable, comparable identity of an entry's payload. */
export function entryKey(e: Entry): string {
  return `${e.type}:${decoder.decode(e.data)}`;
}

/** FNV-1a over a string: the running digest of everything applied, checked across nodes. */
function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function chainDigest(prev: number, e: Entry): number {
  return fnv1a(prev, `${e.index}:${e.term}:${entryKey(e)}|`);
}

interface KvSnapshotData {
  applied: number;
  digest: number;
  values: [string, string][];
}

/**
 * The register store a simulated host runs on top of Raft. Besides the values it keeps a
 * digest chained over every applied entry, so a snapshot carries proof of the exact prefix it
 * was built from and a node restored from it can be compared with nodes that applied entries.
 */
export class KvStateMachine {
  applied = 0;
  digest = 0x811c9dc5;
  private readonly values = new Map<string, string>();

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  apply(e: Entry): void {
    if (e.index !== this.applied + 1) {
      throw new SimViolation('host-contract', `apply of index ${e.index} after applied ${this.applied}`);
    }
    if (e.type === EntryType.Normal) {
      const put = decodePut(e.data);
      if (put) this.values.set(put.key, put.value);
    }
    this.applied = e.index;
    this.digest = chainDigest(this.digest, e);
  }

  snapshotData(): Uint8Array {
    const data: KvSnapshotData = {
      applied: this.applied,
      digest: this.digest,
      values: [...this.values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
    return encoder.encode(JSON.stringify(data));
  }

  static fromSnapshot(snapshot: Snapshot | undefined): KvStateMachine {
    const sm = new KvStateMachine();
    if (!snapshot) return sm;
    if (snapshot.data.length === 0) {
      // An empty snapshot can only stand for the empty state (nothing applied).
      if (snapshot.meta.index !== 0) {
        throw new SimViolation('host-contract', `snapshot at ${snapshot.meta.index} carries no state`);
      }
      return sm;
    }
    const data = JSON.parse(decoder.decode(snapshot.data)) as KvSnapshotData;
    if (data.applied !== snapshot.meta.index) {
      throw new SimViolation(
        'host-contract',
        `snapshot meta index ${snapshot.meta.index} but its state was taken at ${data.applied}`,
      );
    }
    sm.applied = data.applied;
    sm.digest = data.digest;
    for (const [k, v] of data.values) sm.values.set(k, v);
    return sm;
  }
}
