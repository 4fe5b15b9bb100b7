// Applying multipart upload commands: create, put part, complete, abort.
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  ChangeKind, GarbageReason, ManifestPartSchema, ManifestSchema, MultipartUploadSchema, ObjectVersionSchema,
  UploadPartSchema, type MultipartUpload, type UploadPart,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  AbortMultipartUploadResponseSchema, CompleteMultipartUploadResponseSchema, CreateMultipartUploadResponseSchema,
  PutPartResponseSchema,
  type AbortMultipartUploadRequest, type AbortMultipartUploadResponse, type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResponse, type CreateMultipartUploadRequest, type CreateMultipartUploadResponse,
  type PutPartRequest, type PutPartResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_PART_NUMBER } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { multipartEtag, normalizeEtag } from '../rules/etag.ts';
import { idFor } from '../rules/ids.ts';
import { checkCompletion, type StoredPartFacts } from '../rules/multipart-completion.ts';
import { OBJECT_TYPE } from '../rules/object-type.ts';
import { checkPreconditions } from '../rules/preconditions.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';
import type { RecordReader } from '../state/record-reads.ts';
import { chunksOfStripes, currentVersion, requireBucket } from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { storedPartSize } from '../rules/stored-size.ts';
import { checkUserMeta, writeVersion } from './object-versions.ts';
import { lockForNewVersion } from './protection-commands.ts';

export async function requireUpload(r: RecordReader, bucket: string, objectKey: string, uploadId: string): Promise<MultipartUpload> {
  const u = await r.get(MultipartUploadSchema, key.upload(bucket, objectKey, uploadId));
  if (!u) throw new MetaError('NoSuchUpload', 'the upload does not exist; it may have been completed or aborted', { bucket, key: objectKey, uploadId });
  return u;
}

/** Deletes every part of an upload, queueing their chunks as garbage. */
export async function dropUploadParts(ctx: ApplyContext, bucket: string, objectKey: string, uploadId: string, reason: GarbageReason, keep?: ReadonlySet<number>): Promise<void> {
  const parts = key.partsOf(uploadId);
  for (const [k, v] of await ctx.store.range({ gte: parts, lt: prefixEnd(parts)! })) {
    const part = fromBinary(UploadPartSchema, v);
    ctx.del(k);
    if (keep?.has(part.number)) continue;
    ctx.garbage(chunksOfStripes(part.data?.stripes ?? []), reason, bucket, objectKey);
  }
}

export async function applyCreateMultipartUpload(ctx: ApplyContext, req: CreateMultipartUploadRequest): Promise<CreateMultipartUploadResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  assertObjectKey(req.bucket, req.key);
  checkUserMeta(req.bucket, req.key, req.attributes?.userMeta);
  // The lock asked for is checked now (retain-until in the future); the default retention is
  // applied at completion, from that command's time.
  lockForNewVersion(bucket, req.lock, Number(ctx.stamp.timeMs), req.key);
  const upload = create(MultipartUploadSchema, {
    key: req.key, uploadId: idFor(ctx.stamp.index, ctx.stamp.nonce), initiatedMs: ctx.stamp.timeMs,
    attributes: req.attributes, scheme: req.scheme, blockSize: req.blockSize, encryption: req.encryption,
    checksumAlgorithm: req.checksumAlgorithm, lock: req.lock,
  });
  ctx.put(key.upload(req.bucket, req.key, upload.uploadId), MultipartUploadSchema, upload);
  ctx.change({ kind: ChangeKind.UPLOAD_CREATED, bucket: req.bucket, key: req.key, detail: upload.uploadId });
  return create(CreateMultipartUploadResponseSchema, { upload });
}

