// Drives a ListingPlanner over a sorted source (a classic-level iterator in the service, an
// array in tests): the only place that performs the planner's seeks.
import { ListingPlanner, type ListingParams } from './listing-planner.ts';

export interface ListingItem<T> {
  /** The object key this item belongs to (several items may share one). */
  objectKey: Uint8Array;
  item: T;
}

/** A sorted sequence of items that can jump to the first item whose object key is ≥ a target. */
export interface ListingSource<T> {
  seek(objectKey: Uint8Array): void;
  next(): Promise<ListingItem<T> | undefined>;
}

export type ListingEntry<T> = { kind: 'item'; objectKey: Uint8Array; item: T } | { kind: 'prefix'; prefix: Uint8Array };

export interface ListingResult<T> {
  entries: ListingEntry<T>[];
  truncated: boolean;
  /** The last key or common prefix emitted (the marker to continue after). */
  last: { key: Uint8Array; isPrefix: boolean } | null;
}

export interface RunOptions {
  /** The source is already positioned (e.g. after a version marker): don't seek to the planner's start. */
  positioned?: boolean;
}

export async function runListing<T>(params: ListingParams, source: ListingSource<T>, opts: RunOptions = {}): Promise<ListingResult<T>> {
  const planner = new ListingPlanner(params);
  const entries: ListingEntry<T>[] = [];
  if (!opts.positioned) source.seek(planner.start);
  for (;;) {
    const next = await source.next();
    if (!next) return { entries, truncated: false, last: planner.lastEmitted };
    const v = planner.offer(next.objectKey);
    switch (v.kind) {
      case 'entry':
        entries.push({ kind: 'item', objectKey: next.objectKey, item: next.item });
        break;
      case 'commonPrefix':
        entries.push({ kind: 'prefix', prefix: v.prefix });
        if (v.seekTo === null) return { entries, truncated: false, last: planner.lastEmitted };
        source.seek(v.seekTo);
        break;
      case 'seek':
        if (v.to === null) return { entries, truncated: false, last: planner.lastEmitted };
        source.seek(v.to);
        break;
      case 'done':
        return { entries, truncated: v.truncated, last: planner.lastEmitted };
    }
  }
}
