// OSS signature V4 (OSS4-HMAC-SHA256). Shaped like SigV4, with OSS's differences: the canonical
// URI is `/bucket/key` whatever the addressing style; the signed headers are not listed by the
// client but fixed (Content-Type, Content-MD5 and every x-oss-* header present) plus the
// AdditionalHeaders it names; the key derives from "aliyun_v4" + secret; the scope ends in
// `oss/aliyun_v4_request`.
import { createHash, createHmac } from 'node:crypto';
import type { RequestHeaders } from '../auth/request-view.ts';
import { canonicalHeaderLines, ossHeaderNames } from './oss-canonical-headers.ts';
import { OSS_V4_ALGORITHM, OSS_V4_SERVICE, OSS_V4_TERMINATOR } from './oss-claim.ts';
import { OSS_V4_SIGNING_KEY_CACHE_ENTRIES } from './oss-auth-limits.ts';
import { byteStringBytes } from './oss-string-bytes.ts';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** Headers V4 always signs when present, besides every x-oss-* one. */
const DEFAULT_SIGNED_HEADERS = ['content-type', 'content-md5'];

export interface V4CanonicalRequestInput {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  headers: RequestHeaders;
  /** Lower-case, sorted, as the claim listed them. */
  additionalHeaders: readonly string[];
  /** x-oss-content-sha256 as sent, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

/** The canonical request, as a byte string (header values may carry any byte). */
export function v4CanonicalRequest(i: V4CanonicalRequestInput): string {
  const present = DEFAULT_SIGNED_HEADERS.filter((name) => i.headers[name] !== undefined);
  const headerLines = canonicalHeaderLines(i.headers, [...present, ...ossHeaderNames(i.headers), ...i.additionalHeaders]);
  return [i.method, i.canonicalUri, i.canonicalQuery, headerLines, i.additionalHeaders.join(';'), i.payloadHash].join('\n');
}

/** `yyyyMMdd/region/oss/aliyun_v4_request`. */
export function v4Scope(date: string, region: string): string {
  return `${date}/${region}/${OSS_V4_SERVICE}/${OSS_V4_TERMINATOR}`;
}

export function v4StringToSign(ossDate: string, scope: string, canonicalRequest: string): string {
  const hash = createHash('sha256').update(byteStringBytes(canonicalRequest)).digest('hex');
  return `${OSS_V4_ALGORITHM}\n${ossDate}\n${scope}\n${hash}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

// Least recently used first (a Map iterates in insertion order; a hit is re-inserted).
const signingKeys = new Map<string, Buffer>();

/** HMAC chain "aliyun_v4" + secret → date → region → "oss" → "aliyun_v4_request", cached. */
export function v4SigningKey(secret: string, date: string, region: string): Buffer {
  // '\n' cannot occur in a date or region, so the cache key is unambiguous.
  const cacheKey = `${date}\n${region}\n${secret}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) {
    signingKeys.delete(cacheKey);
    signingKeys.set(cacheKey, cached);
    return cached;
  }
  const key = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), OSS_V4_SERVICE), OSS_V4_TERMINATOR);
  signingKeys.set(cacheKey, key);
  if (signingKeys.size > OSS_V4_SIGNING_KEY_CACHE_ENTRIES) signingKeys.delete(signingKeys.keys().next().value!);
  return key;
}

export function v4Signature(signingKey: Buffer, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}
