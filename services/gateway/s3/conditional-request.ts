// Conditional requests: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since on
// reads, and their x-amz-copy-source-if-* twins on a copy's source. The order is RFC 9110
// §13.2.2, which yields S3's documented combinations: If-Match true makes If-Unmodified-Since
// irrelevant (→ ok), and an If-None-Match that fails makes If-Modified-Since irrelevant (→ 304).
// The outcome is returned as a value (the error to throw, or 'ok'), so callers decide when.
import { StoreError } from '../errors/store-error.ts';
import { type HeaderBag, headerValue } from './header-bag.ts';
import { parseHttpDate } from './s3-time.ts';

/** Header values as received; undefined or '' means absent. */
export interface ConditionHeaders {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifUnmodifiedSince?: string;
}

/** What the conditions are tested against: the current version's ETag (quotes optional) and time. */
export interface ConditionTarget {
  readonly etag: string;
  readonly lastModifiedMs: number | bigint;
}

export type ConditionOutcome = 'ok' | StoreError;

const HEADER_NAMES = {
  ifMatch: 'if-match', ifNoneMatch: 'if-none-match', ifModifiedSince: 'if-modified-since', ifUnmodifiedSince: 'if-unmodified-since',
} as const;

export function readConditionHeaders(headers: HeaderBag, prefix = ''): ConditionHeaders {
  return {
    ifMatch: headerValue(headers, prefix + HEADER_NAMES.ifMatch),
    ifNoneMatch: headerValue(headers, prefix + HEADER_NAMES.ifNoneMatch),
    ifModifiedSince: headerValue(headers, prefix + HEADER_NAMES.ifModifiedSince),
    ifUnmodifiedSince: headerValue(headers, prefix + HEADER_NAMES.ifUnmodifiedSince),
  };
}

export const COPY_SOURCE_CONDITION_PREFIX = 'x-amz-copy-source-';

export function readCopySourceConditionHeaders(headers: HeaderBag): ConditionHeaders {
  return readConditionHeaders(headers, COPY_SOURCE_CONDITION_PREFIX);
}

/**
 * GET/HEAD (and conditional writes): 'ok', NotModified (304; only for GET and HEAD) or
 * PreconditionFailed (412, naming the failed condition).
 */
export function evaluateConditions(h: ConditionHeaders, target: ConditionTarget, method = 'GET'): ConditionOutcome {
  const safe = method === 'GET' || method === 'HEAD';
  return evaluate(h, target, safe ? 'NotModified' : 'PreconditionFailed', !safe, '');
}

/** A copy's source: every failed condition is PreconditionFailed (412), never 304. */
export function evaluateCopySourceConditions(h: ConditionHeaders, target: ConditionTarget): ConditionOutcome {
  return evaluate(h, target, 'PreconditionFailed', false, COPY_SOURCE_CONDITION_PREFIX);
}

function evaluate(
  h: ConditionHeaders, target: ConditionTarget, notModified: 'NotModified' | 'PreconditionFailed',
  skipModifiedSince: boolean, prefix: string,
): ConditionOutcome {
  const etag = bareEtag(target.etag);
  // HTTP dates have whole seconds; a version written at .900 is not "modified since" .000.
  const modifiedSec = Math.floor(Number(target.lastModifiedMs) / 1000) * 1000;
  const failed = (code: 'NotModified' | 'PreconditionFailed', header: string): StoreError => code === 'NotModified'
    ? new StoreError('NotModified', 'Not Modified', { ETag: `"${etag}"` })
    : new StoreError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: prefix + header });

  if (present(h.ifMatch)) {
    if (!etagListMatches(h.ifMatch, etag)) return failed('PreconditionFailed', 'If-Match');
  } else if (present(h.ifUnmodifiedSince)) {
    const since = parseHttpDate(h.ifUnmodifiedSince);
    if (since !== undefined && modifiedSec > since) return failed('PreconditionFailed', 'If-Unmodified-Since');
  }
  if (present(h.ifNoneMatch)) {
    if (etagListMatches(h.ifNoneMatch, etag)) return failed(notModified, 'If-None-Match');
  } else if (present(h.ifModifiedSince) && !skipModifiedSince) {
    const since = parseHttpDate(h.ifModifiedSince);
    if (since !== undefined && modifiedSec <= since) return failed(notModified, 'If-Modified-Since');
  }
  return 'ok';
}

function present(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

/** An ETag without W/ and quotes. Comparison is weak (RFC 9110 §8.8.3.2): S3 ETags are never weak anyway. */
export function bareEtag(etag: string): string {
  let e = etag.trim();
  if (e.startsWith('W/')) e = e.slice(2);
  if (e.length >= 2 && e.startsWith('"') && e.endsWith('"')) e = e.slice(1, -1);
  return e;
}

/** `*`, or a comma-separated list of ETags, any of which equals `etag`; the object exists. */
function etagListMatches(list: string, etag: string): boolean {
  for (const item of list.split(',')) {
    const candidate = item.trim();
    if (candidate === '*' || bareEtag(candidate) === etag) return true;
  }
  return false;
}
