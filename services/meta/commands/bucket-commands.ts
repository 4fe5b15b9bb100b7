// Applying bucket commands: create, delete (refused unless empty), configuration documents and
// the versioning state.
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  BucketSchema, ChangeKind, GarbageReason, MultipartUploadSchema, VersioningState,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type {
  CreateBucketRequest, CreateBucketResponse, DeleteBucketRequest, DeleteBucketResponse,
  PutBucketConfigRequest, PutBucketConfigResponse, PutBucketVersioningRequest, PutBucketVersioningResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import {
  CreateBucketResponseSchema, DeleteBucketResponseSchema, PutBucketConfigResponseSchema, PutBucketVersioningResponseSchema,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_CONFIG_DOCUMENT_BYTES, MAX_CONFIG_KIND_LENGTH } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { assertBucketName } from '../validation/bucket-name.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key, prefixEnd, splitUploadKey } from '../state/meta-keys.ts';
import { requireBucket } from '../state/record-reads.ts';
import { dropUploadParts } from './multipart-commands.ts';
import { PROTECTED_CONFIG_KINDS, WORM_CONFIG_KIND, objectLockConfigOf } from '../rules/protection-records.ts';
import { checkObjectLockConfig } from './protection-commands.ts';

const CONFIG_KIND = /^[a-z0-9][a-z0-9-]*$/;

export async function applyCreateBucket(ctx: ApplyContext, req: CreateBucketRequest): Promise<CreateBucketResponse> {
  assertBucketName(req.name);
  const existing = await ctx.get(BucketSchema, key.bucket(req.name));
  if (existing) {
    if (existing.owner === req.owner) {
      throw new MetaError('BucketAlreadyOwnedByYou', `you already own bucket ${req.name}`, { bucket: req.name });
    }
    throw new MetaError('BucketAlreadyExists', `bucket ${req.name} is taken`, { bucket: req.name });
  }
  if (req.versioning !== VersioningState.UNSPECIFIED && req.versioning !== VersioningState.ENABLED) {
    throw new MetaError('IllegalVersioningConfigurationException', 'a new bucket is unversioned or versioning-enabled', { bucket: req.name });
  }
  for (const [kind, doc] of Object.entries(req.configs)) checkConfig(req.name, kind, doc);
  if (req.configs[WORM_CONFIG_KIND]) throw new MetaError('InvalidArgument', 'a retention policy is set with InitiateBucketWorm', { bucket: req.name });
  const lock = objectLockConfigOf(create(BucketSchema, { configs: req.configs }));
  if (lock) {
    // Object lock needs versioning on from the start (and forever: see applyPutBucketVersioning).
    checkObjectLockConfig(req.name, lock);
    if (req.versioning !== VersioningState.ENABLED) {
      throw new MetaError('InvalidBucketState', 'a bucket with object lock is created versioning-enabled', { bucket: req.name });
    }
  }
  const bucket = create(BucketSchema, {
    name: req.name, owner: req.owner, createdMs: ctx.stamp.timeMs, region: req.region,
    versioning: req.versioning, configs: req.configs,
  });
  ctx.put(key.bucket(req.name), BucketSchema, bucket);
  ctx.change({ kind: ChangeKind.BUCKET_CREATED, bucket: req.name });
  return create(CreateBucketResponseSchema, { bucket });
}

/**
 * Refused while any version or delete marker exists. Multipart uploads still in progress are
 * aborted with the bucket (their parts queued for garbage collection) rather than blocking it.
 */
export async function applyDeleteBucket(ctx: ApplyContext, req: DeleteBucketRequest): Promise<DeleteBucketResponse> {
  await requireBucket(ctx, req.name);
  const versions = key.bucketSpace('version', req.name);
  if (await ctx.store.first({ gte: versions, lt: prefixEnd(versions)! })) {
    throw new MetaError('BucketNotEmpty', `bucket ${req.name} is not empty`, { bucket: req.name });
  }
  const uploads = key.bucketSpace('upload', req.name);
  for (const [k, v] of await ctx.store.range({ gte: uploads, lt: prefixEnd(uploads)! })) {
    const upload = fromBinary(MultipartUploadSchema, v);
    await dropUploadParts(ctx, req.name, upload.key, splitUploadKey(k, uploads.length).uploadId, GarbageReason.UPLOAD_ABORTED);
    ctx.del(k);
  }
  ctx.del(key.bucket(req.name));
  ctx.change({ kind: ChangeKind.BUCKET_DELETED, bucket: req.name });
  return create(DeleteBucketResponseSchema, {});
}

export async function applyPutBucketConfig(ctx: ApplyContext, req: PutBucketConfigRequest): Promise<PutBucketConfigResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  checkConfig(req.bucket, req.kind, req.document);
  // These only change through their own commands, which enforce that a locked policy or an
  // object-lock bucket is never weakened: a plain config write must not get around that.
  if (PROTECTED_CONFIG_KINDS.has(req.kind)) {
    throw new MetaError('InvalidArgument', `config ${req.kind} is changed only through its own API`, { bucket: req.bucket });
  }
  const configs = { ...bucket.configs };
  if (req.document.length === 0) delete configs[req.kind];
  else configs[req.kind] = req.document;
  const updated = create(BucketSchema, { ...bucket, configs });
  ctx.put(key.bucket(req.bucket), BucketSchema, updated);
  ctx.change({ kind: ChangeKind.BUCKET_CONFIG_CHANGED, bucket: req.bucket, detail: req.kind });
  return create(PutBucketConfigResponseSchema, { bucket: updated });
}

export async function applyPutBucketVersioning(ctx: ApplyContext, req: PutBucketVersioningRequest): Promise<PutBucketVersioningResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  if (req.versioning !== VersioningState.ENABLED && req.versioning !== VersioningState.SUSPENDED) {
    throw new MetaError('IllegalVersioningConfigurationException', 'versioning can only be Enabled or Suspended', { bucket: req.bucket });
  }
  if (req.versioning === VersioningState.SUSPENDED && objectLockConfigOf(bucket)?.enabled) {
    throw new MetaError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', { bucket: req.bucket });
  }
  if (req.versioning === VersioningState.SUSPENDED && bucket.configs[WORM_CONFIG_KIND]) {
    throw new MetaError('InvalidBucketState', 'versioning cannot be suspended on a bucket with a retention policy', { bucket: req.bucket });
  }
  const updated = create(BucketSchema, { ...bucket, versioning: req.versioning });
  ctx.put(key.bucket(req.bucket), BucketSchema, updated);
  ctx.change({ kind: ChangeKind.BUCKET_CONFIG_CHANGED, bucket: req.bucket, detail: 'versioning' });
  return create(PutBucketVersioningResponseSchema, { bucket: updated });
}

function checkConfig(bucket: string, kind: string, doc: Uint8Array): void {
  if (kind.length === 0 || kind.length > MAX_CONFIG_KIND_LENGTH || !CONFIG_KIND.test(kind)) {
    throw new MetaError('InvalidArgument', `bad config kind ${JSON.stringify(kind)}`, { bucket });
  }
  if (doc.length > MAX_CONFIG_DOCUMENT_BYTES) {
    throw new MetaError('InvalidArgument', `config document ${kind} is ${doc.length} bytes; the limit is ${MAX_CONFIG_DOCUMENT_BYTES}`, { bucket });
  }
}

