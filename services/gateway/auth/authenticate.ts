// SigV4 authentication of an S3 request, by Authorization header or presigned URL. Pure: the
// caller passes the clock and the credential lookup, so every rule is testable without sockets.
//
// Checks run cheapest first: the claim's syntax, the payload hash form, the clock, which
// headers are signed, then the key lookup and the signature itself.
import { StoreError } from '../errors/store-error.ts';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date.ts';
import { MAX_CLOCK_SKEW_MS } from './auth-limits.ts';
import type { ChunkSigningContext } from './chunk-signature-chain.ts';
import { type PayloadSigning, parsePayloadSigning, UNSIGNED_PAYLOAD } from './payload-signing.ts';
import { headerValue, type RequestHeaders, type RequestView } from './request-view.ts';
import { buildCanonicalRequest } from './sigv4-canonical-request.ts';
import { isParam, PRESIGNED_QUERY, parseAuthorizationHeader, parsePresignedQuery, type SignatureClaim } from './sigv4-claim.ts';
import { credentialScope, requestStringToSign, SIGV4_ALGORITHM, signatureOf, signaturesEqual, signingKey } from './sigv4-signing.ts';
import { canonicalQueryString, canonicalUri, parseRawQuery, type QueryParam, splitRawUrl } from './sigv4-uri-encoding.ts';

/** A user's key: who the user is and its policies (documents as stored; parsed where decided). */
export interface CredentialUser {
  userId: string;
  userName: string;
  /** May manage its account's users, keys and policies (the admin API). */
  admin: boolean;
  policies: Readonly<Record<string, string>>;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account that acts (owns what the key creates). */
  principal: string;
  /** Set for a user's key; absent for an account's own key. */
  user?: CredentialUser;
}

export type CredentialLookup = (accessKeyId: string) => Credential | undefined | Promise<Credential | undefined>;

export type Authentication =
  | { anonymous: true }
  | {
    anonymous: false;
    accessKeyId: string;
    /** The account that acts. */
    principal: string;
    /** The user under that account who signed, if a user's key did. */
    user?: CredentialUser;
    /** The region the client signed for (any is accepted). */
    region: string;
    payload: PayloadSigning;
    /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] bodies. */
    chunkSigning?: ChunkSigningContext;
  };

/** Query parameters that only a SigV4 presigned URL carries. */
const PRESIGN_MARKERS = [PRESIGNED_QUERY.algorithm, PRESIGNED_QUERY.credential, PRESIGNED_QUERY.signature];

export async function authenticate(req: RequestView, lookup: CredentialLookup, nowMs: number): Promise<Authentication> {
  const { rawPath, rawQuery } = splitRawUrl(req.rawUrl);
  const query = parseRawQuery(rawQuery);
  const authorization = headerValue(req.headers, 'authorization');
  const presigned = query.some((p) => PRESIGN_MARKERS.some((name) => isParam(p, name)));
  if (authorization !== undefined && presigned) {
    throw new StoreError('InvalidArgument', 'Only one authentication mechanism is allowed: the Authorization header or X-Amz-* query parameters, not both.', {
      ArgumentName: 'Authorization', ArgumentValue: 'both header and query authentication',
    });
  }
  if (authorization !== undefined) return authenticateByHeader(req, rawPath, query, authorization, lookup, nowMs);
  if (presigned) return authenticateByQuery(req, rawPath, query, lookup, nowMs);
  if (query.some((p) => p.name === 'AWSAccessKeyId')) throw unsupported('AWSAccessKeyId', 'Signature Version 2 query authentication');
  return { anonymous: true };
}

function unsupported(argumentName: string, what: string): StoreError {
  return new StoreError('InvalidArgument', `Unsupported authorization type (${what}); sign requests with AWS Signature Version 4.`, {
    ArgumentName: argumentName,
  });
}

