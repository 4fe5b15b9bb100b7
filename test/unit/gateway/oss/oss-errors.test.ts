// OSS error documents: codes where OSS differs from S3, details, EC, the bodiless HEAD form
// (x-oss-err), and what ali-oss makes of each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../../../services/gateway/errors/store-error.ts';
import { OSS_CODEC, renderOssError } from '../../../../services/gateway/oss/index.ts';
import { all, childNames, childText, xmlTree } from '../s3/xml-tree.ts';
import { type OssOracle, sdkError, startOssOracle } from './oss-sdk-oracle.ts';

const CTX = { requestId: 'REQ-1', hostId: 'oss.zonestore.local', resource: '/b/k' };

let o: OssOracle;
before(async () => { o = await startOssOracle(); });
after(async () => { await o.close(); });

/** Answers the oracle's next request with the error as the gateway would send it. */
function answerWith(err: StoreError, method: string): void {
  const r = renderOssError(err, { ...CTX, method });
  o.answer({ status: r.status, headers: OSS_CODEC.responseHeaders(r.headers, { requestId: CTX.requestId, hostId: CTX.hostId }), body: r.body ?? '' });
}

test('document: Code, Message, RequestId, HostId, details in order, EC last; no namespace, no Resource', () => {
  const err = new StoreError('NoSuchKey', 'The specified key does not exist.', { bucket: 'b', Key: 'k&1', versionId: 'internal', EC: '0026-00000001' });
  const r = renderOssError(err, { ...CTX, method: 'GET' });
  assert.equal(r.status, 404);
  assert.deepEqual(r.headers, { 'content-type': 'application/xml', 'x-oss-ec': '0026-00000001' });
  const doc = xmlTree(r.body!);
  assert.equal(doc.name, 'Error');
  assert.deepEqual(doc.attrs, {});
  assert.deepEqual(childNames(doc), ['Code', 'Message', 'RequestId', 'HostId', 'BucketName', 'Key', 'EC']);
  assert.deepEqual(['Code', 'RequestId', 'HostId', 'BucketName', 'Key', 'EC'].map((n) => childText(doc, n)),
    ['NoSuchKey', 'REQ-1', 'oss.zonestore.local', 'b', 'k&1', '0026-00000001']);
});

test('codes where OSS differs from S3', () => {
  const cases: Array<[StoreError, string, string, number]> = [
    [new StoreError('KeyTooLongError', 'Your key is too long'), 'PUT', 'InvalidObjectName', 400],
    [new StoreError('BucketAlreadyOwnedByYou', 'yours'), 'PUT', 'BucketAlreadyExists', 409],
    [new StoreError('BadDigest', 'mismatch'), 'PUT', 'InvalidDigest', 400],
    [new StoreError('IllegalLocationConstraintException', 'elsewhere'), 'PUT', 'InvalidLocationConstraint', 400],
    // x-oss-forbid-overwrite refused (it arrives as If-None-Match: *).
    [new StoreError('PreconditionFailed', 'x', { Condition: 'If-None-Match' }), 'PUT', 'FileAlreadyExists', 409],
    [new StoreError('PreconditionFailed', 'x', { Condition: 'If-None-Match' }), 'POST', 'FileAlreadyExists', 409],
    // A copy source's condition, or If-Match, stays PreconditionFailed.
    [new StoreError('PreconditionFailed', 'x', { Condition: 'x-amz-copy-source-If-None-Match' }), 'PUT', 'PreconditionFailed', 412],
    [new StoreError('PreconditionFailed', 'x', { Condition: 'If-Match' }), 'PUT', 'PreconditionFailed', 412],
    [new StoreError('PreconditionFailed', 'x', { Condition: 'If-None-Match' }), 'GET', 'PreconditionFailed', 412],
    // The same in both dialects.
    [new StoreError('NoSuchBucket', 'x'), 'GET', 'NoSuchBucket', 404],
    [new StoreError('InvalidObjectName', 'x'), 'PUT', 'InvalidObjectName', 400],
    [new StoreError('PositionNotEqualToLength', 'x'), 'POST', 'PositionNotEqualToLength', 409],
    [new StoreError('ObjectNotAppendable', 'x'), 'POST', 'ObjectNotAppendable', 409],
    [new StoreError('SymlinkTargetNotExist', 'x'), 'GET', 'SymlinkTargetNotExist', 404],
    [new StoreError('NotSymlink', 'x'), 'GET', 'NotSymlink', 400],
    [new StoreError('InvalidTag', 'x'), 'PUT', 'InvalidTag', 400],
    [new StoreError('EntityTooLarge', 'x'), 'PUT', 'EntityTooLarge', 400],
    [new StoreError('InvalidRange', 'x'), 'GET', 'InvalidRange', 416],
    [new StoreError('MalformedXML', 'x'), 'POST', 'MalformedXML', 400],
  ];
  for (const [err, method, code, status] of cases) {
    const r = renderOssError(err, { ...CTX, method });
    assert.equal(r.status, status, `${err.code} ${method}`);
    assert.equal(childText(xmlTree(r.body!), 'Code'), code, `${err.code} ${method}`);
  }
});

