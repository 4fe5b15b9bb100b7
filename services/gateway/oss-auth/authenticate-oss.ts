// OSS authentication: signature V1 and V4, each by Authorization header or signed URL. Pure:
// the caller passes the clock, the credential lookup and the bucket and key the router chose,
// so every rule is testable without sockets.
//
// Checks run cheapest first, as for SigV4: the claim's syntax, the payload hash form, the
// clock, then the key lookup and the signature itself.
import { parseAmzDate, parseHttpDate } from '../auth/amz-date.ts';
import type { Authentication, Credential, CredentialLookup } from '../auth/authenticate.ts';
import type { PayloadSigning } from '../auth/payload-signing.ts';
import { headerValue, type RequestHeaders, type RequestView } from '../auth/request-view.ts';
import { signaturesEqual } from '../auth/sigv4-signing.ts';
import { parseRawQuery, type QueryParam, splitRawUrl } from '../auth/sigv4-uri-encoding.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_OSS_CLOCK_SKEW_MS } from './oss-auth-limits.ts';
import { hasOssSigningQuery, OSS_QUERY, type OssClaim, type OssV4Credential, readOssClaim } from './oss-claim.ts';
import {
  canonicalizedResourceV1, canonicalQueryV4, canonicalUriV4, hasExplicitEmptyValue, type OssSignedTarget,
} from './oss-signed-resource.ts';
import { byteStringHex, byteStringText } from './oss-string-bytes.ts';
import { v1Signature, v1StringToSign } from './oss-v1-signing.ts';
import { UNSIGNED_PAYLOAD, v4CanonicalRequest, v4Scope, v4Signature, v4SigningKey, v4StringToSign } from './oss-v4-signing.ts';

type V1Claim = Extract<OssClaim, { form: 'v1-header' | 'v1-query' }>;
type V4Claim = Extract<OssClaim, { form: 'v4-header' | 'v4-query' }>;

/**
 * Whether a request is signed the OSS way (so the OSS dialect should serve it): an
 * Authorization header `OSS …`, `OSS4-HMAC-SHA256 …` or `OSS2 …` (refused later, in OSS
 * terms), or OSS signing parameters in the query.
 */
export function isOssAuthenticated(view: RequestView): boolean {
  const authorization = headerValue(view.headers, 'authorization');
  if (authorization !== undefined && /^OSS(?: |2 |4-HMAC-SHA256 )/.test(authorization)) return true;
  return hasOssSigningQuery(parseRawQuery(splitRawUrl(view.rawUrl).rawQuery));
}

/**
 * Who sent the request. `target` is the bucket and decoded key the router read from the
 * request (ParsedRequest fits): OSS signs `/bucket/key` in both addressing styles, and taking
 * it from the router means the signature covers exactly what the request acts on.
 */
export async function authenticateOss(
  view: RequestView, lookup: CredentialLookup, nowMs: number, target: OssSignedTarget,
): Promise<Authentication> {
  const query = parseRawQuery(splitRawUrl(view.rawUrl).rawQuery);
  const claim = readOssClaim(headerValue(view.headers, 'authorization'), query);
  if (!claim) return { anonymous: true };
  const request: SignedRequest = { view, query, target, nowMs };
  switch (claim.form) {
    case 'v1-header':
    case 'v1-query':
      return authenticateV1(request, claim, lookup);
    case 'v4-header':
    case 'v4-query':
      return authenticateV4(request, claim, lookup);
  }
}

interface SignedRequest {
  view: RequestView;
  query: QueryParam[];
  target: OssSignedTarget;
  nowMs: number;
}

