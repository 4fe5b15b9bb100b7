// An in-memory ListingSource over items sorted by object key (ties kept in the given order),
// the test stand-in for a classic-level iterator.
import type { ListingItem, ListingSource } from '../../../services/meta/listing/listing-runner.ts';

export class SortedArraySource<T> implements ListingSource<T> {
  private pos = 0;
  seeks = 0;

  constructor(private readonly items: ListingItem<T>[]) {}

  seek(objectKey: Uint8Array): void {
    this.seeks++;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Buffer.compare(this.items[mid]!.objectKey, objectKey) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.pos = lo;
  }

  async next(): Promise<ListingItem<T> | undefined> {
    return this.items[this.pos++];
  }
}