test('details naming request headers use the x-oss- names the client sent', () => {
  const r = renderOssError(new StoreError('InvalidArgument', 'bad', { ArgumentName: 'x-amz-copy-source', ArgumentValue: 'x-amz-stays' }), { ...CTX, method: 'PUT' });
  const doc = xmlTree(r.body!);
  assert.equal(childText(doc, 'ArgumentName'), 'x-oss-copy-source');
  assert.equal(childText(doc, 'ArgumentValue'), 'x-amz-stays');
});

test('HEAD: no body; the document base64 in x-oss-err; 304: nothing', () => {
  const r = renderOssError(new StoreError('AccessDenied', 'Access Denied', { EC: '0003-00000001' }), { ...CTX, method: 'HEAD' });
  assert.equal(r.status, 403);
  assert.equal(r.body, undefined);
  assert.equal(r.headers['x-oss-ec'], '0003-00000001');
  assert.equal(childText(xmlTree(Buffer.from(r.headers['x-oss-err']!, 'base64').toString('utf8')), 'Code'), 'AccessDenied');
  assert.deepEqual(renderOssError(new StoreError('NotModified', 'Not Modified', { ETag: '"e"' }), { ...CTX, method: 'GET' }), { status: 304, headers: {} });
});

test('a refused append names the object length in x-oss-next-append-position', () => {
  const err = new StoreError('PositionNotEqualToLength', 'Position is not equal to file length', { Key: 'log', NextAppendPosition: '10', CurrentSize: '10' });
  const r = renderOssError(err, { ...CTX, method: 'POST' });
  assert.equal(r.headers['x-oss-next-append-position'], '10');
  assert.equal(r.status, 409);
});

test('ali-oss reads code, message, request id, host id and EC from the document', async () => {
  answerWith(new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: 'missing', EC: '0026-00000001' }), 'GET');
  const e = await sdkError(o.client.get('missing'));
  assert.deepEqual([e.name, e.code, e.status, e.message, e.requestId, e.hostId, e.ecCode],
    ['NoSuchKeyError', 'NoSuchKey', 404, 'The specified key does not exist.', 'REQ-1', 'oss.zonestore.local', '0026-00000001']);

  answerWith(new StoreError('KeyTooLongError', 'Your key is too long'), 'PUT');
  assert.equal((await sdkError(o.client.put('k', Buffer.from('x')))).code, 'InvalidObjectName');

  answerWith(new StoreError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' }), 'PUT');
  const exists = await sdkError(o.client.put('k', Buffer.from('x'), { headers: { 'x-oss-forbid-overwrite': 'true' } }));
  assert.deepEqual([exists.code, exists.status], ['FileAlreadyExists', 409]);

  answerWith(new StoreError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'x-amz-copy-source-If-Match' }), 'PUT');
  const cond = await sdkError(o.client.copy('dst', 'src', { headers: { 'If-Match': '"nope"' } }));
  assert.equal(cond.code, 'PreconditionFailed');
  assert.match(cond.message, /\(condition: x-oss-copy-source-If-Match\)$/);

  answerWith(new StoreError('PositionNotEqualToLength', 'Position is not equal to file length', { NextAppendPosition: '5' }), 'POST');
  const append = await sdkError(o.client.append('log', Buffer.from('x'), { position: '3' }));
  assert.deepEqual([append.code, append.status], ['PositionNotEqualToLength', 409]);
});

test('ali-oss reads a HEAD error from x-oss-err', async () => {
  answerWith(new StoreError('AccessDenied', 'Access Denied', { EC: '0003-00000001' }), 'HEAD');
  const denied = await sdkError(o.client.head('k'));
  assert.deepEqual([denied.code, denied.status, denied.message, denied.requestId], ['AccessDenied', 403, 'Access Denied', 'REQ-1']);
  answerWith(new StoreError('NoSuchKey', 'The specified key does not exist.'), 'HEAD');
  const missing = await sdkError(o.client.getObjectMeta('k'));
  assert.deepEqual([missing.code, missing.status, missing.requestId], ['NoSuchKey', 404, 'REQ-1']);
});

test('the DeleteResult names failed keys with OSS codes', () => {
  const xml = OSS_CODEC.xml.renderDeleteResult([{ key: 'a' }, { key: 'b', error: { code: 'KeyTooLongError', message: 'long' } }], { quiet: true });
  const doc = xmlTree(xml);
  assert.deepEqual(childNames(doc), ['Error']);
  assert.deepEqual(all(doc, 'Error').map((e) => [childText(e, 'Key'), childText(e, 'Code')]), [['b', 'InvalidObjectName']]);
});
