// SigV4's cryptographic steps (pure: shared by the gateway, which verifies, and the clients, which sign): the signing key derived from a secret, the strings to sign for
// a request, an aws-chunked chunk and its trailer, and constant-time signature comparison.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
export const SIGV4_TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';
export const SIGV4_SERVICE = 's3';
export const SIGV4_TERMINATOR = 'aws4_request';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const EMPTY_SHA256_HEX = sha256Hex('');

export function hmacSha256(key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `date/region/service/aws4_request`. */
export function credentialScope(date: string, region: string, service = SIGV4_SERVICE): string {
  return `${date}/${region}/${service}/${SIGV4_TERMINATOR}`;
}

/** Most derived signing keys kept (one per secret, day, region and service). */
export const SIGNING_KEY_CACHE_ENTRIES = 1024;

// Least recently used first (a Map iterates in insertion order; a hit is re-inserted).
const signingKeys = new Map<string, Buffer>();

/**
 * HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached: the
 * same key signs every request of a day, and each derivation costs four HMACs.
 */
export function signingKey(secret: string, date: string, region: string, service = SIGV4_SERVICE): Buffer {
  // '\n' cannot occur in a date, region or service, so the cache key is unambiguous.
  const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) {
    signingKeys.delete(cacheKey);
    signingKeys.set(cacheKey, cached);
    return cached;
  }
  const dateKey = hmacSha256(`AWS4${secret}`, date);
  const key = hmacSha256(hmacSha256(hmacSha256(dateKey, region), service), SIGV4_TERMINATOR);
  signingKeys.set(cacheKey, key);
  if (signingKeys.size > SIGNING_KEY_CACHE_ENTRIES) signingKeys.delete(signingKeys.keys().next().value!);
  return key;
}

export function signatureOf(key: Uint8Array, stringToSign: string): string {
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

export function requestStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** What signs one aws-chunked chunk: chained to the previous chunk's (or the seed) signature. */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256Hex: string): string {
  return `${SIGV4_CHUNK_ALGORITHM}\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256_HEX}\n${chunkSha256Hex}`;
}

/** What signs the trailer: chained to the final chunk's signature, over `name:value\n` lines. */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, canonicalTrailers: string): string {
  return `${SIGV4_TRAILER_ALGORITHM}\n${amzDate}\n${scope}\n${previousSignature}\n${sha256Hex(canonicalTrailers)}`;
}

/**
 * Constant-time comparison of a computed hex signature with the one a client sent. Exact, as
 * S3's: SigV4 signatures are lower-case hex.
 */
export function signaturesEqual(computedHex: string, providedHex: string): boolean {
  const a = Buffer.from(computedHex, 'latin1');
  const b = Buffer.from(providedHex, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
