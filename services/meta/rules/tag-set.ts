// Object tag sets as S3 and OSS limit them: at most 10 tags, keys of 1 to 128 characters and
// values of at most 256, counted in Unicode characters (not UTF-16 units or bytes).
import { MAX_OBJECT_TAGS, MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS } from '../limits.ts';
import { MetaError } from '../meta-error.ts';

function characters(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function checkTagSet(tags: Record<string, string>, where: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > MAX_OBJECT_TAGS) {
    throw new MetaError('InvalidTag', `an object can have at most ${MAX_OBJECT_TAGS} tags, not ${entries.length}`, where);
  }
  for (const [k, v] of entries) {
    const kc = characters(k);
    if (kc < 1 || kc > MAX_TAG_KEY_CHARS) {
      throw new MetaError('InvalidTag', `a tag key must be 1 to ${MAX_TAG_KEY_CHARS} characters`, { ...where, tagKey: k.slice(0, MAX_TAG_KEY_CHARS) });
    }
    if (characters(v) > MAX_TAG_VALUE_CHARS) {
      throw new MetaError('InvalidTag', `a tag value must be at most ${MAX_TAG_VALUE_CHARS} characters`, { ...where, tagKey: k });
    }
  }
}