async function authenticateByHeader(
  req: RequestView, rawPath: string, query: QueryParam[], authorization: string, lookup: CredentialLookup, nowMs: number,
): Promise<Authentication> {
  if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) {
    throw unsupported('Authorization', `"${authorization.split(' ', 1)[0]}"`);
  }
  const claim = parseAuthorizationHeader(authorization);
  const contentSha256 = headerValue(req.headers, 'x-amz-content-sha256');
  if (contentSha256 === undefined) throw new StoreError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const payload = parsePayloadSigning(contentSha256);
  if (!payload) throw invalidContentSha256(contentSha256);

  const time = requestTime(req.headers);
  const requestDay = time.amzDate.slice(0, 8);
  if (claim.credential.date !== requestDay) {
    throw new StoreError('AuthorizationHeaderMalformed',
      `The authorization header is malformed; the credential date "${claim.credential.date}" is not the request's date "${requestDay}".`);
  }
  if (Math.abs(nowMs - time.ms) > MAX_CLOCK_SKEW_MS) {
    throw new StoreError('RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.', {
      RequestTime: time.amzDate, ServerTime: new Date(nowMs).toISOString(), MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
    });
  }
  requireSignedAmzHeaders(req.headers, claim.signedHeaders);

  const credential = await findCredential(lookup, claim.credential.accessKeyId);
  const key = signingKey(credential.secretAccessKey, claim.credential.date, claim.credential.region);
  const scope = credentialScope(claim.credential.date, claim.credential.region);
  const canonicalRequest = buildCanonicalRequest({
    method: req.method, canonicalUri: canonicalUri(rawPath), canonicalQuery: canonicalQueryString(query),
    headers: req.headers, signedHeaders: claim.signedHeaders, payloadHash: contentSha256,
  });
  const signature = verifySignature(claim, key, requestStringToSign(time.amzDate, scope, canonicalRequest), canonicalRequest);
  return {
    anonymous: false, accessKeyId: credential.accessKeyId, principal: credential.principal, ...(credential.user ? { user: credential.user } : {}), region: claim.credential.region, payload,
    ...(payload.kind === 'streaming-signed' ? { chunkSigning: { signingKey: key, amzDate: time.amzDate, scope, seedSignature: signature } } : {}),
  };
}

/**
 * A presigned URL. One dated more than the allowed skew in the future is refused with
 * AccessDenied ("not yet valid"), like an expired one: the URL, not the client's clock, is at
 * fault, and RequestTimeTooSkewed would invite SDKs to retry with a corrected clock.
 */
async function authenticateByQuery(
  req: RequestView, rawPath: string, query: QueryParam[], lookup: CredentialLookup, nowMs: number,
): Promise<Authentication> {
  const claim = parsePresignedQuery(query);
  const requestDay = claim.amzDate.slice(0, 8);
  if (claim.credential.date !== requestDay) {
    throw new StoreError('AuthorizationQueryParametersError',
      `The presigned URL is malformed; the credential date "${claim.credential.date}" is not X-Amz-Date's date "${requestDay}".`);
  }
  if (claim.amzDateMs - nowMs > MAX_CLOCK_SKEW_MS) {
    throw new StoreError('AccessDenied', 'Request is not valid yet', { 'X-Amz-Date': claim.amzDate, ServerTime: new Date(nowMs).toISOString() });
  }
  const expiresMs = claim.amzDateMs + claim.expiresSeconds * 1000;
  if (nowMs > expiresMs) {
    throw new StoreError('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(claim.expiresSeconds), Expires: new Date(expiresMs).toISOString(), ServerTime: new Date(nowMs).toISOString(),
    });
  }
  const payload = presignedPayload(claim.contentSha256, headerValue(req.headers, 'x-amz-content-sha256'));

  const credential = await findCredential(lookup, claim.credential.accessKeyId);
  const key = signingKey(credential.secretAccessKey, claim.credential.date, claim.credential.region);
  const scope = credentialScope(claim.credential.date, claim.credential.region);
  const canonicalRequest = buildCanonicalRequest({
    method: req.method, canonicalUri: canonicalUri(rawPath),
    canonicalQuery: canonicalQueryString(query, (p) => isParam(p, PRESIGNED_QUERY.signature)),
    headers: req.headers, signedHeaders: claim.signedHeaders, payloadHash: claim.contentSha256 ?? UNSIGNED_PAYLOAD,
  });
  verifySignature(claim, key, requestStringToSign(claim.amzDate, scope, canonicalRequest), canonicalRequest);
  return { anonymous: false, accessKeyId: credential.accessKeyId, principal: credential.principal, ...(credential.user ? { user: credential.user } : {}), region: claim.credential.region, payload };
}

