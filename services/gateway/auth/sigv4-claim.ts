// Reads what a request claims about its signature, from the Authorization header or from the
// presigned-URL query parameters, and rejects malformed claims with the code S3 uses for each
// form (AuthorizationHeaderMalformed / AuthorizationQueryParametersError).
import { StoreError, type StoreErrorCode } from '../errors/store-error.ts';
import { parseAmzDate } from './amz-date.ts';
import { MAX_PRESIGNED_EXPIRES_SECONDS } from './auth-limits.ts';
import { SIGV4_ALGORITHM, SIGV4_SERVICE, SIGV4_TERMINATOR } from './sigv4-signing.ts';
import type { QueryParam } from './sigv4-uri-encoding.ts';

export interface CredentialScope {
  accessKeyId: string;
  /** yyyyMMdd. */
  date: string;
  region: string;
  service: string;
}

export interface SignatureClaim {
  form: 'header' | 'query';
  credential: CredentialScope;
  /** Lower-case header names, in the client's order. */
  signedHeaders: string[];
  signature: string;
}

export interface PresignedClaim extends SignatureClaim {
  form: 'query';
  /** X-Amz-Date as sent, and as milliseconds since the epoch. */
  amzDate: string;
  amzDateMs: number;
  expiresSeconds: number;
  /** X-Amz-Content-Sha256 when the URL signs one. */
  contentSha256: string | undefined;
}

export const PRESIGNED_QUERY = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  signedHeaders: 'X-Amz-SignedHeaders',
  signature: 'X-Amz-Signature',
  contentSha256: 'X-Amz-Content-Sha256',
} as const;

/** Whether a query parameter is the named X-Amz-* one (any case). */
export function isParam(p: QueryParam, name: string): boolean {
  return p.name.length === name.length && p.name.toLowerCase() === name.toLowerCase();
}

function malformed(code: StoreErrorCode, message: string): StoreError {
  return new StoreError(code, message);
}

/**
 * `AK/yyyyMMdd/region/s3/aws4_request`. The access key id itself cannot contain '/', so the
 * split is exact.
 */
function parseCredential(value: string, code: StoreErrorCode, what: string): CredentialScope {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '') || !/^\d{8}$/.test(parts[1]!)) {
    throw malformed(code, `${what}: the Credential is malformed; expected "<access-key-id>/YYYYMMDD/REGION/SERVICE/aws4_request", got "${value}".`);
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (service !== SIGV4_SERVICE) {
    throw malformed(code, `${what}: the credential scope names service "${service}"; this endpoint is "${SIGV4_SERVICE}".`);
  }
  if (terminator !== SIGV4_TERMINATOR) {
    throw malformed(code, `${what}: the credential scope ends in "${terminator}"; it must end in "${SIGV4_TERMINATOR}".`);
  }
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(value: string, code: StoreErrorCode, what: string): string[] {
  const names = value.split(';').map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === '' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n))) {
    throw malformed(code, `${what}: SignedHeaders "${value}" is not a ';'-separated list of header names.`);
  }
  if (!names.includes('host')) throw malformed(code, `${what}: SignedHeaders must include host.`);
  return names;
}

const HEADER_WHAT = 'The authorization header is malformed';

/** `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` (commas, optional spaces). */
export function parseAuthorizationHeader(value: string): SignatureClaim {
  const code = 'AuthorizationHeaderMalformed';
  const prefix = `${SIGV4_ALGORITHM} `;
  if (!value.startsWith(prefix)) throw malformed(code, `${HEADER_WHAT}: it must start with "${prefix}".`);
  const fields = new Map<string, string>();
  for (const piece of value.slice(prefix.length).split(',')) {
    const item = piece.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || fields.has(name)) throw malformed(code, `${HEADER_WHAT}: cannot read "${item}".`);
    fields.set(name, item.slice(eq + 1));
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw malformed(code, `${HEADER_WHAT}: it needs Credential, SignedHeaders and Signature.`);
  }
  return {
    form: 'header',
    credential: parseCredential(credential, code, HEADER_WHAT),
    signedHeaders: parseSignedHeaders(signedHeaders, code, HEADER_WHAT),
    signature,
  };
}

const QUERY_WHAT = 'The presigned URL is malformed';

/** The X-Amz-* parameters of a presigned URL. */
export function parsePresignedQuery(params: readonly QueryParam[]): PresignedClaim {
  const code = 'AuthorizationQueryParametersError';
  // Names are matched without regard to case: signers hoist x-amz-* headers into the query
  // in whatever case the caller spelled them.
  const single = (name: string): string | undefined => {
    const found = params.filter((p) => isParam(p, name));
    if (found.length > 1) throw malformed(code, `${QUERY_WHAT}: ${name} is given more than once.`);
    return found[0]?.value;
  };
  const algorithm = single(PRESIGNED_QUERY.algorithm);
  const credential = single(PRESIGNED_QUERY.credential);
  const amzDate = single(PRESIGNED_QUERY.date);
  const expires = single(PRESIGNED_QUERY.expires);
  const signedHeaders = single(PRESIGNED_QUERY.signedHeaders);
  const signature = single(PRESIGNED_QUERY.signature);
  const contentSha256 = single(PRESIGNED_QUERY.contentSha256);
  if (!algorithm || !credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw malformed(code, `${QUERY_WHAT}: SigV4 query authentication needs X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature.`);
  }
  if (algorithm !== SIGV4_ALGORITHM) throw malformed(code, `${QUERY_WHAT}: X-Amz-Algorithm must be "${SIGV4_ALGORITHM}".`);
  const amzDateMs = parseAmzDate(amzDate);
  if (amzDateMs === undefined) throw malformed(code, `${QUERY_WHAT}: X-Amz-Date "${amzDate}" is not of the form yyyyMMddTHHmmssZ.`);
  if (!/^\d{1,7}$/.test(expires)) throw malformed(code, `${QUERY_WHAT}: X-Amz-Expires must be a whole number of seconds.`);
  const expiresSeconds = Number(expires);
  if (expiresSeconds < 1 || expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw malformed(code, `${QUERY_WHAT}: X-Amz-Expires must be between 1 and ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds (one week).`);
  }
  return {
    form: 'query',
    credential: parseCredential(credential, code, QUERY_WHAT),
    signedHeaders: parseSignedHeaders(signedHeaders, code, QUERY_WHAT),
    signature,
    amzDate,
    amzDateMs,
    expiresSeconds,
    contentSha256,
  };
}
