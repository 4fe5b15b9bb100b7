// Applying the data-protection commands: the OSS WORM policy (initiate, complete, abort,
// extend), the S3 Object Lock bucket configuration, and per-version retention and legal hold.
// The rules are pure (rules/worm-policy.ts, rules/retention.ts); this file reads and writes records.
import { create } from '@bufbuild/protobuf';
import {
  BucketWormResponseSchema, ObjectLockChangeResponseSchema, ObjectLockConfigRecordSchema, PutObjectLockConfigurationResponseSchema,
  WormPolicyRecordSchema,
  type AbortBucketWormRequest, type BucketWormResponse, type CompleteBucketWormRequest, type ExtendBucketWormRequest,
  type InitiateBucketWormRequest, type ObjectLockChangeResponse, type ObjectLockConfigRecord, type PutObjectLegalHoldRequest,
  type PutObjectLockConfigurationRequest, type PutObjectLockConfigurationResponse, type PutObjectRetentionRequest,
  type VersionLock as VersionLockRecord,
} from '../../common/gen/zonestore/meta/v1/protection_pb.ts';
import { BucketSchema, ChangeKind, VersioningState, type Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaError } from '../meta-error.ts';
import { idFor } from '../rules/ids.ts';
import {
  OBJECT_LOCK_CONFIG_KIND, WORM_CONFIG_KIND, lockModeOf, objectLockConfigDocument, objectLockConfigOf, versionLockOf,
  versionLockRecord, wormPolicyDocument, wormPolicyOf,
} from '../rules/protection-records.ts';
import { defaultRetainUntilMs, retentionChangeAllowed, type WormPolicy } from '../rules/retention.ts';
import { WormRuleError, abortWorm, completeWorm, extendWorm, initiateWorm, livePolicy } from '../rules/worm-policy.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';
import { requireBucket } from '../state/record-reads.ts';
import { replaceVersionAttributesWith } from './version-lock-update.ts';

/** Longest default retention S3 accepts is 100 years; we cap Days and Years the same way. */
const MAX_DEFAULT_RETENTION_DAYS = 36_500;

const nowOf = (ctx: ApplyContext): number => Number(ctx.stamp.timeMs);

function saveConfig(ctx: ApplyContext, bucket: Bucket, kind: string, doc: Uint8Array | undefined): void {
  const configs = { ...bucket.configs };
  if (doc) configs[kind] = doc; else delete configs[kind];
  ctx.put(key.bucket(bucket.name), BucketSchema, create(BucketSchema, { ...bucket, configs }));
  ctx.change({ kind: ChangeKind.BUCKET_CONFIG_CHANGED, bucket: bucket.name, detail: kind });
}

function wormStep<T>(bucket: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof WormRuleError) throw new MetaError(e.code, e.message, { bucket });
    throw e;
  }
}

function wormAnswer(p: WormPolicy | undefined): BucketWormResponse {
  return create(BucketWormResponseSchema, p ? {
    policy: create(WormPolicyRecordSchema, { wormId: p.wormId, state: p.state, retentionDays: p.retentionDays, createdMs: BigInt(p.createdMs) }),
  } : {});
}

export async function applyInitiateBucketWorm(ctx: ApplyContext, req: InitiateBucketWormRequest): Promise<BucketWormResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  // OSS: a retention policy needs versioning enabled or never configured, not suspended.
  if (bucket.versioning === VersioningState.SUSPENDED) {
    throw new MetaError('InvalidBucketState', 'a retention policy cannot be set while versioning is suspended', { bucket: req.bucket });
  }
  const policy = wormStep(req.bucket, () => initiateWorm(wormPolicyOf(bucket), req.retentionDays, idFor(ctx.stamp.index, ctx.stamp.nonce).toUpperCase(), nowOf(ctx)));
  saveConfig(ctx, bucket, WORM_CONFIG_KIND, wormPolicyDocument(policy));
  return wormAnswer(policy);
}

export async function applyCompleteBucketWorm(ctx: ApplyContext, req: CompleteBucketWormRequest): Promise<BucketWormResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  const policy = wormStep(req.bucket, () => completeWorm(wormPolicyOf(bucket), req.wormId, nowOf(ctx)));
  saveConfig(ctx, bucket, WORM_CONFIG_KIND, wormPolicyDocument(policy));
  return wormAnswer(policy);
}

export async function applyAbortBucketWorm(ctx: ApplyContext, req: AbortBucketWormRequest): Promise<BucketWormResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  wormStep(req.bucket, () => abortWorm(wormPolicyOf(bucket), nowOf(ctx)));
  saveConfig(ctx, bucket, WORM_CONFIG_KIND, undefined);
  return wormAnswer(undefined);
}

export async function applyExtendBucketWorm(ctx: ApplyContext, req: ExtendBucketWormRequest): Promise<BucketWormResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  const policy = wormStep(req.bucket, () => extendWorm(wormPolicyOf(bucket), req.wormId, req.retentionDays, nowOf(ctx)));
  saveConfig(ctx, bucket, WORM_CONFIG_KIND, wormPolicyDocument(policy));
  return wormAnswer(policy);
}

/** The policy a GetBucketWorm shows at `nowMs` (an InProgress one past 24 hours is gone). */
export function visibleWormPolicy(bucket: Bucket, nowMs: number): WormPolicy | undefined {
  return livePolicy(wormPolicyOf(bucket), nowMs);
}