/**
 * A presigned URL signs UNSIGNED-PAYLOAD unless it carries X-Amz-Content-Sha256. An unsigned
 * x-amz-content-sha256 header still decides the body's framing (an SDK uploading through a
 * presigned URL may stream aws-chunked) and, if it is a hash, is checked against the body.
 */
function presignedPayload(signedValue: string | undefined, headerValue: string | undefined): PayloadSigning {
  if (signedValue !== undefined) {
    const payload = parsePayloadSigning(signedValue);
    if (payload?.kind !== 'unsigned' && payload?.kind !== 'sha256') {
      throw new StoreError('AuthorizationQueryParametersError',
        `X-Amz-Content-Sha256 in a presigned URL must be ${UNSIGNED_PAYLOAD} or a hex SHA-256, not "${signedValue}".`);
    }
    return payload;
  }
  if (headerValue === undefined) return { kind: 'unsigned' };
  const payload = parsePayloadSigning(headerValue);
  if (!payload) throw invalidContentSha256(headerValue);
  if (payload.kind === 'streaming-signed') {
    throw new StoreError('InvalidRequest', 'A presigned request cannot carry a chunk-signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) body.');
  }
  return payload;
}

function invalidContentSha256(value: string): StoreError {
  return new StoreError('InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or the hex SHA-256 of the body.', {
      ArgumentName: 'x-amz-content-sha256', ArgumentValue: value,
    });
}

/** x-amz-date, else Date, as SigV4's basic form and as milliseconds. */
function requestTime(headers: RequestHeaders): { amzDate: string; ms: number } {
  const amz = headerValue(headers, 'x-amz-date');
  const ms = amz !== undefined ? parseAmzDate(amz.trim()) : parseDateHeader(headerValue(headers, 'date'));
  if (ms === undefined) throw new StoreError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return { amzDate: amz?.trim() ?? formatAmzDate(ms), ms };
}

function parseDateHeader(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseHttpDate(value);
}

/**
 * Every x-amz-* header must be signed when the client signs headers at all: otherwise anyone
 * on the path could add, say, x-amz-copy-source or x-amz-acl to a signed request. Presigned
 * URLs are exempt, as their users often cannot control what headers a browser or tool adds.
 */
function requireSignedAmzHeaders(headers: RequestHeaders, signedHeaders: readonly string[]): void {
  const unsigned = Object.keys(headers).filter((h) => h.startsWith('x-amz-') && headers[h] !== undefined && !signedHeaders.includes(h));
  if (unsigned.length > 0) {
    throw new StoreError('AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: unsigned.join(', '),
    });
  }
}

async function findCredential(lookup: CredentialLookup, accessKeyId: string): Promise<Credential> {
  const credential = await lookup(accessKeyId);
  if (!credential) {
    throw new StoreError('InvalidAccessKeyId', 'The access key id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  }
  return credential;
}

/** Returns the (verified) signature; throws SignatureDoesNotMatch with what S3 reports. */
function verifySignature(claim: SignatureClaim, key: Buffer, stringToSign: string, canonicalRequest: string): string {
  const expected = signatureOf(key, stringToSign);
  if (!signaturesEqual(expected, claim.signature)) {
    throw new StoreError('SignatureDoesNotMatch',
      'The signature we calculated does not match the one the request carries; check the secret key and the signing method.', {
        AWSAccessKeyId: claim.credential.accessKeyId, StringToSign: stringToSign, SignatureProvided: claim.signature,
        CanonicalRequest: canonicalRequest,
      });
  }
  return expected;
}
