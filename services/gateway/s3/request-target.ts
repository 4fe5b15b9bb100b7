// Where an HTTP request points: its raw path and query split and decoded, and the bucket a
// Host header names in virtual-hosted style. Percent-decoding is strict (bad escapes or
// invalid UTF-8 are InvalidURI), because a key decoded two ways would name two objects.
import { isIP } from 'node:net';
import { StoreError } from '../errors/store-error.ts';

export interface RawTarget {
  /** The path, still percent-encoded, always starting with '/'. */
  readonly rawPath: string;
  /** Everything after the first '?', still encoded ('' when there is none). */
  readonly rawQuery: string;
  /** host[:port] from an absolute-form request target, which wins over the Host header (RFC 9112 §3.2.2). */
  readonly authority?: string;
}

const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)/i;

export function splitRawUrl(rawUrl: string): RawTarget {
  let rest = rawUrl;
  let authority: string | undefined;
  const absolute = ABSOLUTE_FORM.exec(rawUrl);
  if (absolute) {
    authority = absolute[1];
    rest = rawUrl.slice(absolute[0].length);
  } else if (!rawUrl.startsWith('/')) {
    throw invalidUri();
  }
  const q = rest.indexOf('?');
  const rawPath = q < 0 ? rest : rest.slice(0, q);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery: q < 0 ? '' : rest.slice(q + 1), authority };
}

/** Decodes %XX escapes as UTF-8; '+' stays '+' (in paths it is a plain character). */
export function decodePathPart(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidUri();
  }
}

/**
 * Query parameters, decoded form-style ('+' is a space, as S3 reads it). A name given twice
 * keeps its first value: S3 answers such requests but which value it takes is unspecified, and
 * the first is what a signature canonicalizer sorting stably also sees first.
 */
export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  if (rawQuery === '') return out;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

function decodeQueryPart(raw: string): string {
  return decodePathPart(raw.includes('+') ? raw.replaceAll('+', ' ') : raw);
}

/** The lowercase host name of a Host value, without port, brackets or trailing dot. */
export function hostName(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    return close < 0 ? h : h.slice(1, close);
  }
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

// DNS-compatible bucket names only: anything else cannot have reached us as a host label.
const VIRTUAL_HOST_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket a Host header names (`bucket.<baseDomain>`), or undefined when the request is
 * path-style: no Host, an IP address, a base domain itself, or a host under none of them (a
 * client addressing us by some other name cannot mean a bucket, and path-style still works).
 * The longest matching base domain wins, so `s3.local` beats `local`.
 */
export function virtualHostBucket(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  if (host === undefined || host.trim() === '') return undefined;
  const name = hostName(host);
  if (isIP(name) !== 0) return undefined;
  let bucket: string | undefined;
  let matched = -1;
  for (const raw of baseDomains) {
    const domain = hostName(raw);
    if (name === domain) return undefined;
    if (domain.length > matched && name.endsWith(`.${domain}`)) {
      bucket = name.slice(0, name.length - domain.length - 1);
      matched = domain.length;
    }
  }
  if (bucket !== undefined && !VIRTUAL_HOST_BUCKET.test(bucket)) {
    throw new StoreError('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
  }
  return bucket;
}

export function invalidUri(): StoreError {
  return new StoreError('InvalidURI', "Couldn't parse the specified URI.");
}

/** Where a request points: bucket and decoded key, how the bucket was named, and the level. */
export interface AddressedTarget {
  bucket: string | undefined;
  key: string | undefined;
  style: 'path' | 'virtual-host';
  level: 'service' | 'bucket' | 'object';
  /** `/bucket/key` for error documents. */
  resource: string;
}

/**
 * Bucket and key from the raw path, given the bucket the Host named (virtual-host style) if
 * any. Both dialects address objects the same way; only their key limits differ (`checkKey`).
 */
export function addressedTarget(rawPath: string, hostBucket: string | undefined, checkKey: (key: string) => void): AddressedTarget {
  const path = rawPath.slice(1);
  let bucket: string | undefined;
  let rawKey: string;
  let style: AddressedTarget['style'];
  if (hostBucket !== undefined) {
    style = 'virtual-host';
    bucket = hostBucket;
    rawKey = path;
  } else {
    style = 'path';
    const slash = path.indexOf('/');
    const rawBucket = slash < 0 ? path : path.slice(0, slash);
    rawKey = slash < 0 ? '' : path.slice(slash + 1);
    if (rawBucket === '' && rawKey !== '') throw invalidUri();
    bucket = rawBucket === '' ? undefined : decodePathPart(rawBucket);
  }
  const key = rawKey === '' ? undefined : decodePathPart(rawKey);
  if (key !== undefined) checkKey(key);
  const level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
  const resource = bucket === undefined ? '/' : key === undefined ? `/${bucket}` : `/${bucket}/${key}`;
  return { bucket, key, style, level, resource };
}
