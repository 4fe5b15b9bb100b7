// What a failed S3 call says about its effect: conditions are results, refusals are certain
// failures, and anything that may have acted is indeterminate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyS3Failure } from '../../../chaos/workload/s3-failure.ts';

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