export async function applyPutPart(ctx: ApplyContext, req: PutPartRequest): Promise<PutPartResponse> {
  const where = { bucket: req.bucket, key: req.key, uploadId: req.uploadId };
  await requireBucket(ctx, req.bucket);
  if (!Number.isInteger(req.partNumber) || req.partNumber < 1 || req.partNumber > MAX_PART_NUMBER) {
    throw new MetaError('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}`, where);
  }
  const upload = await requireUpload(ctx, req.bucket, req.key, req.uploadId);
  // The part's size is its plaintext's; its stripes hold the stored bytes (encrypted blocks when the upload is encrypted).
  const stored = storedPartSize(req.size, upload.encryption);
  if (req.stripes.length > 0) {
    const sum = req.stripes.reduce((s, st) => s + st.size, 0n);
    if (sum !== stored) throw new MetaError('InvalidArgument', `stripes hold ${sum} bytes, part size is ${req.size}`, where);
  }
  const pkey = key.part(req.uploadId, req.partNumber);
  const old = await ctx.get(UploadPartSchema, pkey);
  const etag = normalizeEtag(req.etag);
  const part = create(UploadPartSchema, {
    number: req.partNumber, size: req.size, etag, checksums: req.checksums, lastModifiedMs: ctx.stamp.timeMs,
    data: create(ManifestPartSchema, { number: req.partNumber, size: stored, etag, stripes: req.stripes }),
  });
  if (old) {
    // A retried upload of the same part may carry the same chunks: only the others are garbage.
    const kept = new Set(chunksOfStripes(req.stripes).map((c) => `${c.node}/${c.chunkId}`));
    const dropped = chunksOfStripes(old.data?.stripes ?? []).filter((c) => !kept.has(`${c.node}/${c.chunkId}`));
    ctx.garbage(dropped, GarbageReason.PART_REPLACED, req.bucket, req.key);
  }
  ctx.put(pkey, UploadPartSchema, part);
  return create(PutPartResponseSchema, { part: { ...part, data: undefined } });
}

export async function applyCompleteMultipartUpload(ctx: ApplyContext, req: CompleteMultipartUploadRequest): Promise<CompleteMultipartUploadResponse> {
  const where = { bucket: req.bucket, key: req.key, uploadId: req.uploadId };
  const bucket = await requireBucket(ctx, req.bucket);
  const upload = await requireUpload(ctx, req.bucket, req.key, req.uploadId);
  const stored = new Map<number, UploadPart>();
  const partsSpace = key.partsOf(req.uploadId);
  for (const [, v] of await ctx.store.range({ gte: partsSpace, lt: prefixEnd(partsSpace)! })) {
    const p = fromBinary(UploadPartSchema, v);
    stored.set(p.number, p);
  }
  const requested = req.parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  checkCompletion(requested, stored as ReadonlyMap<number, StoredPartFacts>, ctx.stamp.minPartSize, where);
  const current = await currentVersion(ctx, req.bucket, req.key);
  checkPreconditions(req.preconditions, current?.etag, where);

  const used = requested.map((r) => stored.get(r.partNumber)!);
  const size = used.reduce((s, p) => s + p.size, 0n);
  const manifest = create(ManifestSchema, {
    scheme: upload.scheme, blockSize: upload.blockSize, encryption: upload.encryption,
    parts: used.map((p) => p.data ?? create(ManifestPartSchema, { number: p.number, size: p.size, etag: p.etag })),
  });
  const version = await writeVersion(ctx, bucket, create(ObjectVersionSchema, {
    key: req.key, size, etag: multipartEtag(used.map((p) => p.etag)), checksums: req.checksums,
    attributes: upload.attributes, partsCount: used.length, objectType: OBJECT_TYPE.multipart,
    lock: upload.lock?.mode ? upload.lock : lockForNewVersion(bucket, upload.lock, Number(ctx.stamp.timeMs), req.key),
  }), manifest);
  await dropUploadParts(ctx, req.bucket, req.key, req.uploadId, GarbageReason.PART_REPLACED, new Set(requested.map((r) => r.partNumber)));
  ctx.del(key.upload(req.bucket, req.key, req.uploadId));
  return create(CompleteMultipartUploadResponseSchema, { version });
}

export async function applyAbortMultipartUpload(ctx: ApplyContext, req: AbortMultipartUploadRequest): Promise<AbortMultipartUploadResponse> {
  await requireBucket(ctx, req.bucket);
  await requireUpload(ctx, req.bucket, req.key, req.uploadId);
  await dropUploadParts(ctx, req.bucket, req.key, req.uploadId, GarbageReason.UPLOAD_ABORTED);
  ctx.del(key.upload(req.bucket, req.key, req.uploadId));
  ctx.change({ kind: ChangeKind.UPLOAD_ABORTED, bucket: req.bucket, key: req.key, detail: req.uploadId });
  return create(AbortMultipartUploadResponseSchema, {});
}
