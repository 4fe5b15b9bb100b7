// Signs an outgoing request with SigV4 (header form), with the same canonical-request and key
// derivation code the gateway verifies with (services/common/sigv4/). Pure: no clock, no socket.
import { buildCanonicalRequest } from '../../common/sigv4/sigv4-canonical-request.ts';
import { credentialScope, requestStringToSign, sha256Hex, SIGV4_ALGORITHM, signatureOf, signingKey } from '../../common/sigv4/sigv4-signing.ts';
import { canonicalQueryString, canonicalUri, parseRawQuery, sigv4Encode } from '../../common/sigv4/sigv4-uri-encoding.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  host: string;
  /** Already encoded, as it goes on the request line. */
  rawPath: string;
  query?: Record<string, string | undefined>;
  /** Lower-case names. */
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export interface SignedRequest {
  /** Path and query, as they go on the request line. */
  rawUrl: string;
  headers: Record<string, string>;
}

/** SigV4's basic ISO 8601 time, e.g. 20130524T000000Z. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A path segment (a bucket name, an object key) encoded as SigV4 and S3 expect; '/' kept. */
export function encodePath(text: string): string {
  return text.split('/').map((s) => sigv4Encode(Buffer.from(s, 'utf8'))).join('/');
}

/** `name=value` pairs SigV4-encoded; a value of undefined is a bare `name` (e.g. `?uploads`). */
export function encodeQuery(query: Record<string, string | undefined>): string {
  return Object.entries(query)
    .map(([n, v]) => (v === undefined ? sigv4Encode(Buffer.from(n)) : `${sigv4Encode(Buffer.from(n))}=${sigv4Encode(Buffer.from(v))}`))
    .join('&');
}

export function signRequest(r: RequestToSign, credentials: Credentials, region: string, service: string, nowMs: number): SignedRequest {
  const rawQuery = encodeQuery(r.query ?? {});
  const amzDate = formatAmzDate(nowMs);
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(r.body ?? new Uint8Array(0));
  const headers: Record<string, string> = {
    ...(r.headers ?? {}),
    host: r.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  // Every header is signed: the metadata that carries the wrapped key must not be swappable in flight.
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = buildCanonicalRequest({
    method: r.method, canonicalUri: canonicalUri(r.rawPath), canonicalQuery: canonicalQueryString(parseRawQuery(rawQuery)),
    headers: lowered, signedHeaders, payloadHash,
  });
  const scope = credentialScope(date, region, service);
  const signature = signatureOf(signingKey(credentials.secretAccessKey, date, region, service), requestStringToSign(amzDate, scope, canonical));
  lowered.authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return { rawUrl: rawQuery ? `${r.rawPath}?${rawQuery}` : r.rawPath, headers: lowered };
}
