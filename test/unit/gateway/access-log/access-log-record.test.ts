import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AccessLogRecord, formatOssLine, formatS3Line, logObjectKey, s3OperationName } from '../../../../services/gateway/access-log/access-log-record.ts';
import { parseLoggingXml, renderLoggingXml } from '../../../../services/gateway/s3/logging-xml.ts';
import { loggingDocument, loggingOf } from '../../../../services/gateway/access-log/bucket-logging-config.ts';

const record: AccessLogRecord = {
  id: 'gw1-1', timeMs: Date.UTC(2026, 1, 3, 4, 5, 6), remoteIp: '127.0.0.1', method: 'GET', requestUri: '/b/k%201?x=1', httpVersion: '1.1',
  status: 200, bytesSent: 5, requestTimeMs: 12, serverTimeMs: 10, referer: '', userAgent: 'aws-sdk "js"', host: '127.0.0.1:9000',
  requestId: 'RID', requester: 'acct-1', accessKeyId: 'AK', operation: 'GetObject', bucket: 'b', key: 'k 1', objectSize: 5,
  errorCode: '', requestLength: 300, bucketOwner: 'acct-1', signatureVersion: 'sigv4', hostId: 'zonestore-zone-1', kind: 'access',
};

test('OSS line: the fields in OSS order, - for unknown', () => {
  const line = formatOssLine(record);
  assert.equal(line, '127.0.0.1 - - [03/Feb/2026:04:05:06 +0000] "GET /b/k%201?x=1 HTTP/1.1" 200 5 12 "-" "aws-sdk %22js%22" "127.0.0.1:9000" "RID" "true" "acct-1" "GetObject" "b" "k%201" 5 10 "-" 300 "acct-1" - "-" "-" "-" "-" "AK"');
});

test('OSS line: anonymous request with an error and no object size', () => {
  const line = formatOssLine({ ...record, requester: '', accessKeyId: '', status: 403, errorCode: 'AccessDenied', objectSize: undefined });
  const fields = line.match(/"[^"]*"|\[[^\]]*\]|\S+/g)!;
  assert.equal(fields[5], '403');
  assert.equal(fields[13], '"-"');
  assert.equal(fields[17], '-');
  assert.equal(fields[19], '"AccessDenied"');
  assert.equal(fields.length, 28);
});

test('S3 line: the server-access-log fields in S3 order', () => {
  const line = formatS3Line(record);
  assert.equal(line, 'acct-1 b [03/Feb/2026:04:05:06 +0000] 127.0.0.1 acct-1 RID REST.GET.OBJECT k%201 "GET /b/k%201?x=1 HTTP/1.1" 200 - 5 5 12 10 "-" "aws-sdk %22js%22" - zonestore-zone-1 SigV4 - AuthHeader 127.0.0.1:9000 - - -');
});

test('S3 operation names', () => {
  assert.equal(s3OperationName('PUT', 'PutObject', 'k'), 'REST.PUT.OBJECT');
  assert.equal(s3OperationName('GET', 'ListObjectsV2', ''), 'REST.GET.BUCKET');
  assert.equal(s3OperationName('PUT', 'PutBucketLogging', ''), 'REST.PUT.LOGGING');
  assert.equal(s3OperationName('GET', 'GetObjectAcl', 'k'), 'REST.GET.ACL');
});

test('log object key: <prefix><bucket>YYYY-mm-DD-HH-MM-SS-<unique>', () => {
  assert.equal(logObjectKey('logs/', 'src', Date.UTC(2026, 0, 2, 3, 4, 5), 'abc'), 'logs/src2026-01-02-03-04-05-abc');
});

test('logging XML: S3 and OSS round trip, empty status is off', () => {
  const s3 = '<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>';
  assert.deepEqual(parseLoggingXml(s3, 's3'), { targetBucket: 't', targetPrefix: 'p/' });
  assert.equal(parseLoggingXml('<BucketLoggingStatus/>', 's3'), undefined);
  assert.equal(parseLoggingXml('<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></BucketLoggingStatus>', 's3'), undefined);
  assert.throws(() => parseLoggingXml('<Nope/>', 's3'), { code: 'MalformedXML' });
  assert.throws(() => parseLoggingXml('<BucketLoggingStatus><LoggingEnabled><TargetPrefix>x</TargetPrefix></LoggingEnabled></BucketLoggingStatus>', 'oss'), { code: 'InvalidTargetBucketForLogging' });
  const out = renderLoggingXml({ targetBucket: 't', targetPrefix: 'p/', format: 'oss' }, 'oss');
  assert.match(out, /<BucketLoggingStatus><LoggingEnabled><TargetBucket>t<\/TargetBucket><TargetPrefix>p\/<\/TargetPrefix><\/LoggingEnabled><\/BucketLoggingStatus>/);
  assert.match(renderLoggingXml(undefined, 's3'), /<BucketLoggingStatus xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/BucketLoggingStatus>|<BucketLoggingStatus xmlns="[^"]+"\/>/);
});

test('logging config document round trip', () => {
  const doc = loggingDocument({ targetBucket: 't', targetPrefix: 'x', format: 's3' });
  assert.deepEqual(loggingOf({ logging: doc }), { targetBucket: 't', targetPrefix: 'x', format: 's3' });
  assert.equal(loggingOf({ logging: new Uint8Array() }), undefined);
  assert.equal(loggingOf({}), undefined);
});