async function authenticateV1(r: SignedRequest, claim: V1Claim, lookup: CredentialLookup): Promise<Authentication> {
  let date: string;
  if (claim.form === 'v1-header') {
    date = requestDate(r.view.headers, r.nowMs);
  } else {
    const expiresMs = claim.expiresSeconds * 1000;
    if (r.nowMs > expiresMs) throw expired(expiresMs, r.nowMs);
    date = claim.expires;
  }
  const credential = await findCredential(lookup, claim.accessKeyId);
  const stringToSign = v1StringToSign({
    method: r.view.method, headers: r.view.headers, date, canonicalizedResource: canonicalizedResourceV1(r.target, r.query),
  });
  if (!signaturesEqual(v1Signature(credential.secretAccessKey, stringToSign), claim.signature)) {
    throw signatureMismatch(claim.accessKeyId, claim.signature, stringToSign);
  }
  // V1 never signs the body; Content-MD5, when sent, is still checked by openOssBody.
  return { anonymous: false, accessKeyId: credential.accessKeyId, principal: credential.principal, ...(credential.user ? { user: credential.user } : {}), region: '', payload: { kind: 'unsigned' } };
}

/** x-oss-date, else Date: the text the client signed, checked against our clock. */
function requestDate(headers: RequestHeaders, nowMs: number): string {
  const date = headerValue(headers, 'x-oss-date') ?? headerValue(headers, 'date');
  const ms = date === undefined ? undefined : parseHttpDate(date) ?? parseAmzDate(date.trim());
  if (date === undefined || ms === undefined) throw new StoreError('AccessDenied', 'OSS authentication requires a valid Date.');
  checkClock(date, ms, nowMs);
  return date;
}

function checkClock(requestTime: string, ms: number, nowMs: number): void {
  if (Math.abs(nowMs - ms) > MAX_OSS_CLOCK_SKEW_MS) {
    throw new StoreError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: requestTime, ServerTime: new Date(nowMs).toISOString(), MaxAllowedSkewMilliseconds: String(MAX_OSS_CLOCK_SKEW_MS),
    });
  }
}

async function authenticateV4(r: SignedRequest, claim: V4Claim, lookup: CredentialLookup): Promise<Authentication> {
  const sentSha256 = headerValue(r.view.headers, 'x-oss-content-sha256')?.trim();
  let ossDate: string;
  let payload: PayloadSigning;
  if (claim.form === 'v4-header') {
    ossDate = v4RequestDate(r.view.headers, claim.credential, r.nowMs);
    if (sentSha256 === undefined) {
      throw new StoreError('InvalidArgument', 'A V4-signed request needs the x-oss-content-sha256 header.', { ArgumentName: 'x-oss-content-sha256' });
    }
    payload = payloadOf(sentSha256);
  } else {
    ossDate = claim.ossDate;
    checkSameDay(claim.credential, ossDate, OSS_QUERY.v4Credential);
    checkUrlLifetime(claim.ossDateMs, claim.expiresSeconds, r.nowMs);
    // A signed URL signs its x-oss-* headers too, so a hash sent with one is signed.
    payload = sentSha256 === undefined ? { kind: 'unsigned' } : payloadOf(sentSha256);
  }

  const credential = await findCredential(lookup, claim.credential.accessKeyId);
  const key = v4SigningKey(credential.secretAccessKey, claim.credential.date, claim.credential.region);
  const scope = v4Scope(claim.credential.date, claim.credential.region);
  const omit = claim.form === 'v4-query' ? (p: QueryParam) => p.name === OSS_QUERY.v4Signature : undefined;
  const canonicalRequest = (emptyValuesKeepEquals: boolean): string => v4CanonicalRequest({
    method: r.view.method, canonicalUri: canonicalUriV4(r.target),
    canonicalQuery: canonicalQueryV4(r.query, { omit, emptyValuesKeepEquals }),
    headers: r.view.headers, additionalHeaders: claim.additionalHeaders, payloadHash: sentSha256 ?? UNSIGNED_PAYLOAD,
  });
  const matches = (canonical: string): boolean => signaturesEqual(v4Signature(key, v4StringToSign(ossDate, scope, canonical)), claim.signature);

  const canonical = canonicalRequest(false);
  // OSS's rule signs an empty query value as the bare name, but ali-oss's JavaScript signer
  // writes `name=` for an empty value it was given (it also sends `name=` for sub-resources it
  // signs bare), so when the request has such a value the other spelling is tried too.
  if (!matches(canonical) && !(hasExplicitEmptyValue(r.query) && matches(canonicalRequest(true)))) {
    throw signatureMismatch(claim.credential.accessKeyId, claim.signature, v4StringToSign(ossDate, scope, canonical), canonical);
  }
  return {
    anonymous: false, accessKeyId: credential.accessKeyId, principal: credential.principal, ...(credential.user ? { user: credential.user } : {}), region: claim.credential.region, payload,
  };
}

