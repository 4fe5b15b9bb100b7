// OSS storage class names ⇄ the stored (S3-named) classes. As for S3's classes: every stored
// byte already survives a zone loss, so the infrequent-access class stores as STANDARD, while
// the archive classes promise restore semantics we do not have and are refused.
import { REPLICATED_STORAGE_CLASS, STANDARD_STORAGE_CLASS } from '../../erasure/index.ts';
import { StoreError } from '../errors/store-error.ts';

// Lowercase OSS names (OSS's SDKs differ in case) → stored class. REPLICATED is zonestore's own.
const FROM_OSS: Readonly<Record<string, string>> = {
  standard: STANDARD_STORAGE_CLASS,
  ia: STANDARD_STORAGE_CLASS,
  replicated: REPLICATED_STORAGE_CLASS,
};

/** The stored class for an OSS storage class name; archive classes and unknown names are InvalidStorageClass. */
export function storedStorageClass(ossName: string): string {
  const stored = FROM_OSS[ossName.trim().toLowerCase()];
  if (stored === undefined) {
    throw new StoreError('InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: ossName });
  }
  return stored;
}

// Only lifecycle transitions store these (docs/lifecycle.md): S3's names for OSS's IA and Archive.
const TO_OSS: Readonly<Record<string, string>> = { STANDARD_IA: 'IA', GLACIER: 'Archive' };

/** The OSS name of a stored class: STANDARD (or none) is `Standard`; lifecycle's STANDARD_IA / GLACIER are IA / Archive; REPLICATED stays as is. */
export function ossStorageClass(stored: string | undefined): string {
  return !stored || stored === STANDARD_STORAGE_CLASS ? 'Standard' : TO_OSS[stored] ?? stored;
}
