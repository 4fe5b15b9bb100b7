// The S3 dialect's parse step: an HTTP request line and headers in, an S3Request out. Pure:
// no body, no credentials, no I/O — the pipeline authenticates and dispatches afterwards.
import type { HeaderBag } from './header-bag.ts';
import { headerValue } from './header-bag.ts';
import { checkKeyLength } from './object-key.ts';
import { routeOperation } from './operation-routes.ts';
import { decodePathPart, invalidUri, parseQuery, splitRawUrl, virtualHostBucket } from './request-target.ts';
import type { AddressingStyle, S3Request } from './s3-request.ts';

export interface HttpRequestHead {
  readonly method: string;
  /** The request target exactly as received (`req.url`): origin-form or absolute-form. */
  readonly rawUrl: string;
  readonly headers: HeaderBag;
}

export interface S3AddressingOptions {
  /** Domains under which `bucket.<domain>` names a bucket (virtual-hosted style). */
  readonly baseDomains: readonly string[];
}

export function parseS3Request(req: HttpRequestHead, options: S3AddressingOptions): S3Request {
  const target = splitRawUrl(req.rawUrl);
  const query = parseQuery(target.rawQuery);
  const hostBucket = virtualHostBucket(target.authority ?? headerValue(req.headers, 'host'), options.baseDomains);
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
  if (key !== undefined) checkKeyLength(key);

  const level = bucket === undefined ? 'service' : key === undefined ? 'bucket' : 'object';
  const operation = routeOperation({ method: req.method.toUpperCase(), level, query, headers: req.headers });
  const resource = bucket === undefined ? '/' : key === undefined ? `/${bucket}` : `/${bucket}/${key}`;
  return { operation, bucket, key, query, style, resource };
}
