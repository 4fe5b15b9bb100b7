// Object keys are non-empty UTF-8 strings of at most 1024 bytes. NUL is refused: the stored
// key layout uses it as the separator between bucket, key and version (see state/meta-keys.ts).
import { MAX_OBJECT_KEY_BYTES } from '../limits.ts';
import { MetaError } from '../meta-error.ts';

export function assertObjectKey(bucket: string, key: string): void {
  if (key.length === 0) throw new MetaError('InvalidArgument', 'object key must not be empty', { bucket });
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_OBJECT_KEY_BYTES) {
    throw new MetaError('KeyTooLongError', `object key is ${bytes} bytes; the limit is ${MAX_OBJECT_KEY_BYTES}`, { bucket });
  }
  if (key.includes('\0')) throw new MetaError('InvalidArgument', 'object key must not contain NUL', { bucket });
  if (!isWellFormedUtf16(key)) throw new MetaError('InvalidArgument', 'object key is not valid Unicode', { bucket });
}

/** Lone surrogates would not survive the UTF-8 round trip through storage. */
function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
