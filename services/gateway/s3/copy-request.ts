// CopyObject / UploadPartCopy request headers: where the source is, and whether the copy
// keeps or replaces its metadata.
import { StoreError } from '../errors/store-error.ts';
import { checkKeyLength } from './object-key.ts';
import { parseQuery } from './request-target.ts';

export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  /** A specific version; undefined for the current one. */
  readonly versionId?: string;
}

/**
 * `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, optionally followed by
 * `?versionId=…`. The '?' is found before decoding (a literal '?' in a key arrives as %3F),
 * and the bucket/key split after it (some clients encode the separating '/' as %2F).
 */
export function parseCopySource(header: string | undefined): CopySource {
  const value = header?.trim() ?? '';
  const q = value.indexOf('?');
  const rawPath = q < 0 ? value : value.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw invalidCopySource('Invalid copy source encoding', value);
  }
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? '' : path.slice(0, slash);
  const key = slash < 0 ? '' : path.slice(slash + 1);
  if (bucket === '' || key === '') {
    throw invalidCopySource('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', value);
  }
  if (bucket.startsWith('arn:')) {
    throw new StoreError('NotImplemented', 'Access point and Outposts copy sources are not implemented.', { CopySource: value });
  }
  checkKeyLength(key);

  let versionId: string | undefined;
  if (q >= 0) {
    let query: Map<string, string>;
    try {
      query = parseQuery(value.slice(q + 1));
    } catch {
      throw invalidCopySource('Invalid copy source encoding', value);
    }
    versionId = query.get('versionId');
    if (versionId === '') throw invalidCopySource('Invalid version id specified', value);
  }
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}

function invalidCopySource(message: string, value: string): StoreError {
  return new StoreError('InvalidArgument', message, { ArgumentName: 'x-amz-copy-source', ArgumentValue: value });
}

export type MetadataDirective = 'COPY' | 'REPLACE';

/** x-amz-metadata-directive: COPY (the default) or REPLACE. */
export function parseMetadataDirective(value: string | undefined): MetadataDirective {
  if (value === undefined || value === '') return 'COPY';
  if (value === 'COPY' || value === 'REPLACE') return value;
  throw new StoreError('InvalidArgument', 'Unknown metadata directive.', {
    ArgumentName: 'x-amz-metadata-directive', ArgumentValue: value,
  });
}

export interface SelfCopyCheck {
  /**
   * Source and destination are the same bucket and key, and the source names no older
   * version (copying an older version over the current one restores it: a legal change).
   */
  readonly sameObject: boolean;
  readonly directive: MetadataDirective;
  readonly storageClassChanged?: boolean;
  readonly redirectChanged?: boolean;
  readonly encryptionChanged?: boolean;
}

/** S3 refuses a copy onto itself that would change nothing. */
export function checkCopyToItself(c: SelfCopyCheck): void {
  if (!c.sameObject || c.directive === 'REPLACE' || c.storageClassChanged || c.redirectChanged || c.encryptionChanged) return;
  throw new StoreError('InvalidRequest',
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
}
