// Applying PutObject and DeleteObject. A PutObject over any object (an appendable one too)
// replaces it, queueing the old chunks as garbage.
import { create } from '@bufbuild/protobuf';
import {
  GarbageReason, ObjectVersionSchema, VersioningState,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  DeleteObjectResponseSchema, PutObjectResponseSchema,
  type DeleteObjectRequest, type DeleteObjectResponse, type PutObjectRequest, type PutObjectResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MetaError } from '../meta-error.ts';
import { normalizeEtag } from '../rules/etag.ts';
import { NULL_VERSION_ID, sequenceOfId } from '../rules/ids.ts';
import { objectTypeOfPut } from '../rules/object-type.ts';
import { checkPreconditions } from '../rules/preconditions.ts';
import { storedPartSize } from '../rules/stored-size.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';
import { currentVersion, nullVersionSequence, requireBucket } from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { checkUserMeta, refreshCurrent, removeStoredVersion, writeVersion } from './object-versions.ts';
import { lockForNewVersion } from './protection-commands.ts';

export async function applyPutObject(ctx: ApplyContext, req: PutObjectRequest): Promise<PutObjectResponse> {
  const where = { bucket: req.bucket, key: req.key };
  const bucket = await requireBucket(ctx, req.bucket);
  assertObjectKey(req.bucket, req.key);
  checkUserMeta(req.bucket, req.key, req.attributes?.userMeta);
  const objectType = objectTypeOfPut(req.objectType, where);
  const parts = req.manifest?.parts ?? [];
  if (parts.length > 0) {
    const sum = parts.reduce((s, p) => s + p.size, 0n);
    // An encrypted object's parts hold its blocks: a single part, whose stored size follows from the plaintext's.
    const expected = req.manifest?.encryption && parts.length === 1 ? storedPartSize(req.size, req.manifest.encryption) : req.size;
    if (sum !== expected) throw new MetaError('InvalidArgument', `manifest parts hold ${sum} bytes, object size is ${req.size}`, where);
  }
  const current = await currentVersion(ctx, req.bucket, req.key);
  checkPreconditions(req.preconditions, current?.etag, where);
  const lock = lockForNewVersion(bucket, req.lock, Number(ctx.stamp.timeMs), req.key);
  const version = await writeVersion(ctx, bucket, create(ObjectVersionSchema, {
    key: req.key, size: req.size, etag: normalizeEtag(req.etag), checksums: req.checksums, attributes: req.attributes, objectType, lock,
  }), req.manifest);
  return create(PutObjectResponseSchema, { version });
}

export async function applyDeleteObject(ctx: ApplyContext, req: DeleteObjectRequest): Promise<DeleteObjectResponse> {
  const where = { bucket: req.bucket, key: req.key };
  const bucket = await requireBucket(ctx, req.bucket);
  assertObjectKey(req.bucket, req.key);
  if (req.versionId !== '') return deleteExactVersion(ctx, req);

  const current = await currentVersion(ctx, req.bucket, req.key);
  if (req.ifMatch !== '') checkPreconditions({ ifMatch: req.ifMatch, ifNoneMatch: '' }, current?.etag, where);
  if (bucket.versioning === VersioningState.UNSPECIFIED) {
    // Unversioned: the only version is the null one; it is simply gone (no delete marker).
    const seq = await nullVersionSequence(ctx, req.bucket, req.key);
    if (seq === undefined) return create(DeleteObjectResponseSchema, {});
    await removeStoredVersion(ctx, req.bucket, req.key, seq, GarbageReason.VERSION_DELETED, { bypassGovernance: req.bypassGovernance });
    ctx.del(key.current(req.bucket, req.key));
    return create(DeleteObjectResponseSchema, {});
  }
  const marker = await writeVersion(ctx, bucket, create(ObjectVersionSchema, {
    key: req.key, deleteMarker: true,
  }), undefined, { bypassGovernance: req.bypassGovernance });
  return create(DeleteObjectResponseSchema, { versionId: marker.versionId, deleteMarker: true });
}

/** Removes one version or delete marker for good; a version that does not exist is no error (S3). */
async function deleteExactVersion(ctx: ApplyContext, req: DeleteObjectRequest): Promise<DeleteObjectResponse> {
  const where = { bucket: req.bucket, key: req.key, versionId: req.versionId };
  const seq = req.versionId === NULL_VERSION_ID
    ? await nullVersionSequence(ctx, req.bucket, req.key)
    : sequenceOfId(req.versionId) ?? invalidVersionId(where);
  if (seq === undefined) return create(DeleteObjectResponseSchema, {});
  const target = await ctx.get(ObjectVersionSchema, key.version(req.bucket, req.key, seq));
  if (!target || target.versionId !== req.versionId) return create(DeleteObjectResponseSchema, {});
  if (req.ifMatch !== '') checkPreconditions({ ifMatch: req.ifMatch, ifNoneMatch: '' }, target.deleteMarker ? undefined : target.etag, where);
  await removeStoredVersion(ctx, req.bucket, req.key, seq, GarbageReason.VERSION_DELETED, { bypassGovernance: req.bypassGovernance });
  await refreshCurrent(ctx, req.bucket, req.key, seq);
  return create(DeleteObjectResponseSchema, { versionId: target.versionId, deleteMarker: target.deleteMarker });
}

export function invalidVersionId(where: Record<string, string>): never {
  throw new MetaError('InvalidArgument', 'Invalid version id specified', where);
}
