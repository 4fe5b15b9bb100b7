// What a PUT / POST ?uploads / copy with REPLACE says about the object besides its bytes:
// content headers, x-amz-meta-*, storage class. The result is shaped like the stored
// ObjectAttributes (lowercase header names, metadata names without their prefix).
import { REPLICATED_STORAGE_CLASS, STANDARD_STORAGE_CLASS } from '../../erasure/index.ts';
import { StoreError } from '../errors/store-error.ts';
import { type HeaderBag, headerValue } from './header-bag.ts';
import { MAX_USER_METADATA_BYTES } from './s3-limits.ts';

/** Content headers stored with an object and sent back on GET/HEAD. */
export const STORED_CONTENT_HEADERS = [
  'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires',
  'x-amz-website-redirect-location',
] as const;

export const USER_METADATA_PREFIX = 'x-amz-meta-';

export interface ObjectWriteAttributes {
  /** '' when the client sent none (readers then answer binary/octet-stream). */
  contentType: string;
  userMeta: Record<string, string>;
  /** STORED_CONTENT_HEADERS that were sent, by lowercase name. */
  headers: Record<string, string>;
  /** '' when the client sent none: the bucket's default applies. */
  storageClass: string;
}

export function objectAttributesFromHeaders(headers: HeaderBag): ObjectWriteAttributes {
  return {
    contentType: headerValue(headers, 'content-type')?.trim() ?? '',
    userMeta: readUserMetadata(headers),
    headers: readContentHeaders(headers),
    storageClass: parseStorageClass(headerValue(headers, 'x-amz-storage-class')) ?? '',
  };
}

export function readContentHeaders(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STORED_CONTENT_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined) out[name] = value;
  }
  const encoding = out['content-encoding'];
  if (encoding !== undefined) {
    // aws-chunked describes how this request's body is framed (SigV4 streaming), not the object.
    const kept = encoding.split(',').map((t) => t.trim()).filter((t) => t !== '' && t.toLowerCase() !== 'aws-chunked');
    if (kept.length === 0) delete out['content-encoding'];
    else out['content-encoding'] = kept.join(', ');
  }
  const redirect = out['x-amz-website-redirect-location'];
  if (redirect !== undefined && !/^(\/|https?:\/\/)/i.test(redirect)) {
    throw new StoreError('InvalidArgument', "The website redirect location must have a prefix of 'http://' or 'https://' or '/'", {
      ArgumentName: 'x-amz-website-redirect-location', ArgumentValue: redirect,
    });
  }
  return out;
}

/**
 * x-amz-meta-* with lowercase names and the prefix removed, at most 2 KiB of names plus values.
 * node:http decodes header bytes as latin1, so a value's length is its byte count unless it
 * was built elsewhere with wider characters.
 */
export function readUserMetadata(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const rawName of Object.keys(headers)) {
    const lower = rawName.toLowerCase();
    if (!lower.startsWith(USER_METADATA_PREFIX) || lower.length === USER_METADATA_PREFIX.length) continue;
    const value = headerValue(headers, rawName);
    if (value === undefined) continue;
    const name = lower.slice(USER_METADATA_PREFIX.length);
    out[name] = value;
    bytes += Buffer.byteLength(name, 'utf8') + headerBytes(value);
  }
  if (bytes > MAX_USER_METADATA_BYTES) {
    throw new StoreError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', {
      MaxSizeAllowed: String(MAX_USER_METADATA_BYTES), Size: String(bytes),
    });
  }
  return out;
}

function headerBytes(value: string): number {
  return /[^\x00-\xff]/.test(value) ? Buffer.byteLength(value, 'utf8') : value.length;
}

/**
 * Every stored byte already survives a zone loss, so AWS classes that trade durability or
 * access cost for price store as STANDARD (clients configured for them keep working);
 * archival classes promise restore semantics we do not have and are refused.
 */
const STORAGE_CLASS_ALIASES: Readonly<Record<string, string>> = {
  [STANDARD_STORAGE_CLASS]: STANDARD_STORAGE_CLASS,
  [REPLICATED_STORAGE_CLASS]: REPLICATED_STORAGE_CLASS,
  REDUCED_REDUNDANCY: STANDARD_STORAGE_CLASS,
  STANDARD_IA: STANDARD_STORAGE_CLASS,
  ONEZONE_IA: STANDARD_STORAGE_CLASS,
  INTELLIGENT_TIERING: STANDARD_STORAGE_CLASS,
  GLACIER_IR: STANDARD_STORAGE_CLASS,
};

/** The storage class to store under, undefined when none was asked; unknown or archival → InvalidStorageClass. */
export function parseStorageClass(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const stored = STORAGE_CLASS_ALIASES[value.trim()];
  if (stored === undefined) {
    throw new StoreError('InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: value });
  }
  return stored;
}
