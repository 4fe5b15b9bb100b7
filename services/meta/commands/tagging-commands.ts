// Applying PutObjectTagging and DeleteObjectTagging: the tag set of one version is replaced in
// place. Tags are not content: no new version, the same last-modified time and sequence, so
// readers' caches keyed on either stay right about the bytes.
import { create } from '@bufbuild/protobuf';
import {
  ChangeKind, ObjectAttributesSchema, ObjectVersionSchema, type ObjectAttributes, type ObjectVersion,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  DeleteObjectTaggingResponseSchema, PutObjectTaggingResponseSchema,
  type DeleteObjectTaggingRequest, type DeleteObjectTaggingResponse, type PutObjectTaggingRequest,
  type PutObjectTaggingResponse,
} from '../../common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import { MetaError } from '../meta-error.ts';
import { NULL_VERSION_ID, sequenceOfId } from '../rules/ids.ts';
import { checkTagSet } from '../rules/tag-set.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';
import { currentVersion, latestVersion, nullVersionSequence, requireBucket, summaryOf } from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { invalidVersionId } from './object-commands.ts';

function deleteMarkerRefusal(where: Record<string, string>, marker: ObjectVersion): MetaError {
  return new MetaError('MethodNotAllowed', 'The specified method is not allowed against a delete marker.',
    { ...where, versionId: marker.versionId, deleteMarker: 'true' });
}

/** The version a tagging (or ACL) request names: the newest when `versionId` is empty. */
export async function taggedVersion(ctx: ApplyContext, bucket: string, objectKey: string, versionId: string): Promise<ObjectVersion> {
  const where = { bucket, key: objectKey };
  if (versionId === '') {
    const cur = await currentVersion(ctx, bucket, objectKey);
    if (cur) return cur;
    const latest = await latestVersion(ctx.store, bucket, objectKey);
    if (latest?.deleteMarker) throw deleteMarkerRefusal(where, latest);
    throw new MetaError('NoSuchKey', 'The specified key does not exist.', where);
  }
  const seq = versionId === NULL_VERSION_ID
    ? await nullVersionSequence(ctx, bucket, objectKey)
    : sequenceOfId(versionId) ?? invalidVersionId({ ...where, versionId });
  const v = seq === undefined ? undefined : await ctx.get(ObjectVersionSchema, key.version(bucket, objectKey, seq));
  if (!v || v.versionId !== versionId) throw new MetaError('NoSuchVersion', 'The specified version does not exist.', { ...where, versionId });
  if (v.deleteMarker) throw deleteMarkerRefusal(where, v);
  return v;
}

async function replaceTags(ctx: ApplyContext, bucket: string, objectKey: string, versionId: string, tags: Record<string, string>): Promise<string> {
  checkTagSet(tags, { bucket, key: objectKey });
  return replaceVersionAttributes(ctx, bucket, objectKey, versionId, ChangeKind.OBJECT_TAGGING_CHANGED,
    (attributes) => (attributes ? { ...attributes, tags } : create(ObjectAttributesSchema, { tags })));
}

/**
 * Rewrites one version's attributes in place (tags, ACL): no new version, same sequence and
 * last-modified time, its c/ copy kept equal when it is the current version.
 */
export async function replaceVersionAttributes(
  ctx: ApplyContext, bucket: string, objectKey: string, versionId: string, kind: ChangeKind,
  change: (attributes: ObjectAttributes | undefined) => ObjectAttributes,
): Promise<string> {
  await requireBucket(ctx, bucket);
  assertObjectKey(bucket, objectKey);
  const target = await taggedVersion(ctx, bucket, objectKey, versionId);
  const seq = Number(target.sequence);
  const updated = create(ObjectVersionSchema, { ...summaryOf(target), attributes: change(target.attributes) });
  ctx.put(key.version(bucket, objectKey, seq), ObjectVersionSchema, updated);
  // c/ is a copy of the current version: keep it one, or listings would show stale attributes.
  const cur = await currentVersion(ctx, bucket, objectKey);
  if (cur?.sequence === target.sequence) ctx.put(key.current(bucket, objectKey), ObjectVersionSchema, updated);
  ctx.change({ kind, bucket, key: objectKey, versionId: target.versionId });
  return target.versionId;
}

export async function applyPutObjectTagging(ctx: ApplyContext, req: PutObjectTaggingRequest): Promise<PutObjectTaggingResponse> {
  const versionId = await replaceTags(ctx, req.bucket, req.key, req.versionId, req.tags);
  return create(PutObjectTaggingResponseSchema, { versionId });
}

export async function applyDeleteObjectTagging(ctx: ApplyContext, req: DeleteObjectTaggingRequest): Promise<DeleteObjectTaggingResponse> {
  const versionId = await replaceTags(ctx, req.bucket, req.key, req.versionId, {});
  return create(DeleteObjectTaggingResponseSchema, { versionId });
}
