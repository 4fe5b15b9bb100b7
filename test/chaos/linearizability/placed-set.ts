// The set of ops a partial linearization has placed, as the search's memo needs it: updated in
// O(1) per op and keyed by two independent 32-bit Zobrist hashes plus the set's size. A clash
// would need two different sets to agree on 64 hash bits and their size (about 2^-64 per pair,
// ~1e-7 over a search of millions of states), and could only make the search miss an order —
// a false "violation", which the narrowed window's re-check would then have to repeat.
// Exact keys (a bitset per state) cost hundreds of bytes per state on long histories.

export class PlacedSet {
  private readonly hashA: Uint32Array;
  private readonly hashB: Uint32Array;
  private a = 0;
  private b = 0;
  private size = 0;

  constructor(capacity: number) {
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    for (let i = 0; i < capacity; i++) {
      this.hashA[i] = mix32(2 * i + 1);
      this.hashB[i] = mix32((2 * i + 2) ^ 0x5bd1e995);
    }
  }

  /** Callers add only absent ops and remove only present ones (the search's stack discipline). */
  add(i: number): void {
    this.a ^= this.hashA[i]!;
    this.b ^= this.hashB[i]!;
    this.size++;
  }

  remove(i: number): void {
    this.a ^= this.hashA[i]!;
    this.b ^= this.hashB[i]!;
    this.size--;
  }

  /** The memo key of (this set, the register's state). */
  key(state: string | null): string {
    return `${this.a >>> 0}:${this.b >>> 0}:${this.size}${state === null ? '-' : `+${state}`}`;
  }
}

/** A fixed 32-bit integer hash (murmur3's finaliser): spreads consecutive indices apart. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
