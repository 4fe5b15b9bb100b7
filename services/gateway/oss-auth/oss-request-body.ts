// The body of an OSS request, through the same decoder as S3's (openRequestBody): Content-MD5
// checked, a V4-signed x-oss-content-sha256 checked, length enforced, MD5 digested. What is
// S3-only is kept out: x-amz-* headers are hidden from the decoder, so an OSS request is never
// aws-chunked and never checked against x-amz-checksum-* or x-amz-trailer values.
import type { Readable } from 'node:stream';
import { type Authentication, openRequestBody, type RequestBody, type RequestBodyOptions } from '../auth/index.ts';
import { headerValue, type RequestHeaders } from '../auth/request-view.ts';
import { StoreError } from '../errors/store-error.ts';

/**
 * Opens the body of an OSS request authenticated by authenticateOss (or anonymous), with
 * openRequestBody's contract: header problems (malformed Content-MD5 → InvalidDigest, size
 * over the limit) throw here; mismatches (Content-MD5 → BadDigest, x-oss-content-sha256 →
 * XAmzContentSHA256Mismatch, length → IncompleteBody) error the stream before 'end'. The OSS
 * dialect renders those internal codes in OSS's terms.
 */
export function openOssBody(source: Readable, headers: RequestHeaders, auth: Authentication, options: RequestBodyOptions = {}): RequestBody {
  const visible: RequestHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith('x-amz-')) visible[name] = value;
  if (auth.anonymous) {
    // No signature binds it, but a hash the client sent is still worth checking.
    const sha256 = headerValue(headers, 'x-oss-content-sha256')?.trim();
    if (sha256 !== undefined && /^[0-9a-fA-F]{64}$/.test(sha256)) visible['x-amz-content-sha256'] = sha256.toLowerCase();
  } else if (auth.payload.kind !== 'unsigned' && auth.payload.kind !== 'sha256') {
    throw new StoreError('InternalError', `An OSS request body cannot be ${auth.payload.kind}.`);
  }
  return openRequestBody(source, visible, auth, options);
}
