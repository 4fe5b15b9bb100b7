// The OSS dialect's parse step: request line and headers in, a ParsedRequest out. Pure: no
// body, no credentials. Addressing and decoding follow the S3 codec's rules (strict
// percent-decoding, `+` literal in paths, first value of a repeated query parameter wins);
// what differs is the endpoint names that mean virtual-hosted style, the key limit and the
// routing table.
import type { ParsedRequest } from '../dialect/operation.ts';
import { StoreError } from '../errors/store-error.ts';
import { type AddressingStyle, type HttpRequestHead, headerValue, type HeaderBag } from '../s3/index.ts';
import { decodePathPart, invalidUri, parseQuery, splitRawUrl, virtualHostBucket } from '../s3/request-target.ts';
import { isAliyunHost, ossBaseDomains, withoutLeadingDots } from './oss-hosts.ts';
import { MAX_OSS_KEY_BYTES } from './oss-limits.ts';
import { routeOssOperation } from './oss-routes.ts';

export interface OssAddressingOptions {
  /** Configured domains under which `bucket.<domain>` names a bucket; OSS endpoint names are added per request. */
  readonly baseDomains: readonly string[];
}

export function parseOssRequest(req: HttpRequestHead, options: OssAddressingOptions): ParsedRequest {
  const target = splitRawUrl(req.rawUrl);
  const query = parseQuery(target.rawQuery);
  const host = target.authority ?? headerValue(req.headers, 'host');
  const hostBucket = host === undefined ? undefined : virtualHostBucket(withoutLeadingDots(host), ossBaseDomains(host, options.baseDomains));
  const path = target.rawPath.slice(1);

  let bucket: string | undefined;
  let rawKey: string;
  let style: AddressingStyle;
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
  if (key !== undefined) checkOssKey(key);

  const level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
  const operation = routeOssOperation({ method: req.method.toUpperCase(), level, query, headers: req.headers });
  const resource = bucket === undefined ? '/' : key === undefined ? `/${bucket}` : `/${bucket}/${key}`;
  return { operation, bucket, key, query, style, resource };
}

/**
 * OSS refuses keys over 1023 bytes as InvalidObjectName. Keys starting with `/` or `\`, which
 * OSS also refuses, are allowed: both dialects name the same objects, and S3 clients may have
 * written such keys.
 */
export function checkOssKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_OSS_KEY_BYTES) {
    throw new StoreError('InvalidObjectName', 'The specified object name is not valid: it is longer than 1023 bytes.', {
      MaxSizeAllowed: String(MAX_OSS_KEY_BYTES), Size: String(bytes),
    });
  }
}

/**
 * Whether an anonymous request speaks OSS: it carries an `x-oss-*` header, or addresses an
 * aliyuncs.com host. (A signed request is recognised by its signature scheme instead.)
 */
export function isOssRequest(req: { readonly headers: HeaderBag; readonly rawUrl?: string }): boolean {
  for (const name of Object.keys(req.headers)) if (name.toLowerCase().startsWith('x-oss-')) return true;
  const authority = req.rawUrl === undefined ? undefined : splitRawUrlSafe(req.rawUrl)?.authority;
  return isAliyunHost(authority ?? headerValue(req.headers, 'host'));
}

function splitRawUrlSafe(rawUrl: string): ReturnType<typeof splitRawUrl> | undefined {
  try {
    return splitRawUrl(rawUrl);
  } catch {
    return undefined;
  }
}
