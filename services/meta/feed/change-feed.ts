// Reading the change feed (f/<index> → ChangeSet) from an index on, and the oldest index a
// reader may still ask for.
import { fromBinary } from '@bufbuild/protobuf';
import { ChangeSetSchema, type Change } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { FEED_RETAINED_INDEXES } from '../limits.ts';
import { key, readU64 } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

/** Oldest index whose changes are still kept when `applied` is the applied index. */
export function oldestRetainedIndex(applied: number): number {
  return Math.max(1, applied - FEED_RETAINED_INDEXES + 1);
}

export interface FeedPage {
  changes: Change[];
  /** The index to read from next. */
  next: number;
}

/** Up to `maxSets` commands' changes from index `from` (inclusive), never past `upTo`. */
export async function readFeed(store: MetaStateStore, from: number, upTo: number, maxSets: number): Promise<FeedPage> {
  const space = key.feedPrefix();
  const rows = await store.range({ gte: key.feed(from), lte: key.feed(upTo), limit: maxSets });
  const changes: Change[] = [];
  let next = from;
  for (const [k, v] of rows) {
    changes.push(...fromBinary(ChangeSetSchema, v).changes);
    next = readU64(k, space.length) + 1;
  }
  // Nothing (more) in range: every index up to `upTo` has been looked at.
  if (rows.length < maxSets) next = Math.max(next, upTo + 1);
  return { changes, next };
}
