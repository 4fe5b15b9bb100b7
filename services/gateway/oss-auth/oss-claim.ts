// Reads what a request claims about its OSS signature — the Authorization header (V1
// `OSS ak:sig`, V4 `OSS4-HMAC-SHA256 Credential=…`) or the signing query parameters (V1
// OSSAccessKeyId/Expires/Signature, V4 x-oss-*) — and refuses malformed claims with
// InvalidArgument, as OSS does, before any key lookup or HMAC.
import { parseAmzDate } from '../auth/amz-date.ts';
import type { QueryParam } from '../auth/sigv4-uri-encoding.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_OSS_AUTHORIZATION_CHARS, MAX_OSS_V4_EXPIRES_SECONDS } from './oss-auth-limits.ts';

export const OSS_V1_ALGORITHM = 'OSS';
export const OSS_V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const OSS_V4_SERVICE = 'oss';
export const OSS_V4_TERMINATOR = 'aliyun_v4_request';

/** The query parameters signed URLs carry. Names are matched exactly, as OSS does. */
export const OSS_QUERY = {
  v1AccessKeyId: 'OSSAccessKeyId',
  v1Expires: 'Expires',
  v1Signature: 'Signature',
  v4Version: 'x-oss-signature-version',
  v4Credential: 'x-oss-credential',
  v4Date: 'x-oss-date',
  v4Expires: 'x-oss-expires',
  v4Signature: 'x-oss-signature',
  v4AdditionalHeaders: 'x-oss-additional-headers',
} as const;

/** Any of these makes the query a V4 (or, refused, V2) signed URL. */
const V4_QUERY_MARKERS: readonly string[] = [OSS_QUERY.v4Version, OSS_QUERY.v4Credential, OSS_QUERY.v4Signature];

export interface OssV4Credential {
  accessKeyId: string;
  /** yyyyMMdd. */
  date: string;
  region: string;
}

export type OssClaim =
  | { form: 'v1-header'; accessKeyId: string; signature: string }
  | {
    form: 'v1-query'; accessKeyId: string; signature: string;
    /** Expires as sent (it is signed as text) and as seconds since the epoch. */
    expires: string; expiresSeconds: number;
  }
  | { form: 'v4-header'; credential: OssV4Credential; additionalHeaders: string[]; signature: string }
  | {
    form: 'v4-query'; credential: OssV4Credential; additionalHeaders: string[]; signature: string;
    /** x-oss-date as sent (yyyyMMddTHHmmssZ) and as milliseconds. */
    ossDate: string; ossDateMs: number; expiresSeconds: number;
  };

function invalid(message: string, argumentName: string, argumentValue?: string): StoreError {
  return new StoreError('InvalidArgument', message, {
    ArgumentName: argumentName, ...(argumentValue === undefined ? {} : { ArgumentValue: argumentValue }),
  });
}

/** Whether the query carries OSS signing parameters (a V1 or V4 signed URL). */
export function hasOssSigningQuery(query: readonly QueryParam[]): boolean {
  return query.some((p) => p.name === OSS_QUERY.v1AccessKeyId || V4_QUERY_MARKERS.includes(p.name));
}

/** The claim, or undefined for an anonymous request. */
export function readOssClaim(authorization: string | undefined, query: readonly QueryParam[]): OssClaim | undefined {
  const signedUrl = hasOssSigningQuery(query);
  if (authorization !== undefined && signedUrl) {
    throw invalid('Only one authentication mechanism is allowed: the Authorization header or a signed URL, not both.', 'Authorization');
  }
  if (authorization !== undefined) return parseAuthorization(authorization);
  if (!signedUrl) return undefined;
  return query.some((p) => V4_QUERY_MARKERS.includes(p.name)) ? parseV4Query(query) : parseV1Query(query);
}

function parseAuthorization(value: string): OssClaim {
  if (value.length > MAX_OSS_AUTHORIZATION_CHARS) throw invalid('Authorization header is invalid: too long.', 'Authorization');
  if (value.startsWith(`${OSS_V4_ALGORITHM} `)) return parseV4Header(value.slice(OSS_V4_ALGORITHM.length + 1));
  if (value.startsWith(`${OSS_V1_ALGORITHM} `)) return parseV1Header(value);
  throw invalid(`Authorization header is invalid: the scheme "${value.split(' ', 1)[0]}" is not supported; sign with OSS (V1) or ${OSS_V4_ALGORITHM} (V4).`,
    'Authorization', value.split(' ', 1)[0]);
}

/** `OSS <AccessKeyId>:<Signature>`, with exactly one space (OSS refuses `OSS  :sig`). */
function parseV1Header(value: string): OssClaim {
  const m = /^OSS ([^\s:]+):(\S+)$/.exec(value);
  if (!m) throw invalid('Authorization header is invalid: expected "OSS <AccessKeyId>:<Signature>".', 'Authorization');
  return { form: 'v1-header', accessKeyId: m[1]!, signature: m[2]! };
}

/**
 * `Credential=<ak>/<date>/<region>/oss/aliyun_v4_request[,AdditionalHeaders=<a;b>],Signature=<hex>`;
 * SDKs write no space after the commas, the documentation one: both are read.
 */
