// authenticateOss's refusals, each with its exact OSS code, on requests the real ali-oss SDK
// signed (captured by a local server) or signed here with ali-oss's own signing helpers
// (forms the SDK's client never sends: Date without x-oss-date, a hex payload hash, a signed
// Host). Tampering with anything a signature covers is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { RequestView } from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { authenticateOss, isOssAuthenticated } from '../../../../services/gateway/oss-auth/index.ts';
import {
  BUCKET, type Captured, type CaptureServer, CREDENTIAL, lookup, ossClient, readOssBody, startCaptureServer, targetOf, verify,
} from './oss-capture.ts';

/** ali-oss's signing helpers (CommonJS, untyped): the oracle for hand-made requests. */
interface AliSignUtils {
  buildCanonicalString(method: string, resource: string, request: { headers: object; parameters?: object }, expires?: string): string;
  computeSignature(secret: string, canonical: string): string;
  authorizationV4(
    ak: string, secret: string, region: string, method: string, request: { headers: object; queries: object },
    bucket?: string, object?: string, additionalHeaders?: string[],
  ): string;
}
const signUtils = createRequire(import.meta.url)('ali-oss/lib/common/signUtils.js') as AliSignUtils;

let server: CaptureServer;
let v1Put: Captured;
let v4Put: Captured;
let v1Part: Captured;
let v4List: Captured;

before(async () => {
  server = await startCaptureServer();
  const meta = { headers: { 'x-oss-meta-author': 'me', 'Content-Type': 'text/plain' } };
  const capture = async (call: () => Promise<unknown>): Promise<Captured> => {
    await call().catch(() => {});
    return server.take()[0]!;
  };
  v1Put = await capture(() => ossClient(server.port, 'path', 'v1').put('a/b c.txt', Buffer.from('hello'), meta));
  v4Put = await capture(() => ossClient(server.port, 'virtual', 'v4').put('a/b c.txt', Buffer.from('hello'), meta));
  v1Part = await capture(() => ossClient(server.port, 'virtual', 'v1').uploadPart('k', 'up-1', 3, Buffer.from('part'), 0, 4));
  v4List = await capture(() => ossClient(server.port, 'path', 'v4').list({ prefix: 'a/', 'max-keys': 10 }, {}));
});
after(() => server.close());

