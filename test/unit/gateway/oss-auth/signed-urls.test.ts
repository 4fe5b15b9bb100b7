// Signed URLs made by ali-oss — V1 `signatureUrl` (OSSAccessKeyId/Expires/Signature) and V4
// `signatureUrlV4` (x-oss-*) — taken as a server receives them and run through
// authenticateOss: they verify until they expire, and any change to what they sign is refused
// with the OSS error code for it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OSS from 'ali-oss';
import type { RequestView } from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { isOssAuthenticated } from '../../../../services/gateway/oss-auth/index.ts';
import { BUCKET, CREDENTIAL, REGION, type Style, verify, viewOfUrl } from './oss-capture.ts';

/** URLs are not sent here, so the port is only decoration; signatureUrl refuses IP endpoints. */
function urlClient(style: Style, credential = CREDENTIAL): OSS {
  return new OSS({
    region: REGION, bucket: BUCKET, accessKeyId: credential.accessKeyId, accessKeySecret: credential.secretAccessKey,
    endpoint: 'http://localhost:9000', secure: false, ...(style === 'path' ? { sldEnable: true } : {}),
  } as OSS.Options);
}

async function refused(view: RequestView, code: string, nowMs = Date.now(), message?: RegExp): Promise<void> {
  await assert.rejects(verify(view, nowMs), (err) => {
    assert.ok(isStoreError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** The URL with one query parameter's raw value replaced, or the parameter appended. */
function withParam(url: string, name: string, value: string): string {
  const re = new RegExp(`([?&]${name.replace(/[-]/g, '\\-')}=)[^&]*`);
  return re.test(url) ? url.replace(re, `$1${value}`) : `${url}&${name}=${value}`;
}

const KEY = 'shared/ü file+1.txt';

for (const style of ['path', 'virtual'] as Style[]) {
  describe(`V1 signed URLs, ${style}-style`, () => {
    const oss = urlClient(style);

    test('a GET URL verifies until it expires, as the signer, with nothing signed for the body', async () => {
      const url = oss.signatureUrl(KEY, { expires: 600 });
      const view = viewOfUrl(url);
      assert.ok(isOssAuthenticated(view));
      assert.match(view.rawUrl, style === 'path' ? new RegExp(`^/${BUCKET}/`) : /^\/shared\//);
      const auth = await verify(view);
      assert.deepEqual(auth, { anonymous: false, accessKeyId: CREDENTIAL.accessKeyId, principal: CREDENTIAL.principal, region: '', payload: { kind: 'unsigned' } });
      const expires = Number(/[?&]Expires=(\d+)/.exec(url)![1]);
      await verify(view, expires * 1000);
      await refused(view, 'AccessDenied', expires * 1000 + 1, /Request has expired\./);
    });

    test('response overrides, image processing and traffic limit are signed sub-resources', async () => {
      const url = oss.signatureUrl(KEY, {
        expires: 600, process: 'image/resize,w_100',
        response: { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'attachment; filename="a b.txt"' },
        trafficLimit: 819200,
      } as never);
      await verify(viewOfUrl(url));
      await refused(viewOfUrl(withParam(url, 'response-content-type', 'text%2Fhtml')), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(withParam(url, 'x-oss-process', 'image%2Fresize%2Cw_200')), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(`${url}&acl`), 'SignatureDoesNotMatch');
      // V1 signs sub-resources only: an ordinary parameter is not covered (V4 signs them all).
      await verify(viewOfUrl(`${url}&prefix=anything`));
    });

    test('a PUT URL signs its method, Content-Type and x-oss-* headers; the request must match', async () => {
      const url = oss.signatureUrl(KEY, { expires: 600, method: 'PUT', 'Content-Type': 'text/plain', 'x-oss-meta-owner': 'me' } as never);
      const headers = { 'content-type': 'text/plain', 'x-oss-meta-owner': 'me' };
      await verify(viewOfUrl(url, 'PUT', headers));
      await refused(viewOfUrl(url, 'GET', headers), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'PUT', { 'x-oss-meta-owner': 'me' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'PUT', { ...headers, 'content-type': 'text/html' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'PUT', { ...headers, 'x-oss-meta-owner': 'someone else' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'PUT', { ...headers, 'x-oss-object-acl': 'public-read' }), 'SignatureDoesNotMatch');
    });

    test('tampering with the key, the expiry or the signature is refused', async () => {
      const url = oss.signatureUrl(KEY, { expires: 600 });
      await refused(viewOfUrl(url.replace('file%2B1', 'file%2B2')), 'SignatureDoesNotMatch');
      const expires = Number(/[?&]Expires=(\d+)/.exec(url)![1]);
      await refused(viewOfUrl(withParam(url, 'Expires', String(expires + 3600))), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(withParam(url, 'Signature', 'AAAA')), 'SignatureDoesNotMatch');
    });

    test('malformed or unknown: InvalidArgument, InvalidAccessKeyId', async () => {
      const url = oss.signatureUrl(KEY, { expires: 600 });
      await refused(viewOfUrl(withParam(url, 'Expires', 'tomorrow')), 'InvalidArgument');
      await refused(viewOfUrl(url.replace(/&Signature=[^&]*/, '')), 'InvalidArgument');
      await refused(viewOfUrl(`${url}&Expires=1`), 'InvalidArgument');
      await refused(viewOfUrl(url, 'GET', { authorization: 'OSS a:b' }), 'InvalidArgument', Date.now(), /Only one authentication/);
      const stranger = urlClient(style, { ...CREDENTIAL, accessKeyId: 'ZSNOSUCHKEY000000000' });
      await refused(viewOfUrl(stranger.signatureUrl(KEY, { expires: 600 })), 'InvalidAccessKeyId');
    });
  });

  describe(`V4 signed URLs, ${style}-style`, () => {
    const oss = urlClient(style);

    test('a GET URL verifies from x-oss-date until x-oss-expires runs out', async () => {
      const url = await oss.signatureUrlV4('GET', 600, undefined, KEY);
      const view = viewOfUrl(url);
      assert.ok(isOssAuthenticated(view));
      const auth = await verify(view);
      assert.deepEqual(auth, {
        anonymous: false, accessKeyId: CREDENTIAL.accessKeyId, principal: CREDENTIAL.principal, region: 'cn-hangzhou', payload: { kind: 'unsigned' },
      });
      const dated = /x-oss-date=(\d{8}T\d{6}Z)/.exec(url)![1]!;
      const signedAt = Date.UTC(+dated.slice(0, 4), +dated.slice(4, 6) - 1, +dated.slice(6, 8), +dated.slice(9, 11), +dated.slice(11, 13), +dated.slice(13, 15));
      await verify(view, signedAt + 600_000);
      await refused(view, 'AccessDenied', signedAt + 600_001, /Request has expired\./);
      await verify(view, signedAt - 14 * 60_000);
      await refused(view, 'AccessDenied', signedAt - 16 * 60_000, /not valid yet/);
    });

    test('every query parameter is signed, and the headers it names', async () => {
      const url = await oss.signatureUrlV4('GET', 600, {
        headers: { host: style === 'path' ? 'localhost:9000' : `${BUCKET}.localhost:9000`, range: 'bytes=0-9' },
        queries: { 'response-content-type': 'text/plain', 'x-oss-process': 'image/info', empty: null },
      } as never, KEY, ['host', 'range']);
      assert.match(url, /x-oss-additional-headers=host%3Brange/);
      const headers = { range: 'bytes=0-9' };
      await verify(viewOfUrl(url, 'GET', headers));
      await refused(viewOfUrl(url, 'GET', { range: 'bytes=0-99' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'GET', { ...headers, host: 'elsewhere:9000' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(`${url}&prefix=anything`, 'GET', headers), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(withParam(url, 'response-content-type', 'text%2Fhtml'), 'GET', headers), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'GET', { ...headers, 'x-oss-meta-added': '1' }), 'SignatureDoesNotMatch');
    });

    test('a PUT URL signs Content-Type and x-oss-* headers given to the signer', async () => {
      const headers = { 'content-type': 'text/plain', 'x-oss-meta-owner': 'me' };
      const url = await oss.signatureUrlV4('PUT', 600, { headers } as never, KEY);
      await verify(viewOfUrl(url, 'PUT', headers));
      await refused(viewOfUrl(url, 'PUT', { 'content-type': 'text/plain' }), 'SignatureDoesNotMatch');
      await refused(viewOfUrl(url, 'POST', headers), 'SignatureDoesNotMatch');
    });

    test('malformed signing parameters: InvalidArgument; unknown key: InvalidAccessKeyId', async () => {
      const url = await oss.signatureUrlV4('GET', 600, undefined, KEY);
      await refused(viewOfUrl(withParam(url, 'x-oss-signature-version', 'OSS2')), 'InvalidArgument', Date.now(), /Unsupported signature version/);
      await refused(viewOfUrl(url.replace(/&x-oss-signature=[^&]*/, '')), 'InvalidArgument');
      await refused(viewOfUrl(withParam(url, 'x-oss-expires', '604801')), 'InvalidArgument');
      await refused(viewOfUrl(withParam(url, 'x-oss-expires', '0')), 'InvalidArgument');
      await refused(viewOfUrl(withParam(url, 'x-oss-date', '2024-01-01')), 'InvalidArgument');
      await refused(viewOfUrl(withParam(url, 'x-oss-additional-headers', '')), 'InvalidArgument');
      await refused(viewOfUrl(withParam(url, 'x-oss-credential', 'ak%2F20240101%2Fcn-hangzhou%2Fs3%2Faliyun_v4_request')), 'InvalidArgument');
      await refused(viewOfUrl(`${url}&x-oss-expires=60`), 'InvalidArgument');
      const dated = /x-oss-date=(\d{8})T/.exec(url)![1]!;
      const otherDay = dated.endsWith('01') ? `${dated.slice(0, 6)}02` : `${dated.slice(0, 6)}01`;
      await refused(viewOfUrl(url.replace(`%2F${dated}%2F`, `%2F${otherDay}%2F`)), 'InvalidArgument', Date.now(), /credential date/);
      await refused(viewOfUrl(withParam(url, 'x-oss-expires', '700000')), 'InvalidArgument');
      const stranger = urlClient(style, { ...CREDENTIAL, accessKeyId: 'ZSNOSUCHKEY000000000' });
      await refused(viewOfUrl(await stranger.signatureUrlV4('GET', 600, undefined, KEY)), 'InvalidAccessKeyId');
      const wrongSecret = urlClient(style, { ...CREDENTIAL, secretAccessKey: 'not the secret' });
      await refused(viewOfUrl(await wrongSecret.signatureUrlV4('GET', 600, undefined, KEY)), 'SignatureDoesNotMatch');
    });
  });
}