function parseV4Header(rest: string): OssClaim {
  const fields = new Map<string, string>();
  for (const field of rest.split(',')) {
    const eq = field.indexOf('=');
    const name = eq < 0 ? field.trim() : field.slice(0, eq).trim();
    if (eq < 0 || !['Credential', 'AdditionalHeaders', 'Signature'].includes(name)) {
      throw invalid(`Authorization header is invalid: unexpected field "${name}".`, 'Authorization');
    }
    if (fields.has(name)) throw invalid(`Authorization header is invalid: ${name} appears twice.`, 'Authorization');
    fields.set(name, field.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (credential === undefined || signature === undefined || signature === '') {
    throw invalid('Authorization header is invalid: Credential and Signature are required.', 'Authorization');
  }
  const additional = fields.get('AdditionalHeaders');
  return {
    form: 'v4-header', credential: parseCredential(credential, 'Credential'), signature,
    additionalHeaders: additional === undefined ? [] : parseAdditionalHeaders(additional, 'AdditionalHeaders'),
  };
}

/** `<ak>/<yyyyMMdd>/<region>/oss/aliyun_v4_request`; an access key id cannot contain '/'. */
function parseCredential(value: string, argumentName: string): OssV4Credential {
  const parts = value.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || /\s/.test(accessKeyId) || !region || /\s/.test(region)) {
    throw invalid(`${argumentName} is invalid: expected <AccessKeyId>/<yyyyMMdd>/<region>/${OSS_V4_SERVICE}/${OSS_V4_TERMINATOR}.`,
      argumentName, value);
  }
  if (!/^\d{8}$/.test(date!) || parseAmzDate(`${date}T000000Z`) === undefined) {
    throw invalid(`${argumentName} is invalid: "${date}" is not a yyyyMMdd date.`, argumentName, value);
  }
  if (service !== OSS_V4_SERVICE) throw invalid(`${argumentName} is invalid: the service must be "${OSS_V4_SERVICE}".`, argumentName, value);
  if (terminator !== OSS_V4_TERMINATOR) {
    throw invalid(`${argumentName} is invalid: it must end with "${OSS_V4_TERMINATOR}".`, argumentName, value);
  }
  return { accessKeyId, date: date!, region };
}

/** Lower-case header names, sorted, `;`-separated, none empty or repeated (OSS's rules). */
function parseAdditionalHeaders(value: string, argumentName: string): string[] {
  const names = value.split(';');
  const ok = value !== '' && names.every((n, i) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(n) && (i === 0 || names[i - 1]! < n));
  if (!ok) throw invalid(`${argumentName} is invalid: lower-case header names, sorted, separated by ';', none empty or repeated.`, argumentName, value);
  return names;
}

/** The one value of a signing parameter; a repeated one is ambiguous and refused. */
function single(query: readonly QueryParam[], name: string): string | undefined {
  const found = query.filter((p) => p.name === name);
  if (found.length > 1) throw invalid(`The query parameter ${name} appears more than once.`, name);
  return found[0] === undefined ? undefined : found[0].value ?? '';
}

function required(query: readonly QueryParam[], name: string): string {
  const value = single(query, name);
  if (value === undefined || value === '') throw invalid(`The signed URL lacks ${name}.`, name);
  return value;
}

function parseV1Query(query: readonly QueryParam[]): OssClaim {
  const accessKeyId = required(query, OSS_QUERY.v1AccessKeyId);
  const expires = required(query, OSS_QUERY.v1Expires);
  const signature = required(query, OSS_QUERY.v1Signature);
  if (!/^\d{1,12}$/.test(expires)) {
    throw invalid('Expires must be a time in seconds since the epoch.', OSS_QUERY.v1Expires, expires);
  }
  return { form: 'v1-query', accessKeyId, signature, expires, expiresSeconds: Number(expires) };
}

function parseV4Query(query: readonly QueryParam[]): OssClaim {
  const version = required(query, OSS_QUERY.v4Version);
  if (version !== OSS_V4_ALGORITHM) {
    throw invalid(`Unsupported signature version "${version}"; sign URLs with ${OSS_V4_ALGORITHM} or V1.`, OSS_QUERY.v4Version, version);
  }
  const credential = parseCredential(required(query, OSS_QUERY.v4Credential), OSS_QUERY.v4Credential);
  const ossDate = required(query, OSS_QUERY.v4Date);
  const ossDateMs = parseAmzDate(ossDate);
  if (ossDateMs === undefined) throw invalid('x-oss-date must be yyyyMMddTHHmmssZ.', OSS_QUERY.v4Date, ossDate);
  const expires = required(query, OSS_QUERY.v4Expires);
  const expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_OSS_V4_EXPIRES_SECONDS)) {
    throw invalid(`x-oss-expires must be 1 to ${MAX_OSS_V4_EXPIRES_SECONDS} seconds.`, OSS_QUERY.v4Expires, expires);
  }
  const signature = required(query, OSS_QUERY.v4Signature);
  const additional = single(query, OSS_QUERY.v4AdditionalHeaders);
  return {
    form: 'v4-query', credential, signature, ossDate, ossDateMs, expiresSeconds,
    additionalHeaders: additional === undefined ? [] : parseAdditionalHeaders(additional, OSS_QUERY.v4AdditionalHeaders),
  };
}