async function refused(p: Promise<unknown>, code: string, message?: RegExp): Promise<Record<string, string>> {
  let details: Record<string, string> = {};
  await assert.rejects(p, (err) => {
    assert.ok(isStoreError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    details = err.details;
    return true;
  });
  return details;
}

function edited(c: RequestView, change: { method?: string; rawUrl?: string; headers?: Record<string, string | undefined> }): RequestView {
  return { method: change.method ?? c.method, rawUrl: change.rawUrl ?? c.rawUrl, headers: { ...c.headers, ...change.headers } };
}

describe('captured SDK requests verify; what they sign cannot change', () => {
  test('they verify as sent', async () => {
    for (const c of [v1Put, v4Put, v1Part, v4List]) assert.equal((await verify(c)).anonymous, false);
  });

  test('V1: method, headers, Content-Type, Content-MD5, key, bucket and sub-resources are signed', async () => {
    for (const change of [
      { method: 'POST' },
      { headers: { 'x-oss-meta-author': 'someone else' } },
      { headers: { 'x-oss-meta-added': 'x' } },
      { headers: { 'content-type': 'text/html' } },
      { headers: { 'content-md5': createHash('md5').update('other').digest('base64') } },
      { rawUrl: v1Put.rawUrl.replace('b%20c', 'b%20d') },
      { rawUrl: v1Put.rawUrl.replace(BUCKET, 'other-bucket') },
      { rawUrl: `${v1Put.rawUrl}?acl` },
    ]) {
      await refused(verify(edited(v1Put, change)), 'SignatureDoesNotMatch');
    }
    await refused(verify(edited(v1Part, { rawUrl: v1Part.rawUrl.replace('partNumber=3', 'partNumber=4') })), 'SignatureDoesNotMatch');
    await refused(verify(edited(v1Part, { rawUrl: v1Part.rawUrl.replace('uploadId=up-1', 'uploadId=up-2') })), 'SignatureDoesNotMatch');
    // The date is signed too (still within the allowed skew here).
    const date = new Date(Date.parse(String(v1Put.headers['x-oss-date'])) + 1000).toUTCString();
    await refused(verify(edited(v1Put, { headers: { 'x-oss-date': date } })), 'SignatureDoesNotMatch');
  });

  test('V1: parameters that are not sub-resources are not signed', async () => {
    await verify(edited(v1Put, { rawUrl: `${v1Put.rawUrl}?prefix=x&max-keys=3` }));
  });

  test('V4: method, URI, every query parameter, default headers and the payload hash are signed', async () => {
    for (const change of [
      { method: 'POST' },
      { headers: { 'x-oss-meta-author': 'someone else' } },
      { headers: { 'x-oss-meta-added': 'x' } },
      { headers: { 'content-type': 'text/html' } },
      { headers: { 'content-md5': createHash('md5').update('x').digest('base64') } },
      { headers: { 'x-oss-content-sha256': createHash('sha256').update('hello').digest('hex') } },
      { rawUrl: v4Put.rawUrl.replace('b%20c', 'b%20d') },
      { rawUrl: `${v4Put.rawUrl}?prefix=x` },
    ]) {
      await refused(verify(edited(v4Put, change)), 'SignatureDoesNotMatch');
    }
    await refused(verify(edited(v4List, { rawUrl: v4List.rawUrl.replace('max-keys=10', 'max-keys=11') })), 'SignatureDoesNotMatch');
    // The virtual-hosted bucket is signed through the canonical URI.
    await refused(verify(edited(v4Put, { headers: { host: 'other-bucket.oss-cn-hangzhou.aliyuncs.com' } })), 'SignatureDoesNotMatch');
  });

  test('SignatureDoesNotMatch reports the string to sign the SDK used', async () => {
    const wrong = lookupOfSecret('not the secret');
    const details = await refused(authenticateOss(v1Put, wrong, Date.now(), targetOf(v1Put)), 'SignatureDoesNotMatch');
    const sdk = signUtils.buildCanonicalString('PUT', `/${BUCKET}/a/b c.txt`, { headers: v1Put.headers });
    assert.equal(details.StringToSign, sdk);
    assert.equal(details.StringToSignBytes, Buffer.from(sdk).toString('hex').replace(/(..)(?!$)/g, '$1 '));
    assert.equal(details.OSSAccessKeyId, CREDENTIAL.accessKeyId);
    const v4 = await refused(authenticateOss(v4Put, wrong, Date.now(), targetOf(v4Put)), 'SignatureDoesNotMatch');
    assert.match(v4.StringToSign!, /^OSS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/);
    assert.match(v4.CanonicalRequest!, /^PUT\n\/capture-bucket\/a\/b%20c\.txt\n\ncontent-md5:/);
  });
});

function lookupOfSecret(secret: string) {
  return () => ({ ...CREDENTIAL, secretAccessKey: secret });
}

describe('refusals, with OSS codes', () => {
  test('an unknown access key: InvalidAccessKeyId, naming it', async () => {
    const none = () => undefined;
    for (const c of [v1Put, v4Put]) {
      const details = await refused(authenticateOss(c, none, Date.now(), targetOf(c)), 'InvalidAccessKeyId');
      assert.equal(details.OSSAccessKeyId, CREDENTIAL.accessKeyId);
    }
  });

  test('a clock more than 15 minutes off: RequestTimeTooSkewed (V1 and V4)', async () => {
    for (const c of [v1Put, v4Put]) {
      const sent = Date.now();
      await verify(c, sent + 14 * 60_000);
      await verify(c, sent - 14 * 60_000);
      const details = await refused(verify(c, sent + 16 * 60_000), 'RequestTimeTooSkewed');
      assert.equal(details.RequestTime, c.headers['x-oss-date']);
      await refused(verify(c, sent - 16 * 60_000), 'RequestTimeTooSkewed');
    }
  });

  test('no usable date: AccessDenied', async () => {
    await refused(verify(edited(v1Put, { headers: { 'x-oss-date': undefined } })), 'AccessDenied', /valid Date/);
    await refused(verify(edited(v1Put, { headers: { 'x-oss-date': 'yesterday' } })), 'AccessDenied');
    await refused(verify(edited(v4Put, { headers: { 'x-oss-date': undefined } })), 'AccessDenied', /x-oss-date/);
    await refused(verify(edited(v4Put, { headers: { 'x-oss-date': new Date().toUTCString() } })), 'AccessDenied');
  });

  test('malformed Authorization headers: InvalidArgument', async () => {
    const scope = `${String(v4Put.headers['x-oss-date']).slice(0, 8)}/cn-hangzhou`;
    for (const authorization of [
      'OSS', 'OSS AK', 'OSS :sig', 'OSS  AK:sig', 'OSS AK:', 'OSS AK:sig extra', 'OSSxxx AK:sig', 'AWS AK:sig', 'Bearer token',
      'OSS2 AccessKeyId:AK,Signature:sig',
      'OSS4-HMAC-SHA256 Signature=abc',
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/abc,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/s3/aliyun_v4_request,Signature=abc`,
      'OSS4-HMAC-SHA256 Credential=AK/2024-01-01/cn-hangzhou/oss/aliyun_v4_request,Signature=abc',
      `OSS4-HMAC-SHA256 Credential=AK/${scope},Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,AdditionalHeaders=,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,AdditionalHeaders=host;,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,AdditionalHeaders=range;host,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,AdditionalHeaders=Host,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,Unknown=x,Signature=abc`,
      `OSS4-HMAC-SHA256 Credential=AK/${scope}/oss/aliyun_v4_request,Signature=abc,Signature=abc`,
      `OSS ${'x'.repeat(5000)}:sig`,
    ]) {
      await refused(verify(edited(v4Put, { headers: { authorization } })), 'InvalidArgument');
    }
  });

  test('V4: the credential day must be x-oss-date\'s; x-oss-content-sha256 must be there and well formed', async () => {
    const auth = String(v4Put.headers.authorization).replace(/Credential=([^/]+)\/\d{8}\//, 'Credential=$1/20000101/');
    await refused(verify(edited(v4Put, { headers: { authorization: auth } })), 'InvalidArgument', /credential date/);
    await refused(verify(edited(v4Put, { headers: { 'x-oss-content-sha256': undefined } })), 'InvalidArgument', /x-oss-content-sha256/);
    await refused(verify(edited(v4Put, { headers: { 'x-oss-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } })), 'InvalidArgument');
  });

  test('a header and a signed URL at once: InvalidArgument', async () => {
    await refused(verify(edited(v1Put, { rawUrl: `${v1Put.rawUrl}?OSSAccessKeyId=x&Expires=1&Signature=y` })), 'InvalidArgument', /Only one/);
    await refused(verify(edited(v4Put, { rawUrl: `${v4Put.rawUrl}?x-oss-credential=x` })), 'InvalidArgument', /Only one/);
  });
});

describe('forms signed with ali-oss\'s helpers', () => {
  const now = Date.now();
  const httpDate = new Date(now).toUTCString();
  const isoDate = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

  test('V1 with a Date header and no x-oss-date (the Go SDK\'s form), and a security token sub-resource', async () => {
    const headers = { date: httpDate, 'content-type': 'application/octet-stream', 'x-oss-meta-a': ' spaced ' };
    // The last argument fills the Date line (ali-oss uses it for Expires).
    const canonical = signUtils.buildCanonicalString('GET', '/b/k ü', { headers, parameters: { acl: '', 'security-token': 'tok en' } }, httpDate);
    const authorization = `OSS ${CREDENTIAL.accessKeyId}:${signUtils.computeSignature(CREDENTIAL.secretAccessKey, canonical)}`;
    const view = { method: 'GET', rawUrl: '/k%20%C3%BC?acl=&security-token=tok%20en&prefix=p', headers: { ...headers, host: 'b.example.com', authorization } };
    assert.equal((await authenticateOss(view, lookup, now, { bucket: 'b', key: 'k ü' })).anonymous, false);
  });

  test('V4 with a hex x-oss-content-sha256: the payload is sha256 and the body is checked', async () => {
    const body = Buffer.from('hashed body');
    const sha = createHash('sha256').update(body).digest('hex');
    const headers = { 'x-oss-date': isoDate, 'x-oss-content-sha256': sha, 'content-type': 'text/plain', 'content-length': String(body.length) };
    const authorization = signUtils.authorizationV4(CREDENTIAL.accessKeyId, CREDENTIAL.secretAccessKey, 'cn-hangzhou', 'PUT', { headers, queries: {} }, 'b', 'dir/h.txt');
    const view = { method: 'PUT', rawUrl: '/b/dir/h.txt', headers: { ...headers, host: 'localhost', authorization }, body };
    const auth = await authenticateOss(view, lookup, now, { bucket: 'b', key: 'dir/h.txt' });
    assert.deepEqual(auth.anonymous ? undefined : auth.payload, { kind: 'sha256', hex: sha });
    assert.deepEqual(await readOssBody(view, auth), body);
    await assert.rejects(readOssBody({ ...view, body: Buffer.from('hashed bodx') }, auth), (e) => isStoreError(e, 'XAmzContentSHA256Mismatch'));
  });

  test('V4 signing Host and Range through AdditionalHeaders; sub-resources signed bare (the Go SDK\'s form)', async () => {
    const headers = { 'x-oss-date': isoDate, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', host: 'b.oss-cn-hangzhou.aliyuncs.com', range: 'bytes=1-2' };
    const authorization = signUtils.authorizationV4(
      CREDENTIAL.accessKeyId, CREDENTIAL.secretAccessKey, 'cn-hangzhou', 'GET', { headers, queries: { tagging: null, versionId: 'v 1' } }, 'b', 'k', ['range', 'host'],
    );
    assert.match(authorization, /AdditionalHeaders=host;range,/);
    const view = { method: 'GET', rawUrl: '/k?tagging&versionId=v%201', headers: { ...headers, authorization } };
    const target = { bucket: 'b', key: 'k' };
    await authenticateOss(view, lookup, now, target);
    await authenticateOss({ ...view, rawUrl: '/k?tagging=&versionId=v%201' }, lookup, now, target);
    await refused(authenticateOss(edited(view, { headers: { host: 'c.oss-cn-hangzhou.aliyuncs.com' } }), lookup, now, target), 'SignatureDoesNotMatch');
    await refused(authenticateOss(edited(view, { headers: { range: 'bytes=1-3' } }), lookup, now, target), 'SignatureDoesNotMatch');
  });
});

describe('isOssAuthenticated and anonymous requests', () => {
  const view = (rawUrl: string, authorization?: string): RequestView => ({
    method: 'GET', rawUrl, headers: authorization === undefined ? {} : { authorization },
  });

  test('OSS schemes and signed-URL parameters pick the OSS dialect; others do not', () => {
    for (const v of [
      view('/k', 'OSS ak:sig'), view('/k', 'OSS4-HMAC-SHA256 Credential=x'), view('/k', 'OSS2 AccessKeyId:x'),
      view('/k?OSSAccessKeyId=a&Expires=1&Signature=s'), view('/k?x-oss-signature-version=OSS4-HMAC-SHA256'),
      view('/k?x-oss-credential=a'), view('/k?x-oss-signature=a'),
    ]) assert.equal(isOssAuthenticated(v), true, JSON.stringify(v));
    for (const v of [
      view('/k'), view('/k', 'AWS4-HMAC-SHA256 Credential=x'), view('/k', 'AWS ak:sig'), view('/k', 'OSSx ak:sig'),
      view('/k?X-Amz-Credential=a'), view('/k?x-oss-process=image/info'), view('/k?ossaccesskeyid=a'),
    ]) assert.equal(isOssAuthenticated(v), false, JSON.stringify(v));
  });

  test('no Authorization and no signing parameters: anonymous', async () => {
    assert.deepEqual(await authenticateOss(view('/k?x-oss-process=image/info&acl'), lookup, Date.now(), { bucket: 'b', key: 'k' }), { anonymous: true });
  });
});
