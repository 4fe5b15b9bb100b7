import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import {
  type ConditionHeaders, evaluateConditions, evaluateCopySourceConditions, readConditionHeaders, readCopySourceConditionHeaders,
} from '../../../../services/gateway/s3/index.ts';

// Last modified 2024-01-10T12:00:00.750Z: its HTTP-date second is 12:00:00.
const TARGET = { etag: 'abc123', lastModifiedMs: Date.UTC(2024, 0, 10, 12, 0, 0, 750) };
const BEFORE = 'Tue, 09 Jan 2024 00:00:00 GMT';
const SAME = 'Wed, 10 Jan 2024 12:00:00 GMT';
const AFTER = 'Thu, 11 Jan 2024 00:00:00 GMT';

type Outcome = 'ok' | 'NotModified' | 'PreconditionFailed';

function outcome(r: ReturnType<typeof evaluateConditions>): Outcome {
  return r === 'ok' ? 'ok' : (r.code as Outcome);
}

// [conditions, expected for GET]
const GET_CASES: ReadonlyArray<readonly [ConditionHeaders, Outcome]> = [
  [{}, 'ok'],
  [{ ifMatch: '', ifNoneMatch: '', ifModifiedSince: '', ifUnmodifiedSince: '' }, 'ok'],
  [{ ifMatch: '"abc123"' }, 'ok'],
  [{ ifMatch: 'abc123' }, 'ok'],
  [{ ifMatch: 'W/"abc123"' }, 'ok'],
  [{ ifMatch: '"x", "abc123"' }, 'ok'],
  [{ ifMatch: '*' }, 'ok'],
  [{ ifMatch: '"other"' }, 'PreconditionFailed'],
  [{ ifNoneMatch: '"abc123"' }, 'NotModified'],
  [{ ifNoneMatch: '*' }, 'NotModified'],
  [{ ifNoneMatch: '"other"' }, 'ok'],
  [{ ifModifiedSince: BEFORE }, 'ok'],
  [{ ifModifiedSince: SAME }, 'NotModified'],
  [{ ifModifiedSince: AFTER }, 'NotModified'],
  [{ ifModifiedSince: 'not a date' }, 'ok'],
  [{ ifUnmodifiedSince: BEFORE }, 'PreconditionFailed'],
  [{ ifUnmodifiedSince: SAME }, 'ok'],
  [{ ifUnmodifiedSince: AFTER }, 'ok'],
  [{ ifUnmodifiedSince: 'garbage' }, 'ok'],
  // S3's documented pairs: If-Match true wins over If-Unmodified-Since false …
  [{ ifMatch: '"abc123"', ifUnmodifiedSince: BEFORE }, 'ok'],
  // … and If-None-Match false with If-Modified-Since true is 304.
  [{ ifNoneMatch: '"abc123"', ifModifiedSince: BEFORE }, 'NotModified'],
  // If-None-Match true makes If-Modified-Since irrelevant.
  [{ ifNoneMatch: '"other"', ifModifiedSince: AFTER }, 'ok'],
  [{ ifMatch: '"other"', ifNoneMatch: '"other"' }, 'PreconditionFailed'],
  [{ ifMatch: '"abc123"', ifNoneMatch: '"abc123"' }, 'NotModified'],
  [{ ifUnmodifiedSince: BEFORE, ifNoneMatch: '"abc123"' }, 'PreconditionFailed'],
];

test('GET/HEAD conditions, with S3 precedence', () => {
  for (const [h, expected] of GET_CASES) {
    assert.equal(outcome(evaluateConditions(h, TARGET)), expected, JSON.stringify(h));
    assert.equal(outcome(evaluateConditions(h, TARGET, 'HEAD')), expected, `HEAD ${JSON.stringify(h)}`);
  }
});

test('errors carry S3 status, Condition and ETag', () => {
  const pf = evaluateConditions({ ifMatch: '"nope"' }, TARGET);
  assert.ok(pf !== 'ok' && pf.status === 412 && pf.details['Condition'] === 'If-Match');
  const nm = evaluateConditions({ ifNoneMatch: '"abc123"' }, TARGET);
  assert.ok(nm !== 'ok' && nm.status === 304 && nm.details['ETag'] === '"abc123"');
});

test('on writes a failed If-None-Match is 412 and If-Modified-Since does not apply', () => {
  assert.equal(outcome(evaluateConditions({ ifNoneMatch: '*' }, TARGET, 'PUT')), 'PreconditionFailed');
  assert.equal(outcome(evaluateConditions({ ifModifiedSince: AFTER }, TARGET, 'PUT')), 'ok');
});

test('copy-source conditions: the same rules, every failure 412', () => {
  for (const [h, expectedGet] of GET_CASES) {
    const expected = expectedGet === 'NotModified' ? 'PreconditionFailed' : expectedGet;
    const r = evaluateCopySourceConditions(h, TARGET);
    assert.equal(outcome(r), expected, JSON.stringify(h));
    if (r !== 'ok') assert.match(r.details['Condition']!, /^x-amz-copy-source-If-/);
  }
  // S3's documented copy pairs.
  assert.equal(evaluateCopySourceConditions({ ifMatch: '"abc123"', ifUnmodifiedSince: BEFORE }, TARGET), 'ok');
  assert.ok(isStoreError(evaluateCopySourceConditions({ ifNoneMatch: '"abc123"', ifModifiedSince: BEFORE }, TARGET), 'PreconditionFailed'));
});

test('condition headers are read from a header bag, copy ones by prefix', () => {
  const headers = {
    'if-match': '"a"', 'if-modified-since': SAME, 'x-amz-copy-source-if-none-match': '"b"',
    'x-amz-copy-source-if-unmodified-since': AFTER,
  };
  assert.deepEqual(readConditionHeaders(headers), { ifMatch: '"a"', ifNoneMatch: undefined, ifModifiedSince: SAME, ifUnmodifiedSince: undefined });
  assert.deepEqual(readCopySourceConditionHeaders(headers), { ifMatch: undefined, ifNoneMatch: '"b"', ifModifiedSince: undefined, ifUnmodifiedSince: AFTER });
  assert.equal(evaluateConditions(readConditionHeaders({ 'if-match': ['"x"', '"abc123"'] }), TARGET), 'ok');
});

test('bigint times (as stored) are accepted', () => {
  assert.equal(outcome(evaluateConditions({ ifModifiedSince: SAME }, { etag: 'e', lastModifiedMs: BigInt(TARGET.lastModifiedMs) })), 'NotModified');
});
