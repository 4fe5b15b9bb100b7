// Folds one command's record changes into its buckets' s/ records, inside the same apply batch
// (so the stats are exactly as durable, replicated and snapshotted as the records they count).
// Runs after the command's handler, on what the handler wrote: see bucket-stat-delta.ts.
import { fromBinary } from '@bufbuild/protobuf';
import { BucketStatSchema, ObjectVersionSchema, type ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { PREFIX, bucketOfKey, familyOf, key, sequenceOfVersionKey } from '../state/meta-keys.ts';
import {
  addCurrentChange, addUploadChange, addVersionChange, applyStatDelta, emptyDelta, isZeroDelta, type StatDelta,
} from './bucket-stat-delta.ts';

const decodeVersion = (raw: Uint8Array | null | undefined): ObjectVersion | undefined =>
  raw ? fromBinary(ObjectVersionSchema, raw) : undefined;

export async function recordBucketStats(ctx: ApplyContext): Promise<void> {
  const deltas = new Map<string, StatDelta>();
  const deletedBuckets = new Set<string>();
  const deltaOf = (bucket: string) => {
    let d = deltas.get(bucket);
    if (!d) deltas.set(bucket, (d = emptyDelta()));
    return d;
  };
  for (const [k, after] of [...ctx.writes()]) {
    const family = familyOf(k);
    if (family === PREFIX.bucket) {
      if (after === null) deletedBuckets.add(bucketOfKey(k));
      continue;
    }
    if (family !== PREFIX.current && family !== PREFIX.version && family !== PREFIX.upload) continue;
    // A version at this command's own sequence is new by construction: no read needed.
    const isNew = family === PREFIX.version && sequenceOfVersionKey(k) === ctx.stamp.index;
    const before = isNew ? undefined : await ctx.original(k);
    if (before === undefined && after === null) continue;
    const d = deltaOf(bucketOfKey(k));
    if (family === PREFIX.upload) addUploadChange(d, before !== undefined, after !== null);
    else if (family === PREFIX.current) addCurrentChange(d, decodeVersion(before), decodeVersion(after));
    else addVersionChange(d, decodeVersion(before), decodeVersion(after));
  }
  for (const bucket of deletedBuckets) ctx.del(key.bucketStat(bucket));
  for (const [bucket, d] of deltas) {
    if (deletedBuckets.has(bucket) || isZeroDelta(d)) continue;
    const sk = key.bucketStat(bucket);
    ctx.put(sk, BucketStatSchema, applyStatDelta(await ctx.get(BucketStatSchema, sk), d, ctx.stamp.timeMs));
  }
}
