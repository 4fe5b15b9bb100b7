// The OSS dialect's parse step: request line and headers in, a ParsedRequest out. Pure: no
// body, no credentials. Addressing and decoding follow the S3 codec's rules (strict
// percent-decoding, `+` literal in paths, first value of a repeated query parameter wins);
// what differs is the endpoint names that mean virtual-hosted style, the key limit and the
// routing table.
import type { ParsedRequest } from '../dialect/operation.ts';
import { StoreError } from '../errors/store-error.ts';
import { type HttpRequestHead, headerValue, type HeaderBag } from '../s3/index.ts';
import { addressedTarget, parseQuery, splitRawUrl, virtualHostBucket } from '../s3/request-target.ts';
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
  const { bucket, key, style, level, resource } = addressedTarget(target.rawPath, hostBucket, checkOssKey);
  const operation = routeOssOperation({ method: req.method.toUpperCase(), level, query, headers: req.headers });
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
