// The decisions of every S3 listing (objects, versions, multipart uploads), as a pure state
// machine over object keys in byte order: given the next key the store holds, emit it, roll it
// up into a common prefix, skip ahead, or stop. The caller owns the iterator and performs the
// seeks, so keys under an already-emitted common prefix are jumped over, never walked.
//
// The answer it produces is, by definition (and checked against exactly this in a model test):
//   keys > startAfter under `prefix`, each mapped to its common prefix (prefix + text up to and
//   including the first delimiter after the prefix) or to itself; equal neighbours merged;
//   an entry equal to startAfter dropped; the first maxEntries of that; truncated if more exist.
// The same key may be offered several times in a row (versions, uploads): each is one entry.
import { compareBytes, concat, copyBytes, prefixEnd } from '../state/meta-keys.ts';

export interface ListingParams {
  prefix: Uint8Array;
  /** Empty: no rolling up. */
  delimiter: Uint8Array;
  /** Exclusive lower bound on keys; also suppresses a common prefix equal to it. */
  startAfter?: Uint8Array;
  maxEntries: number;
}

export type ListingVerdict =
  | { kind: 'entry' }
  /** Emit `prefix`, then reposition at `seekTo` (null: nothing can follow). */
  | { kind: 'commonPrefix'; prefix: Uint8Array; seekTo: Uint8Array | null }
  /** Emit nothing; reposition at `to` (null: nothing can follow). */
  | { kind: 'seek'; to: Uint8Array | null }
  | { kind: 'done'; truncated: boolean };

const AFTER_SUFFIX = Uint8Array.of(0x01);

/**
 * The smallest key greater than `k` and every version/upload of `k`: keys never contain NUL,
 * and versions of `k` are stored as `k\0…`, so `k\x01` is next.
 */
export function keyAfter(k: Uint8Array): Uint8Array {
  return concat(k, AFTER_SUFFIX);
}

function startsWith(k: Uint8Array, prefix: Uint8Array): boolean {
  if (k.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (k[i] !== prefix[i]) return false;
  return true;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(
    Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength), from,
  );
}

export class ListingPlanner {
  /** Where the caller's iterator starts (inclusive). */
  readonly start: Uint8Array;
  /** Exclusive end of the prefix range; null when unbounded. */
  readonly end: Uint8Array | null;
  private count = 0;
  private last: { key: Uint8Array; isPrefix: boolean } | null = null;

  constructor(private readonly p: ListingParams) {
    this.end = p.prefix.length > 0 ? prefixEnd(p.prefix) : null;
    const afterStart = p.startAfter ? keyAfter(p.startAfter) : null;
    this.start = afterStart && compareBytes(afterStart, p.prefix) > 0 ? afterStart : p.prefix;
  }

  get emitted(): number {
    return this.count;
  }

  /** The last key or common prefix emitted: the marker that continues after this page. */
  get lastEmitted(): { key: Uint8Array; isPrefix: boolean } | null {
    return this.last;
  }

  offer(k: Uint8Array): ListingVerdict {
    if (compareBytes(k, this.p.prefix) < 0) return { kind: 'seek', to: this.start };
    if (!startsWith(k, this.p.prefix)) return { kind: 'done', truncated: false };
    const after = this.p.startAfter;
    if (after && compareBytes(k, after) <= 0) return { kind: 'seek', to: keyAfter(after) };
    const d = this.p.delimiter;
    if (d.length > 0) {
      const at = indexOfBytes(k, d, this.p.prefix.length);
      if (at >= 0) {
        const cp = copyBytes(k, 0, at + d.length);
        const next = prefixEnd(cp);
        if (after && compareBytes(cp, after) === 0) return { kind: 'seek', to: next };
        if (this.count >= this.p.maxEntries) return { kind: 'done', truncated: true };
        this.count++;
        this.last = { key: cp, isPrefix: true };
        return { kind: 'commonPrefix', prefix: cp, seekTo: next };
      }
    }
    if (this.count >= this.p.maxEntries) return { kind: 'done', truncated: true };
    this.count++;
    this.last = { key: k, isPrefix: false };
    return { kind: 'entry' };
  }
}
