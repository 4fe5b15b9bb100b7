// One register operation as S3 requests: put (a single PUT, or a multipart upload when the value
// names a part size: s3-multipart-put.ts), conditional puts (If-None-Match: * and If-Match on
// the expected value's ETag), delete, get (the body says which value it is), and a listing's
// presence per key. Each call has a hard deadline; its outcome is a register result whose
// failures are classified by what they say about the effect (s3-failure.ts).
import {
  DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { RegisterCall, RegisterResult } from '../linearizability/index.ts';
import { bodyOf, corruptReadValue, decodeBody, etagOfValue, partSizeOfValue, sizeOfValue } from './object-values.ts';
import { multipartPut } from './s3-multipart-put.ts';
import { classifyS3Failure } from './s3-failure.ts';

/** Most listing pages read for one listing (the key set is small: one page normally). */
const MAX_LIST_PAGES = 20;

export interface CallOutcome {
  result: RegisterResult;
  /** The error code/reason when the call did not succeed plainly. */
  error?: string;
  /** The read's body was not exactly some write's (bitrot that got through, a mixed-up object). */
  corrupt?: boolean;
}

export interface RegisterTarget {
  s3: S3Client;
  bucket: string;
  timeoutMs: number;
}

export async function runRegisterCall(t: RegisterTarget, key: string, call: RegisterCall): Promise<CallOutcome> {
  if ('value' in call && partSizeOfValue(call.value) !== undefined) {
    if (call.f !== 'put') throw new Error(`a multipart value is only written by a plain put, not ${call.f}`);
    return multipartPut(t, key, call.value);
  }
  const abortSignal = AbortSignal.timeout(t.timeoutMs);
  try {
    switch (call.f) {
      case 'put':
      case 'put-if-absent':
      case 'put-if-match': {
        const Body = bodyOf(call.value, sizeOfValue(call.value));
        const IfNoneMatch = call.f === 'put-if-absent' ? '*' : undefined;
        const IfMatch = call.f === 'put-if-match' ? etagOfValue(call.expected) : undefined;
        await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body, IfNoneMatch, IfMatch }), { abortSignal });
        return { result: { type: 'ok' } };
      }
      case 'delete':
        await t.s3.send(new DeleteObjectCommand({ Bucket: t.bucket, Key: key }), { abortSignal });
        return { result: { type: 'ok' } };
      case 'get': {
        const got = await t.s3.send(new GetObjectCommand({ Bucket: t.bucket, Key: key }), { abortSignal });
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        const decoded = decodeBody(bytes);
        if (decoded.intact) return { result: { type: 'read', value: decoded.value } };
        return { result: { type: 'read', value: corruptReadValue(decoded) }, corrupt: true, error: 'corrupt body' };
      }
      case 'exists':
        throw new Error('exists is answered by listKeys, for all keys at once');
    }
  } catch (err) {
    const meaning = classifyS3Failure(err);
    switch (meaning.kind) {
      case 'precondition-failed':
        if (call.f === 'put-if-absent' || call.f === 'put-if-match') return { result: { type: 'precondition-failed' } };
        return { result: { type: 'failed', reason: 'PreconditionFailed' }, error: 'PreconditionFailed' };
      case 'no-such-key':
        if (call.f === 'get') return { result: { type: 'read', value: null } };
        if (call.f === 'put-if-match') return { result: { type: 'no-such-key' } };
        return { result: { type: 'failed', reason: 'NoSuchKey' }, error: 'NoSuchKey' };
      case 'failed': return { result: { type: 'failed', reason: meaning.reason }, error: meaning.reason };
      case 'indeterminate': return { result: { type: 'indeterminate', reason: meaning.reason }, error: meaning.reason };
    }
  }
}

/** Lists `prefix` (every page): the set of keys, or the failure's meaning. */
export async function listKeys(t: RegisterTarget, prefix: string): Promise<{ keys: Set<string> } | { error: string }> {
  const abortSignal = AbortSignal.timeout(t.timeoutMs);
  const keys = new Set<string>();
  let token: string | undefined;
  try {
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const r = await t.s3.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal });
      for (const o of r.Contents ?? []) if (o.Key) keys.add(o.Key);
      if (!r.IsTruncated) return { keys };
      token = r.NextContinuationToken;
    }
    return { error: `more than ${MAX_LIST_PAGES} pages` };
  } catch (err) {
    const m = classifyS3Failure(err);
    return { error: m.kind === 'failed' || m.kind === 'indeterminate' ? m.reason : m.kind };
  }
}
