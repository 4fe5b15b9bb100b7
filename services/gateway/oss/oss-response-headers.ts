// Internal (S3-named) response headers → OSS's, plus what OSS says about the object a response
// describes. Names handlers use are lowercase; anything not x-amz-* passes through.
//
// | internal header                         | OSS header                                 |
// |-----------------------------------------|--------------------------------------------|
// | x-amz-meta-<name>                       | x-oss-meta-<name>                          |
// | x-amz-version-id                        | x-oss-version-id                           |
// | x-amz-delete-marker                     | x-oss-delete-marker                        |
// | x-amz-storage-class (STANDARD, …)       | x-oss-storage-class (Standard, …)          |
// | x-amz-copy-source-version-id            | x-oss-copy-source-version-id               |
// | x-amz-bucket-region                     | x-oss-bucket-region                        |
// | x-amz-tagging-count                     | x-oss-tagging-count                        |
// | x-amz-server-side-encryption[-aws-kms-key-id] | x-oss-server-side-encryption[-key-id] |
// | x-amz-request-id, x-amz-id-2, x-amz-checksum-*, x-amz-mp-parts-count, x-amz-error-code, any other x-amz-* | dropped |
// | (always)                                | x-oss-request-id                           |
// | (version given)                         | x-oss-hash-crc64ecma, x-oss-object-type, x-oss-storage-class; x-oss-next-append-position (Appendable); x-oss-symlink-target (Symlink) |
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { ossObjectType } from './oss-object-type.ts';
import { ossStorageClass } from './oss-storage-class.ts';

const AMZ_META = 'x-amz-meta-';
const OSS_META = 'x-oss-meta-';

const RENAMED: Readonly<Record<string, string>> = {
  'x-amz-version-id': 'x-oss-version-id',
  'x-amz-delete-marker': 'x-oss-delete-marker',
  'x-amz-storage-class': 'x-oss-storage-class',
  'x-amz-copy-source-version-id': 'x-oss-copy-source-version-id',
  'x-amz-bucket-region': 'x-oss-bucket-region',
  'x-amz-tagging-count': 'x-oss-tagging-count',
  'x-amz-server-side-encryption': 'x-oss-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id': 'x-oss-server-side-encryption-key-id',
};

/** The stored CRC-64/ECMA (decimal), as ObjectVersion.checksums names it. */
export const CRC64_ECMA_CHECKSUM = 'crc64ecma';
export const SYMLINK_TARGET_HEADER = 'x-oss-symlink-target';

export interface OssResponseContext {
  readonly requestId: string;
  readonly hostId: string;
  /** The object the response describes, if any. */
  readonly version?: ObjectVersion;
}

export function ossResponseHeaders(headers: Readonly<Record<string, string>>, o: OssResponseContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(AMZ_META)) out[OSS_META + lower.slice(AMZ_META.length)] = value;
    else if (Object.hasOwn(RENAMED, lower)) out[RENAMED[lower]!] = renamedValue(lower, value);
    else if (!lower.startsWith('x-amz-')) out[name] = value;
  }
  out['x-oss-request-id'] = o.requestId;
  const v = o.version;
  if (v !== undefined && !v.deleteMarker) addObjectHeaders(out, v);
  return out;
}

function renamedValue(name: string, value: string): string {
  if (name === 'x-amz-storage-class') return ossStorageClass(value);
  if (name === 'x-amz-server-side-encryption' && value === 'aws:kms') return 'KMS';
  return value;
}

// A handler's own value wins over the one derived here (GetSymlink sends the target it read).
function addObjectHeaders(out: Record<string, string>, v: ObjectVersion): void {
  const crc = v.checksums[CRC64_ECMA_CHECKSUM];
  if (crc) out['x-oss-hash-crc64ecma'] ??= crc;
  const type = ossObjectType(v);
  out['x-oss-object-type'] ??= type;
  out['x-oss-storage-class'] ??= ossStorageClass(v.attributes?.storageClass);
  if (type === 'Appendable') out['x-oss-next-append-position'] ??= String(v.size);
  const target = v.attributes?.headers[SYMLINK_TARGET_HEADER];
  // Stored decoded; on the wire it is percent-encoded, as ali-oss decodes it.
  if (type === 'Symlink' && target) out[SYMLINK_TARGET_HEADER] ??= encodeURIComponent(target);
}
