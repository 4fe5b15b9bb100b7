import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketNameProblem } from '../../../services/meta/validation/bucket-name.ts';

test('valid S3 bucket names', () => {
  for (const n of ['abc', 'my-bucket', 'my.bucket.name', 'a1b2c3', '123', 'a'.repeat(63), 'xn-ok', 'b-s3alias1']) {
    assert.equal(bucketNameProblem(n), null, n);
  }
});

test('invalid S3 bucket names', () => {
  for (const n of [
    'ab', 'a'.repeat(64), 'My-Bucket', 'bucket_name', '-bucket', 'bucket-', '.bucket', 'bucket.', 'my..bucket',
    '192.168.5.4', 'xn--bucket', 'bucket-s3alias', 'bucket--ol-s3', 'my.-bucket', 'my-.bucket', 'sthree-b', 'bücket', 'a b c', '',
  ]) {
    assert.notEqual(bucketNameProblem(n), null, n);
  }
});
