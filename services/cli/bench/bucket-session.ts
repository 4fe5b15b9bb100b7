// The bench bucket on each target: created before the run (or an existing one used), every
// gateway checked to take writes, and afterwards every object the run wrote removed (and the
// bucket too when the run created it). Targets the tool started itself are thrown away whole,
// so they skip the per-object cleanup.
import {
  AbortMultipartUploadCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { BenchTarget, Capability } from './bench-target.ts';
import { errorCode } from './error-code.ts';
import { deadline } from './s3-operations.ts';

/** From "bucket created" to every gateway of the target taking writes (a placement refresh or two). */
export const WRITABLE_LIMIT_MS = 30_000;
/** Removing what a run wrote, at most. */
export const CLEANUP_LIMIT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 30_000;
const PROBE_PAUSE_MS = 250;
const DELETE_BATCH = 1000;

export interface PreparedBucket {
  created: boolean;
}

export async function prepareBucket(target: BenchTarget, bucket: string, prefix: string, needs: readonly Capability[]): Promise<PreparedBucket> {
  // File-served targets take seeds on disk; they have no bucket to create.
  if (target.seedObject) return { created: false };
  let created = false;
  try {
    await target.clients()[0]!.send(new CreateBucketCommand({ Bucket: bucket }), deadline(REQUEST_TIMEOUT_MS));
    created = true;
  } catch (err) {
    if (!/BucketAlreadyOwnedByYou/.test(errorCode(err))) throw new Error(`${target.label}: cannot create bucket ${bucket}: ${errorCode(err)}: ${(err as Error).message}`);
  }
  if (needs.some((c) => c !== 'read')) {
    await Promise.all(target.clients().map((c, i) => untilWritable(target.label, c, bucket, `${prefix}probe-${i}`)));
  }
  return { created };
}

async function untilWritable(label: string, s3: S3Client, bucket: string, key: string): Promise<void> {
  const end = Date.now() + WRITABLE_LIMIT_MS;
  for (;;) {
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('probe') }), deadline(REQUEST_TIMEOUT_MS));
      return;
    } catch (err) {
      if (Date.now() >= end) throw new Error(`${label}: no write accepted within ${WRITABLE_LIMIT_MS} ms: ${errorCode(err)}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, PROBE_PAUSE_MS));
    }
  }
}

/** Removes the run's objects and unfinished uploads under `prefix`; the bucket too if the run made it. */
export async function cleanupBucket(target: BenchTarget, bucket: string, prefix: string, prepared: PreparedBucket): Promise<string> {
  if (target.throwaway || target.seedObject) return 'thrown away with the server';
  const s3 = target.clients()[0]!;
  const end = Date.now() + CLEANUP_LIMIT_MS;
  const left = (): { abortSignal: AbortSignal } => deadline(Math.max(1, Math.min(REQUEST_TIMEOUT_MS, end - Date.now())));
  let removed = 0;
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: DELETE_BATCH }), left());
    const keys = (page.Contents ?? []).map((o) => o.Key!);
    if (keys.length > 0) await deleteKeys(s3, bucket, keys, left);
    removed += keys.length;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  }
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }), left()).catch(() => undefined);
  for (const u of uploads?.Uploads ?? []) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }), left()).catch(() => {});
  }
  if (prepared.created) {
    try {
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }), left());
      return `removed ${removed} objects and the bucket`;
    } catch (err) {
      return `removed ${removed} objects; the bucket stays (${errorCode(err)})`;
    }
  }
  return `removed ${removed} objects`;
}

async function deleteKeys(s3: S3Client, bucket: string, keys: string[], left: () => { abortSignal: AbortSignal }): Promise<void> {
  try {
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), left());
    if ((res.Errors ?? []).length === 0) return;
  } catch {
    // Some servers lack DeleteObjects: one at a time below.
  }
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }), left());
}
