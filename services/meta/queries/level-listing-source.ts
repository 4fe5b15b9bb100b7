// A ListingSource over one key space of the metadata store (c/, v/ or u/ of a bucket), reading
// from a consistent snapshot so a page never mixes two states.
import type { ListingItem, ListingSource } from '../listing/listing-runner.ts';
import { concat, prefixEnd } from '../state/meta-keys.ts';
import type { MetaStateStore, ReadView } from '../state/meta-state-store.ts';

export class LevelListingSource<T> implements ListingSource<T> {
  private readonly it;

  constructor(
    store: MetaStateStore,
    private readonly space: Uint8Array,
    view: ReadView,
    private readonly decode: (storageKey: Uint8Array, value: Uint8Array) => ListingItem<T>,
  ) {
    this.it = store.iterator({ gte: space, lt: prefixEnd(space)!, snapshot: view });
  }

  seek(objectKey: Uint8Array): void {
    this.it.seek(concat(this.space, objectKey));
  }

  /** Positions at the first stored key ≥ `storageKey` (e.g. just after a version marker). */
  seekStorageKey(storageKey: Uint8Array): void {
    this.it.seek(storageKey);
  }

  async next(): Promise<ListingItem<T> | undefined> {
    const kv = await this.it.next();
    return kv ? this.decode(kv[0], kv[1]) : undefined;
  }

  close(): Promise<void> {
    return this.it.close();
  }
}
