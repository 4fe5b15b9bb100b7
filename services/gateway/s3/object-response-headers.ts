// The headers of a GET/HEAD answer, from the stored version, and the response-* query
// overrides. Names are lowercase so callers can spread overrides over them safely.
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { STANDARD_STORAGE_CLASS } from '../../erasure/index.ts';
import { StoreError } from '../errors/store-error.ts';
import { type ByteRange, contentRange } from './byte-range.ts';
import { checksumHeaderName, s3Checksums } from './checksum-names.ts';
import { STORED_CONTENT_HEADERS, USER_METADATA_PREFIX } from './object-write-headers.ts';
import { httpDate } from './s3-time.ts';

/** S3's answer for an object stored without a Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export interface ObjectHeaderOptions {
  /** The bucket has (or had) versioning on: then even the "null" version id is reported. */
  readonly versioned: boolean;
  /** x-amz-checksum-mode: ENABLED. Ignored for ranges: stored checksums cover whole objects. */
  readonly checksumMode?: boolean;
  /** A 206 answer: Content-Length and Content-Range describe this range. */
  readonly range?: ByteRange;
}

export function objectHeaders(version: ObjectVersion, options: ObjectHeaderOptions): Record<string, string> {
  const size = Number(version.size);
  const attrs = version.attributes;
  const out: Record<string, string> = {
    'etag': `"${version.etag}"`,
    'last-modified': httpDate(version.lastModifiedMs),
    'content-type': attrs?.contentType || DEFAULT_CONTENT_TYPE,
    'accept-ranges': 'bytes',
  };
  if (options.range) {
    out['content-length'] = String(options.range.end - options.range.start + 1);
    out['content-range'] = contentRange(options.range, size);
  } else {
    out['content-length'] = String(size);
  }
  for (const name of STORED_CONTENT_HEADERS) {
    const value = attrs?.headers[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  for (const [name, value] of Object.entries(attrs?.userMeta ?? {})) out[USER_METADATA_PREFIX + name] = value;
  if (options.versioned || (version.versionId !== '' && version.versionId !== 'null')) {
    out['x-amz-version-id'] = version.versionId || 'null';
  }
  const storageClass = attrs?.storageClass;
  if (storageClass && storageClass !== STANDARD_STORAGE_CLASS) out['x-amz-storage-class'] = storageClass;
  if (options.checksumMode && !options.range) {
    for (const [alg, value] of s3Checksums(version.checksums)) out[checksumHeaderName(alg)] = value;
  }
  return out;
}

const OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/**
 * Headers a GET/HEAD asks to have replaced (`response-content-type=…` …). Query values are
 * decoded text; they go out as their UTF-8 bytes (a filename in Content-Disposition, say),
 * which node:http writes byte for byte from a latin1 string. Control characters are refused
 * rather than letting them split the header. That S3 allows these only on signed requests is
 * the authorizer's rule, not the codec's.
 */
export function responseOverrides(query: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [param, header] of OVERRIDES) {
    const value = query.get(param);
    if (value === undefined) continue;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      throw new StoreError('InvalidArgument', `Header value cannot contain control characters: ${param}`, {
        ArgumentName: param, ArgumentValue: value,
      });
    }
    out[header] = Buffer.from(value, 'utf8').toString('latin1');
  }
  return out;
}
