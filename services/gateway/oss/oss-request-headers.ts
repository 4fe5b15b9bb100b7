// OSS request headers → the internal (S3) names the handlers read. Runs after authentication
// (signatures cover the names as sent), rewriting the header object in place.
//
// | OSS request header                         | internal header                         |
// |--------------------------------------------|-----------------------------------------|
// | x-oss-meta-<name>                          | x-amz-meta-<name>                       |
// | x-oss-copy-source[-if-*, -range]           | x-amz-copy-source[-if-*, -range]        |
// | x-oss-metadata-directive                   | x-amz-metadata-directive                |
// | x-oss-storage-class (Standard, IA, …)      | x-amz-storage-class (STANDARD, …)       |
// | x-oss-forbid-overwrite: true               | if-none-match: *   (writes only)        |
// | x-oss-tagging                              | x-amz-tagging                           |
// | any x-amz-* sent by the client             | removed                                 |
// Everything else (x-oss-symlink-target, x-oss-acl, x-oss-server-side-encryption, content
// headers, the signing headers) is left as sent.
import type { IncomingHttpHeaders } from 'node:http';
import { storedStorageClass } from './oss-storage-class.ts';

const RENAMED: Readonly<Record<string, string>> = {
  'x-oss-copy-source': 'x-amz-copy-source',
  'x-oss-copy-source-if-match': 'x-amz-copy-source-if-match',
  'x-oss-copy-source-if-none-match': 'x-amz-copy-source-if-none-match',
  'x-oss-copy-source-if-modified-since': 'x-amz-copy-source-if-modified-since',
  'x-oss-copy-source-if-unmodified-since': 'x-amz-copy-source-if-unmodified-since',
  'x-oss-copy-source-range': 'x-amz-copy-source-range',
  'x-oss-metadata-directive': 'x-amz-metadata-directive',
  'x-oss-tagging': 'x-amz-tagging',
};

const OSS_META = 'x-oss-meta-';
const AMZ_META = 'x-amz-meta-';
const STORAGE_CLASS = 'x-oss-storage-class';
const FORBID_OVERWRITE = 'x-oss-forbid-overwrite';
// Methods whose If-None-Match is a read condition, not a write's.
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Rewrites `headers` in place. Client-sent `x-amz-*` headers are dropped first: OSS ignores
 * them, and left in place they would steer S3-only behaviour (aws-chunked bodies, S3 checksum
 * headers, metadata under S3 names) on a request that speaks OSS. `method`, when given, keeps
 * `x-oss-forbid-overwrite` from turning into a read condition on GET/HEAD (OSS ignores it
 * there). An archive or unknown storage class is InvalidStorageClass.
 */
export function normalizeOssRequestHeaders(headers: IncomingHttpHeaders, method?: string): void {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase().startsWith('x-amz-')) delete headers[name];
  }
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    const value = headers[name];
    if (value === undefined) continue;
    if (lower.startsWith(OSS_META) && lower.length > OSS_META.length) {
      move(headers, name, AMZ_META + lower.slice(OSS_META.length), value);
    } else if (Object.hasOwn(RENAMED, lower)) {
      move(headers, name, RENAMED[lower]!, value);
    } else if (lower === STORAGE_CLASS) {
      move(headers, name, 'x-amz-storage-class', storedStorageClass(single(value)));
    } else if (lower === FORBID_OVERWRITE) {
      delete headers[name];
      // OSS reads anything but `true` as false.
      const forbid = single(value).trim().toLowerCase();
      if (forbid === 'true' && !(method !== undefined && READS.has(method.toUpperCase()))) headers['if-none-match'] = '*';
    }
  }
}

function move(headers: IncomingHttpHeaders, from: string, to: string, value: string | string[]): void {
  delete headers[from];
  headers[to] = value;
}

function single(value: string | string[]): string {
  return Array.isArray(value) ? value.join(', ') : value;
}
