// Bucket counters as a pure function of record changes. A command's effect on a bucket's stats
// is the sum, over the c/, v/ and u/ records it wrote, of (after − before): c/ holds exactly the
// current versions, v/ every version and delete marker, u/ the open uploads. Deriving the stats
// from the records a batch changes (rather than from each command's intent) keeps them exact
// for any command, present or future, that keeps those records right.
import { create } from '@bufbuild/protobuf';
import { BucketStatSchema, type BucketStat, type ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

export interface StatDelta {
  /** Current versions (c/) and their bytes. */
  current: bigint;
  currentBytes: bigint;
  /** Data versions (v/, not delete markers), current or not, and their bytes. */
  versions: bigint;
  versionBytes: bigint;
  deleteMarkers: bigint;
  uploads: bigint;
  /** A version, delete marker or upload was added, removed, replaced or grown. */
  touched: boolean;
}

export function emptyDelta(): StatDelta {
  return { current: 0n, currentBytes: 0n, versions: 0n, versionBytes: 0n, deleteMarkers: 0n, uploads: 0n, touched: false };
}

function isData(v: ObjectVersion | undefined): v is ObjectVersion {
  return v !== undefined && !v.deleteMarker;
}

/** A c/ record went from `before` to `after` (undefined: absent). */
export function addCurrentChange(d: StatDelta, before: ObjectVersion | undefined, after: ObjectVersion | undefined): void {
  d.current += BigInt(Number(isData(after)) - Number(isData(before)));
  d.currentBytes += (after?.size ?? 0n) - (before?.size ?? 0n);
  d.touched ||= changedObject(before, after);
}

/** A v/ record went from `before` to `after`. */
export function addVersionChange(d: StatDelta, before: ObjectVersion | undefined, after: ObjectVersion | undefined): void {
  d.versions += BigInt(Number(isData(after)) - Number(isData(before)));
  d.versionBytes += (isData(after) ? after.size : 0n) - (isData(before) ? before.size : 0n);
  d.deleteMarkers += BigInt(Number(after?.deleteMarker === true) - Number(before?.deleteMarker === true));
  d.touched ||= changedObject(before, after);
}

/** A u/ record appeared (+1) or went away (−1); rewriting one changes nothing. */
export function addUploadChange(d: StatDelta, existedBefore: boolean, existsAfter: boolean): void {
  d.uploads += BigInt(Number(existsAfter) - Number(existedBefore));
  d.touched ||= existedBefore !== existsAfter;
}

/** Tag changes rewrite a record with the same modification time: not a write the stats date. */
function changedObject(before: ObjectVersion | undefined, after: ObjectVersion | undefined): boolean {
  if (!before || !after) return before !== after;
  return before.lastModifiedMs !== after.lastModifiedMs || before.size !== after.size || before.sequence !== after.sequence;
}

/**
 * Never below zero: the counters are exact by construction, and a clamp keeps a bug from
 * making a uint64 unencodable, which would refuse every later write in the bucket.
 */
function plus(a: bigint, d: bigint): bigint {
  const r = a + d;
  return r < 0n ? 0n : r;
}

/** `stat` after `d`, dated `timeMs` when anything was touched (never moving back in time). */
export function applyStatDelta(stat: BucketStat | undefined, d: StatDelta, timeMs: bigint): BucketStat {
  const s = stat ?? create(BucketStatSchema, {});
  const last = d.touched && timeMs > s.lastModifiedMs ? timeMs : s.lastModifiedMs;
  return create(BucketStatSchema, {
    objectCount: plus(s.objectCount, d.current),
    storageBytes: plus(s.storageBytes, d.currentBytes),
    noncurrentObjectCount: plus(s.noncurrentObjectCount, d.versions - d.current),
    noncurrentStorageBytes: plus(s.noncurrentStorageBytes, d.versionBytes - d.currentBytes),
    deleteMarkerCount: plus(s.deleteMarkerCount, d.deleteMarkers),
    multipartUploadCount: plus(s.multipartUploadCount, d.uploads),
    lastModifiedMs: last,
  });
}

export function isZeroDelta(d: StatDelta): boolean {
  return !d.touched && d.current === 0n && d.currentBytes === 0n && d.versions === 0n && d.versionBytes === 0n
    && d.deleteMarkers === 0n && d.uploads === 0n;
}