/** A header-signed V4 request's x-oss-date: present, well formed, the credential's day, on time. */
function v4RequestDate(headers: RequestHeaders, credential: OssV4Credential, nowMs: number): string {
  const ossDate = headerValue(headers, 'x-oss-date')?.trim();
  const ms = ossDate === undefined ? undefined : parseAmzDate(ossDate);
  if (ossDate === undefined || ms === undefined) {
    throw new StoreError('AccessDenied', 'OSS V4 authentication requires a valid x-oss-date header (yyyyMMddTHHmmssZ).');
  }
  checkSameDay(credential, ossDate, 'Credential');
  checkClock(ossDate, ms, nowMs);
  return ossDate;
}

function checkSameDay(credential: OssV4Credential, ossDate: string, argumentName: string): void {
  if (credential.date !== ossDate.slice(0, 8)) {
    throw new StoreError('InvalidArgument', `The credential date "${credential.date}" is not the date of x-oss-date "${ossDate}".`, {
      ArgumentName: argumentName, ArgumentValue: credential.date,
    });
  }
}

/**
 * A V4 signed URL is valid from x-oss-date (with the clock skew allowed before it) for
 * x-oss-expires seconds. One dated further ahead is refused as not yet valid: the URL, not
 * the client's clock, is at fault.
 */
function checkUrlLifetime(ossDateMs: number, expiresSeconds: number, nowMs: number): void {
  if (ossDateMs - nowMs > MAX_OSS_CLOCK_SKEW_MS) {
    throw new StoreError('AccessDenied', 'Request is not valid yet.', {
      'x-oss-date': new Date(ossDateMs).toISOString(), ServerTime: new Date(nowMs).toISOString(),
    });
  }
  const expiresMs = ossDateMs + expiresSeconds * 1000;
  if (nowMs > expiresMs) throw expired(expiresMs, nowMs);
}

function expired(expiresMs: number, nowMs: number): StoreError {
  return new StoreError('AccessDenied', 'Request has expired.', {
    Expires: new Date(expiresMs).toISOString(), ServerTime: new Date(nowMs).toISOString(),
  });
}

/** UNSIGNED-PAYLOAD, or a hex SHA-256 the body will be checked against. */
function payloadOf(value: string): PayloadSigning {
  if (value === UNSIGNED_PAYLOAD) return { kind: 'unsigned' };
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'sha256', hex: value.toLowerCase() };
  throw new StoreError('InvalidArgument', `x-oss-content-sha256 must be ${UNSIGNED_PAYLOAD} or the hex SHA-256 of the body.`, {
    ArgumentName: 'x-oss-content-sha256', ArgumentValue: value,
  });
}

async function findCredential(lookup: CredentialLookup, accessKeyId: string): Promise<Credential> {
  const credential = await lookup(accessKeyId);
  if (!credential) {
    throw new StoreError('InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: accessKeyId });
  }
  return credential;
}

/** SignatureDoesNotMatch with what OSS reports, so a client can diff its string to sign. */
function signatureMismatch(accessKeyId: string, provided: string, stringToSign: string, canonicalRequest?: string): StoreError {
  return new StoreError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    OSSAccessKeyId: accessKeyId, SignatureProvided: provided,
    StringToSign: byteStringText(stringToSign), StringToSignBytes: byteStringHex(stringToSign),
    ...(canonicalRequest === undefined ? {} : { CanonicalRequest: byteStringText(canonicalRequest) }),
  });
}
