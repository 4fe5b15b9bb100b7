// Object key rules the dialect enforces itself (everything else about keys is meta's).
import { StoreError } from '../errors/store-error.ts';
import { MAX_KEY_BYTES } from './s3-limits.ts';

export function checkKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new StoreError('KeyTooLongError', 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(bytes) });
  }
}
