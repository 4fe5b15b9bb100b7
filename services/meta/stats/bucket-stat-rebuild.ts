// Recomputes every bucket's s/ record from the records themselves, when the state lacks the
// marker saying they are complete: a store written before bucket stats existed, or a snapshot
// streamed from such a replica. A deterministic function of the state at the applied index,
// so every replica that rebuilds at the same index gets the same counters. The one thing the
// records do not tell is when something was last removed, so last_modified_ms becomes the
// newest version or upload time.
import { create, fromBinary } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import {
  BucketStatSchema, MultipartUploadSchema, ObjectVersionSchema,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { BUCKET_STATS_MARKER_KEY, PREFIX, bucketOfKey, key, prefixEnd, readU64, utf8, u64 } from '../state/meta-keys.ts';
import { encode, type BatchOp, type MetaStateStore } from '../state/meta-state-store.ts';
import {
  addCurrentChange, addUploadChange, addVersionChange, applyStatDelta, emptyDelta, type StatDelta,
} from './bucket-stat-delta.ts';

/** Version of the s/ records' meaning; bump to make every replica rebuild them once. */
const STATS_FORMAT = 1;

interface Tally {
  delta: StatDelta;
  newestMs: bigint;
}

async function scan(store: MetaStateStore, family: string, visit: (bucket: string, value: Uint8Array) => void): Promise<void> {
  const space = utf8(family);
  for await (const [k, v] of store.iterator({ gte: space, lt: prefixEnd(space)! })) visit(bucketOfKey(k), v);
}

/** Rebuilds the s/ records unless the marker says they are complete. Returns whether it did. */
export async function ensureBucketStats(store: MetaStateStore, log?: Logger): Promise<boolean> {
  if (store.needsSnapshot) return false;
  const marker = await store.getRaw(BUCKET_STATS_MARKER_KEY);
  if (marker !== undefined && marker.length === 8 && readU64(marker) === STATS_FORMAT) return false;
  const tallies = new Map<string, Tally>();
  const tally = (bucket: string) => {
    let t = tallies.get(bucket);
    if (!t) tallies.set(bucket, (t = { delta: emptyDelta(), newestMs: 0n }));
    return t;
  };
  await scan(store, PREFIX.current, (b, v) => addCurrentChange(tally(b).delta, undefined, fromBinary(ObjectVersionSchema, v)));
  await scan(store, PREFIX.version, (b, v) => {
    const t = tally(b);
    const version = fromBinary(ObjectVersionSchema, v);
    addVersionChange(t.delta, undefined, version);
    if (version.lastModifiedMs > t.newestMs) t.newestMs = version.lastModifiedMs;
  });
  await scan(store, PREFIX.upload, (b, v) => {
    const t = tally(b);
    addUploadChange(t.delta, false, true);
    const initiated = fromBinary(MultipartUploadSchema, v).initiatedMs;
    if (initiated > t.newestMs) t.newestMs = initiated;
  });
  const ops: BatchOp[] = [];
  const stats = key.bucketStatPrefix();
  for await (const k of store.db.keys({ gte: stats, lt: prefixEnd(stats)! })) ops.push({ type: 'del', key: k });
  for (const [bucket, t] of tallies) {
    ops.push({ type: 'put', key: key.bucketStat(bucket), value: encode(BucketStatSchema, applyStatDelta(create(BucketStatSchema, {}), t.delta, t.newestMs)) });
  }
  ops.push({ type: 'put', key: BUCKET_STATS_MARKER_KEY, value: u64(STATS_FORMAT) });
  await store.commit(ops, store.appliedIndex, true);
  log?.info({ buckets: tallies.size, applied: store.appliedIndex }, 'bucket stats rebuilt from the records');
  return true;
}
