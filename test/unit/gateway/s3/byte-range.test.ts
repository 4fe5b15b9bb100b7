import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { contentRange, parseCopySourceRange, parseRange, unsatisfiedContentRange } from '../../../../services/gateway/s3/index.ts';

type Expect = { start: number; end: number } | undefined | 'InvalidRange';

// [header, object size, expected]
const RANGES: ReadonlyArray<readonly [string | undefined, number, Expect]> = [
  [undefined, 10, undefined],
  ['', 10, undefined],
  ['bytes=0-0', 10, { start: 0, end: 0 }],
  ['bytes=0-9', 10, { start: 0, end: 9 }],
  ['bytes=2-5', 10, { start: 2, end: 5 }],
  ['bytes=5-', 10, { start: 5, end: 9 }],
  ['bytes=9-', 10, { start: 9, end: 9 }],
  ['bytes=-3', 10, { start: 7, end: 9 }],
  ['bytes=-10', 10, { start: 0, end: 9 }],
  ['bytes=-100', 10, { start: 0, end: 9 }],
  ['bytes=0-100', 10, { start: 0, end: 9 }],
  ['bytes=0-99999999999999999999', 10, { start: 0, end: 9 }],
  ['Bytes = 1 - 2 ', 10, { start: 1, end: 2 }],
  // Syntactically invalid: ignored, the whole object is sent.
  ['bytes=5-2', 10, undefined],
  ['bytes=-', 10, undefined],
  ['bytes=a-b', 10, undefined],
  ['bytes=1-2-3', 10, undefined],
  ['bytes 1-2', 10, undefined],
  ['items=0-1', 10, undefined],
  ['bytes=-1.5', 10, undefined],
  // Several ranges: ignored (no multipart/byteranges), as S3 does.
  ['bytes=0-1,3-4', 10, undefined],
  ['bytes=0-1, -2', 10, undefined],
  // Unsatisfiable.
  ['bytes=10-', 10, 'InvalidRange'],
  ['bytes=10-20', 10, 'InvalidRange'],
  ['bytes=-0', 10, 'InvalidRange'],
  ['bytes=0-', 0, 'InvalidRange'],
  ['bytes=0-0', 0, 'InvalidRange'],
  ['bytes=-5', 0, 'InvalidRange'],
];

test('Range header table', () => {
  for (const [header, size, expected] of RANGES) {
    const label = `${header} of ${size}`;
    if (expected === 'InvalidRange') {
      assert.throws(() => parseRange(header, size), (e: unknown) => isStoreError(e, 'InvalidRange') && e.status === 416
        && e.details['ActualObjectSize'] === String(size) && e.details['RangeRequested'] === header, label);
    } else {
      assert.deepEqual(parseRange(header, size), expected, label);
    }
  }
});

test('a satisfiable range always lies inside the object', () => {
  fc.assert(fc.property(fc.nat(1000), fc.nat(2000), fc.option(fc.nat(2000)), fc.boolean(), (size, a, b, suffix) => {
    const header = suffix ? `bytes=-${a}` : `bytes=${a}-${b ?? ''}`;
    let r;
    try {
      r = parseRange(header, size);
    } catch (e) {
      assert.ok(isStoreError(e, 'InvalidRange'));
      return;
    }
    if (r === undefined) return;
    assert.ok(r.start >= 0 && r.start <= r.end && r.end < size, `${header} of ${size} → ${JSON.stringify(r)}`);
  }), { seed: 7 });
});

test('copy-source range: strict syntax, inside the source', () => {
  assert.equal(parseCopySourceRange(undefined, 10), undefined);
  assert.equal(parseCopySourceRange('', 10), undefined);
  assert.deepEqual(parseCopySourceRange('bytes=0-9', 10), { start: 0, end: 9 });
  assert.deepEqual(parseCopySourceRange('bytes=3-3', 10), { start: 3, end: 3 });
  for (const bad of ['0-9', 'bytes=0', 'bytes=-5', 'bytes=5-', 'bytes=a-b', 'bytes=5-2', 'bytes=0-1,2-3', 'bytes=0-9 ;']) {
    assert.throws(() => parseCopySourceRange(bad, 10), (e: unknown) => isStoreError(e, 'InvalidArgument')
      && e.details['ArgumentName'] === 'x-amz-copy-source-range', bad);
  }
  assert.throws(() => parseCopySourceRange('bytes=0-10', 10), (e: unknown) => isStoreError(e, 'InvalidArgument')
    && /size: 10/.test(e.message));
  assert.throws(() => parseCopySourceRange('bytes=0-0', 0), (e: unknown) => isStoreError(e, 'InvalidArgument'));
});

test('Content-Range values', () => {
  assert.equal(contentRange({ start: 2, end: 5 }, 10), 'bytes 2-5/10');
  assert.equal(unsatisfiedContentRange(10), 'bytes */10');
});
