// Conditional writes (If-Match / If-None-Match on the current version's ETag), as S3 answers
// them: a missing object fails If-Match with NoSuchKey, a mismatch is PreconditionFailed.
import { MAX_ETAG_LENGTH } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { etagListMatches } from './etag.ts';

export interface PreconditionInput {
  ifMatch: string;
  ifNoneMatch: string;
}

/** `current` is the current (non-delete-marker) version's ETag, undefined when there is none. */
export function checkPreconditions(pre: PreconditionInput | undefined, current: string | undefined, where: Record<string, string>): void {
  if (!pre) return;
  if (pre.ifMatch.length > MAX_ETAG_LENGTH || pre.ifNoneMatch.length > MAX_ETAG_LENGTH) {
    throw new MetaError('InvalidArgument', 'precondition ETag too long', where);
  }
  if (pre.ifMatch !== '') {
    if (current === undefined) throw new MetaError('NoSuchKey', 'If-Match: the object does not exist', where);
    if (!etagListMatches(pre.ifMatch, current)) {
      throw new MetaError('PreconditionFailed', 'If-Match: the current ETag differs', { ...where, condition: 'If-Match' });
    }
  }
  if (pre.ifNoneMatch !== '' && current !== undefined && etagListMatches(pre.ifNoneMatch, current)) {
    throw new MetaError('PreconditionFailed', 'If-None-Match: a matching object exists', { ...where, condition: 'If-None-Match' });
  }
}
