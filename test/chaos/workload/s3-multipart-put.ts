// A register `put` written by multipart upload: CreateMultipartUpload, UploadPart for each part
// of the value's body (the value's name says the part size), CompleteMultipartUpload. The put's
// outcome is Complete's: a failure before it is certain and leaves the key alone (the upload is
// aborted, best effort, within its own bound); Complete timing out, a 5xx or a cut connection is
// indeterminate. One deadline covers the steps, so the put ends within its timeout plus the abort's.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, type S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { RegisterResult } from '../linearizability/index.ts';
import { bodyOf, partSizeOfValue, partsOf, sizeOfValue } from './object-values.ts';
import { classifyMultipartFailure, type MultipartStep } from './s3-failure.ts';

/** S3's (and meta's default) smallest part but the last: the workload's multipart values use it. */
export const MULTIPART_PART_BYTES = 5 * 1024 * 1024;
/** Longest wait for the clean-up abort of a failed upload (its failure is only logged in the outcome). */
export const MULTIPART_ABORT_TIMEOUT_MS = 2_000;

export interface MultipartTarget {
  s3: S3Client;
  bucket: string;
  /** Bound of the create + parts + complete sequence. */
  timeoutMs: number;
}

export async function multipartPut(t: MultipartTarget, key: string, value: string): Promise<{ result: RegisterResult; error?: string }> {
  const partSize = partSizeOfValue(value);
  if (partSize === undefined) throw new Error(`${value} is not a multipart value`);
  const abortSignal = AbortSignal.timeout(t.timeoutMs);
  let step: MultipartStep = 'create';
  let uploadId: string | undefined;
  try {
    const created = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: t.bucket, Key: key }), { abortSignal });
    uploadId = created.UploadId;
    if (!uploadId) throw Object.assign(new Error('no UploadId in the answer'), { name: 'NoUploadId', $metadata: { httpStatusCode: 400 } });
    step = 'upload-part';
    const parts: { PartNumber: number; ETag: string }[] = [];
    for (const [i, Body] of partsOf(bodyOf(value, sizeOfValue(value)), partSize).entries()) {
      const PartNumber = i + 1;
      const r = await t.s3.send(new UploadPartCommand({ Bucket: t.bucket, Key: key, UploadId: uploadId, PartNumber, Body }), { abortSignal });
      if (!r.ETag) throw Object.assign(new Error('no ETag in the answer'), { name: 'NoETag', $metadata: { httpStatusCode: 400 } });
      parts.push({ PartNumber, ETag: r.ETag });
    }
    step = 'complete';
    await t.s3.send(new CompleteMultipartUploadCommand({ Bucket: t.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
    return { result: { type: 'ok' } };
  } catch (err) {
    const meaning = classifyMultipartFailure(step, err);
    const aborted = uploadId === undefined ? '' : await abortQuietly(t, key, uploadId);
    return { result: { type: meaning.kind, reason: meaning.reason }, error: `${meaning.reason}${aborted}` };
  }
}

/** Best-effort clean-up: '' when done, else a note for the op's error text. */
async function abortQuietly(t: MultipartTarget, key: string, uploadId: string): Promise<string> {
  try {
    await t.s3.send(new AbortMultipartUploadCommand({ Bucket: t.bucket, Key: key, UploadId: uploadId }),
      { abortSignal: AbortSignal.timeout(MULTIPART_ABORT_TIMEOUT_MS) });
    return '';
  } catch (err) {
    return ` (abort failed: ${(err as Error).name})`;
  }
}