/** Checks an object-lock configuration's default retention (mode with exactly one of Days/Years). */
export function checkObjectLockConfig(bucket: string, c: ObjectLockConfigRecord): void {
  const where = { bucket };
  if (!c.enabled) throw new MetaError('MalformedXML', 'ObjectLockEnabled must be Enabled', where);
  if (c.defaultMode === '') {
    if (c.defaultDays || c.defaultYears) throw new MetaError('MalformedXML', 'a default retention period needs a mode', where);
    return;
  }
  if (!lockModeOf(c.defaultMode)) throw new MetaError('MalformedXML', `unknown retention mode ${c.defaultMode}`, where);
  if ((c.defaultDays > 0) === (c.defaultYears > 0)) throw new MetaError('MalformedXML', 'a default retention has exactly one of Days and Years', where);
  if (c.defaultDays > MAX_DEFAULT_RETENTION_DAYS || c.defaultYears * 365 > MAX_DEFAULT_RETENTION_DAYS) {
    throw new MetaError('InvalidArgument', 'Default retention period too large', where);
  }
}

export async function applyPutObjectLockConfiguration(ctx: ApplyContext, req: PutObjectLockConfigurationRequest): Promise<PutObjectLockConfigurationResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  const config = req.config ?? create(ObjectLockConfigRecordSchema, {});
  if (!objectLockConfigOf(bucket)?.enabled) {
    // S3 lets PutObjectLockConfiguration turn lock on for a versioned bucket; we keep it to
    // buckets created with it, as older S3 did, so versioning can never have been suspended.
    throw new MetaError('InvalidBucketState', 'Object Lock configuration cannot be enabled on existing buckets', { bucket: req.bucket });
  }
  checkObjectLockConfig(req.bucket, config);
  saveConfig(ctx, bucket, OBJECT_LOCK_CONFIG_KIND, objectLockConfigDocument(config));
  return create(PutObjectLockConfigurationResponseSchema, { config });
}

/**
 * The lock a new version gets: the one asked for with the write (refused unless the bucket has
 * object lock), else the bucket's default retention from the command's time.
 */
export function lockForNewVersion(bucket: Bucket, requested: VersionLockRecord | undefined, nowMs: number, objectKey: string): VersionLockRecord | undefined {
  const where = { bucket: bucket.name, key: objectKey };
  const config = objectLockConfigOf(bucket);
  const asked = requested && (requested.mode !== '' || requested.legalHold) ? requested : undefined;
  if (asked) {
    if (!config?.enabled) throw new MetaError('InvalidRequest', 'Bucket is missing Object Lock Configuration', where);
    if (asked.mode !== '') checkRetentionAsked(asked.mode, Number(asked.retainUntilMs), nowMs, where);
    // Only a legal hold asked: the default retention still applies.
    if (asked.mode !== '' || !config.defaultMode) return asked;
  }
  if (!config?.enabled || !config.defaultMode) return asked;
  return versionLockRecord({
    mode: lockModeOf(config.defaultMode)!,
    retainUntilMs: defaultRetainUntilMs(nowMs, { days: config.defaultDays, years: config.defaultYears }),
    legalHold: asked?.legalHold ?? false,
  });
}

function checkRetentionAsked(mode: string, retainUntilMs: number, nowMs: number, where: Record<string, string>): void {
  if (!lockModeOf(mode)) throw new MetaError('InvalidArgument', `Unknown wormMode directive ${mode}`, where);
  if (!(retainUntilMs > nowMs)) throw new MetaError('InvalidArgument', 'The retain until date must be in the future!', where);
}

export async function applyPutObjectRetention(ctx: ApplyContext, req: PutObjectRetentionRequest): Promise<ObjectLockChangeResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  const where = { bucket: req.bucket, key: req.key };
  if (!objectLockConfigOf(bucket)?.enabled) throw new MetaError('InvalidRequest', 'Bucket is missing Object Lock Configuration', where);
  const now = nowOf(ctx);
  if (req.mode !== '') checkRetentionAsked(req.mode, Number(req.retainUntilMs), now, where);
  const next = req.mode !== '' ? { mode: lockModeOf(req.mode)!, retainUntilMs: Number(req.retainUntilMs) } : {};
  const { versionId, lock } = await replaceVersionAttributesWith(ctx, req.bucket, req.key, req.versionId, (v) => {
    const current = versionLockOf(v.lock);
    const verdict = retentionChangeAllowed(current, next, now, { bypassGovernance: req.bypassGovernance });
    if (!verdict.ok) throw new MetaError('AccessDenied', `Access Denied because object protected by object lock: ${verdict.why}`, { ...where, versionId: v.versionId });
    return versionLockRecord({ ...next, legalHold: current?.legalHold });
  });
  return create(ObjectLockChangeResponseSchema, { versionId, lock });
}

export async function applyPutObjectLegalHold(ctx: ApplyContext, req: PutObjectLegalHoldRequest): Promise<ObjectLockChangeResponse> {
  const bucket = await requireBucket(ctx, req.bucket);
  if (!objectLockConfigOf(bucket)?.enabled) throw new MetaError('InvalidRequest', 'Bucket is missing Object Lock Configuration', { bucket: req.bucket, key: req.key });
  const { versionId, lock } = await replaceVersionAttributesWith(ctx, req.bucket, req.key, req.versionId, (v) => {
    const current = versionLockOf(v.lock) ?? {};
    return versionLockRecord({ ...current, legalHold: req.on });
  });
  return create(ObjectLockChangeResponseSchema, { versionId, lock });
}
