// Writing and removing versions under the bucket's versioning state, shared by PutObject,
// DeleteObject and CompleteMultipartUpload:
// - unversioned and suspended buckets write the "null" version, replacing the previous null
//   version wherever it is in the key's history;
// - enabled buckets add a version with a new id;
// - the c/ record always mirrors the newest version unless that is a delete marker.
import { create } from '@bufbuild/protobuf';
import {
  ChangeKind, GarbageReason, ManifestSchema, ObjectVersionSchema, VersioningState,
  type Bucket, type ChunkRef, type Manifest, type ObjectVersion,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MAX_USER_META_BYTES } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { NULL_VERSION_ID, idFor } from '../rules/ids.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, u64 } from '../state/meta-keys.ts';
import { chunksOfManifest, latestVersion, loadManifest, nullVersionSequence, summaryOf } from '../state/record-reads.ts';
import { assertVersionRemovable, type RemovalOptions } from './protection-guard.ts';

/**
 * Stores `v` (its key, size, etag ... filled in; version id and sequence set here) as the
 * newest version of its key, with `manifest` for data versions. Returns the stored version
 * with its manifest.
 */
export async function writeVersion(ctx: ApplyContext, bucket: Bucket, v: ObjectVersion, manifest: Manifest | undefined, options: RemovalOptions = {}): Promise<ObjectVersion> {
  const seq = ctx.stamp.index;
  const versioned = bucket.versioning === VersioningState.ENABLED;
  const stored = create(ObjectVersionSchema, {
    ...summaryOf(v),
    versionId: versioned ? idFor(seq, ctx.stamp.nonce) : NULL_VERSION_ID,
    sequence: BigInt(seq),
    lastModifiedMs: ctx.stamp.timeMs,
  });
  if (!versioned) {
    await removeNullVersion(ctx, bucket.name, v.key, GarbageReason.OVERWRITTEN, options);
    ctx.putRaw(key.nullVersion(bucket.name, v.key), u64(seq));
  }
  ctx.put(key.version(bucket.name, v.key, seq), ObjectVersionSchema, stored);
  if (stored.deleteMarker) {
    ctx.del(key.current(bucket.name, v.key));
    ctx.change({ kind: ChangeKind.DELETE_MARKER_CREATED, bucket: bucket.name, key: v.key, versionId: stored.versionId });
    return { ...stored, isLatest: true };
  }
  const m = manifest ?? create(ManifestSchema, {});
  ctx.put(key.manifest(seq), ManifestSchema, m);
  ctx.put(key.current(bucket.name, v.key), ObjectVersionSchema, stored);
  ctx.change({ kind: ChangeKind.OBJECT_CREATED, bucket: bucket.name, key: v.key, versionId: stored.versionId, size: stored.size, etag: stored.etag });
  return { ...stored, manifest: m, isLatest: true };
}

/** Removes the key's "null" version, if any, queueing its chunks. */
async function removeNullVersion(ctx: ApplyContext, bucket: string, objectKey: string, reason: GarbageReason, options: RemovalOptions): Promise<void> {
  const seq = await nullVersionSequence(ctx, bucket, objectKey);
  if (seq === undefined) return;
  await removeStoredVersion(ctx, bucket, objectKey, seq, reason, options);
}

/**
 * Deletes one stored version's records (v/, x/, and n/ for a null version) and queues its
 * chunks. Refused (ObjectLocked) while WORM retention or object lock protects the version.
 */
export async function removeStoredVersion(ctx: ApplyContext, bucket: string, objectKey: string, seq: number, reason: GarbageReason, options: RemovalOptions = {}): Promise<ObjectVersion | undefined> {
  const vkey = key.version(bucket, objectKey, seq);
  const old = await ctx.get(ObjectVersionSchema, vkey);
  if (!old) return undefined;
  await assertVersionRemovable(ctx, bucket, old, options);
  ctx.del(vkey);
  if (old.versionId === NULL_VERSION_ID) ctx.del(key.nullVersion(bucket, objectKey));
  if (!old.deleteMarker) {
    ctx.garbage(chunksOfManifest(await loadManifest(ctx, seq)), reason, bucket, objectKey);
    ctx.del(key.manifest(seq));
  }
  ctx.change({ kind: ChangeKind.OBJECT_VERSION_DELETED, bucket, key: objectKey, versionId: old.versionId });
  return old;
}

/** After removing version `removedSeq`, points c/ at the newest remaining data version, if any. */
export async function refreshCurrent(ctx: ApplyContext, bucket: string, objectKey: string, removedSeq: number): Promise<void> {
  const latest = await latestVersion(ctx.store, bucket, objectKey, removedSeq);
  if (latest && !latest.deleteMarker) ctx.put(key.current(bucket, objectKey), ObjectVersionSchema, summaryOf(latest));
  else ctx.del(key.current(bucket, objectKey));
}

export function checkUserMeta(bucket: string, objectKey: string, userMeta: Record<string, string> | undefined): void {
  if (!userMeta) return;
  let bytes = 0;
  for (const [k, v] of Object.entries(userMeta)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (bytes > MAX_USER_META_BYTES) {
    throw new MetaError('MetadataTooLarge', `user metadata is ${bytes} bytes; the limit is ${MAX_USER_META_BYTES}`, { bucket, key: objectKey });
  }
}

/** Chunks of `chunks` that the key's current version does not refer to (a retried write may reuse them). */
export async function unreferencedChunks(ctx: ApplyContext, bucket: string, objectKey: string, chunks: ChunkRef[]): Promise<ChunkRef[]> {
  if (chunks.length === 0) return chunks;
  const cur = await ctx.get(ObjectVersionSchema, key.current(bucket, objectKey));
  if (!cur) return chunks;
  const used = new Set(chunksOfManifest(await loadManifest(ctx, Number(cur.sequence))).map((c) => `${c.node}/${c.chunkId}`));
  return chunks.filter((c) => !used.has(`${c.node}/${c.chunkId}`));
}
