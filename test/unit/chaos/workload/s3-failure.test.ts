// What a failed S3 call says about its effect: conditions are results, refusals are certain
// failures, and anything that may have acted is indeterminate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyMultipartFailure, classifyS3Failure, neverSent } from '../../../chaos/workload/s3-failure.ts';

const sdk = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const net = (code: string) => Object.assign(new Error(code), { code });

test('conditional outcomes are results', () => {
  assert.deepEqual(classifyS3Failure(sdk('PreconditionFailed', 412)), { kind: 'precondition-failed' });
  assert.deepEqual(classifyS3Failure(sdk('NoSuchKey', 404)), { kind: 'no-such-key' });
  assert.deepEqual(classifyS3Failure(sdk('NotFound', 404)), { kind: 'no-such-key' });
});

test('timeouts, 5xx and cut connections are indeterminate', () => {
  assert.equal(classifyS3Failure(sdk('AbortError')).kind, 'indeterminate');
  assert.equal(classifyS3Failure(sdk('TimeoutError')).kind, 'indeterminate');
  assert.deepEqual(classifyS3Failure(sdk('InternalError', 500)), { kind: 'indeterminate', reason: '500 InternalError' });
  assert.equal(classifyS3Failure(sdk('ServiceUnavailable', 503)).kind, 'indeterminate');
  assert.deepEqual(classifyS3Failure(net('ECONNRESET')), { kind: 'indeterminate', reason: 'ECONNRESET' });
  assert.equal(classifyS3Failure(Object.assign(new Error('socket hang up'), { cause: net('EPIPE') })).kind, 'indeterminate');
  assert.equal(classifyS3Failure(undefined).kind, 'indeterminate');
});

test('refusals and requests never sent are certain failures', () => {
  assert.deepEqual(classifyS3Failure(sdk('AccessDenied', 403)), { kind: 'failed', reason: '403 AccessDenied' });
  assert.equal(classifyS3Failure(sdk('ConditionalRequestConflict', 409)).kind, 'failed');
  assert.deepEqual(classifyS3Failure(net('ECONNREFUSED')), { kind: 'failed', reason: 'ECONNREFUSED' });
  assert.equal(classifyS3Failure(Object.assign(new Error('x'), { cause: net('ECONNREFUSED') })).kind, 'failed');
});

test('a multipart put fails for certain before Complete, whatever the error; Complete\'s failure means what it says', () => {
  for (const step of ['create', 'upload-part'] as const) {
    assert.deepEqual(classifyMultipartFailure(step, sdk('AbortError')), { kind: 'failed', reason: `${step}: timeout` });
    assert.deepEqual(classifyMultipartFailure(step, sdk('InternalError', 500)), { kind: 'failed', reason: `${step}: 500 InternalError` });
    assert.equal(classifyMultipartFailure(step, net('ECONNRESET')).kind, 'failed');
  }
  assert.deepEqual(classifyMultipartFailure('complete', sdk('AbortError')), { kind: 'indeterminate', reason: 'complete: timeout' });
  assert.deepEqual(classifyMultipartFailure('complete', sdk('InternalError', 500)), { kind: 'indeterminate', reason: 'complete: 500 InternalError' });
  assert.equal(classifyMultipartFailure('complete', net('ECONNRESET')).kind, 'indeterminate');
  assert.deepEqual(classifyMultipartFailure('complete', sdk('NoSuchUpload', 404)), { kind: 'failed', reason: 'complete: 404 NoSuchUpload' });
  assert.deepEqual(classifyMultipartFailure('complete', sdk('EntityTooSmall', 400)), { kind: 'failed', reason: 'complete: 400 EntityTooSmall' });
  assert.deepEqual(classifyMultipartFailure('complete', net('ECONNREFUSED')), { kind: 'failed', reason: 'complete: ECONNREFUSED' });
});

test('a refused connection is a request that never left (the workload pauses before its next op)', () => {
  assert.equal(neverSent((classifyS3Failure(net('ECONNREFUSED')) as { reason: string }).reason), true);
  assert.equal(neverSent('ECONNRESET'), false);
  assert.equal(neverSent('403 AccessDenied'), false);
  assert.equal(neverSent(undefined), false);
});
