// The S3 dialect's parse step: an HTTP request line and headers in, an S3Request out. Pure:
// no body, no credentials, no I/O — the pipeline authenticates and dispatches afterwards.
import type { HeaderBag } from './header-bag.ts';
import { headerValue } from './header-bag.ts';
import { checkKeyLength } from './object-key.ts';
import { routeOperation } from './operation-routes.ts';
import { addressedTarget, parseQuery, splitRawUrl, virtualHostBucket } from './request-target.ts';
import type { S3Request } from './s3-request.ts';

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
  const { bucket, key, style, level, resource } = addressedTarget(target.rawPath, hostBucket, checkKeyLength);
  const operation = routeOperation({ method: req.method.toUpperCase(), level, query, headers: req.headers });
  return { operation, bucket, key, query, style, resource };
}
