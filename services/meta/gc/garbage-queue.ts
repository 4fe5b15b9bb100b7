// Reading the garbage queue (g/): chunks that committed records no longer refer to, in the
// order they were queued.
import { fromBinary } from '@bufbuild/protobuf';
import { GarbageItemSchema, type GarbageItem } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

export async function listGarbage(store: MetaStateStore, max: number): Promise<GarbageItem[]> {
  const space = key.garbagePrefix();
  const rows = await store.range({ gte: space, lt: prefixEnd(space)!, limit: max });
  return rows.map(([, v]) => fromBinary(GarbageItemSchema, v));
}
