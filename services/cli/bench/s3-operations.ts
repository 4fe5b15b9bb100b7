// The S3 calls the scenarios are made of, each bounded by the caller's per-operation deadline.
// Bodies are drained without being kept (a 64 MiB GET must not cost 64 MiB of heap) and their
// length checked, so a short read counts as an error rather than as fast throughput.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';

/** Cleanup after a failed multipart upload: best effort, never longer than this. */
const ABORT_TIMEOUT_MS = 10_000;

export const deadline = (ms: number): { abortSignal: AbortSignal } => ({ abortSignal: AbortSignal.timeout(ms) });

export async function putObject(s3: S3Client, bucket: string, key: string, body: Buffer, timeoutMs: number): Promise<number> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }), deadline(timeoutMs));
  return body.length;
}

export class ShortBodyError extends Error {
  override readonly name = 'ShortBody';
}

export async function getObject(s3: S3Client, bucket: string, key: string, expectedBytes: number | undefined, timeoutMs: number): Promise<number> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), deadline(timeoutMs));
  const got = await drain(res.Body);
  if (expectedBytes !== undefined && got !== expectedBytes) throw new ShortBodyError(`${key}: body had ${got} of ${expectedBytes} bytes`);
  return got;
}

async function drain(body: unknown): Promise<number> {
  if (!body || typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] !== 'function') throw new Error('response has no body');
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) n += chunk.length;
  return n;
}

export async function deleteObject(s3: S3Client, bucket: string, key: string, timeoutMs: number): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), deadline(timeoutMs));
}

/** A cheap request that opens (or revives) a keep-alive socket; a 404 is as good as a 200 here. */
export async function touch(s3: S3Client, bucket: string, key: string, timeoutMs: number): Promise<void> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), deadline(timeoutMs));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === undefined) throw err;
  }
}

export interface ListPage {
  micros: number;
  keys: number;
  prefixes: number;
}

/** Lists everything under `prefix` (one level when `delimiter` is set), page by page; returns entries seen. */
export async function listAll(
  s3: S3Client, bucket: string, prefix: string, delimiter: string | undefined, pageSize: number, timeoutMs: number,
  onPage: (page: ListPage) => void,
): Promise<number> {
  let token: string | undefined;
  let entries = 0;
  const end = Date.now() + timeoutMs;
  do {
    const t0 = performance.now();
    const res = await s3.send(new ListObjectsV2Command({
      Bucket: bucket, Prefix: prefix, Delimiter: delimiter, MaxKeys: pageSize, ContinuationToken: token,
    }), deadline(Math.max(1, end - Date.now())));
    const keys = res.Contents?.length ?? 0;
    const prefixes = res.CommonPrefixes?.length ?? 0;
    onPage({ micros: (performance.now() - t0) * 1000, keys, prefixes });
    entries += keys + prefixes;
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return entries;
}

export interface MultipartShape {
  partSize: number;
  partsInFlight: number;
}

/** One whole multipart upload: create, the parts `partsInFlight` at a time, complete (or abort on failure). */
export async function multipartUpload(
  s3: S3Client, bucket: string, key: string, body: Buffer, shape: MultipartShape, timeoutMs: number,
  onPart: (micros: number, bytes: number) => void,
): Promise<number> {
  const signal = AbortSignal.timeout(timeoutMs);
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  const uploadId = created.UploadId!;
  const count = Math.max(1, Math.ceil(body.length / shape.partSize));
  const etags: string[] = new Array(count);
  let next = 0;
  try {
    await Promise.all(Array.from({ length: Math.min(shape.partsInFlight, count) }, async () => {
      while (next < count) {
        const i = next++;
        const part = body.subarray(i * shape.partSize, Math.min(body.length, (i + 1) * shape.partSize));
        const t0 = performance.now();
        const res = await s3.send(new UploadPartCommand({
          Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: part,
        }), { abortSignal: signal });
        onPart((performance.now() - t0) * 1000, part.length);
        etags[i] = res.ETag!;
      }
    }));
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId: uploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }), { abortSignal: signal });
  } catch (err) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), deadline(ABORT_TIMEOUT_MS)).catch(() => {});
    throw err;
  }
  return body.length;
}
