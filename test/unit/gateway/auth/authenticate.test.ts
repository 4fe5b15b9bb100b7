// authenticate(): requests signed by the AWS SDK's signer verify, and every rule that refuses a
// request refuses it with S3's code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authenticate, type Authentication } from '../../../../services/gateway/auth/index.ts';
import { isStoreError, type StoreErrorCode } from '../../../../services/gateway/errors/store-error.ts';
import { DOC_CREDENTIAL, DOC_NOW, docLookup, lookupOf, sdkSigned, type SdkRequest, type SignOptions } from './auth-fixtures.ts';

type View = Awaited<ReturnType<typeof sdkSigned>>;
const MINUTE = 60_000;

async function accepts(view: View, now = DOC_NOW): Promise<Extract<Authentication, { anonymous: false }>> {
  const auth = await authenticate(view, docLookup, now);
  assert.equal(auth.anonymous, false);
  return auth as Extract<Authentication, { anonymous: false }>;
}

async function refuses(view: View, code: StoreErrorCode, now = DOC_NOW, message?: RegExp): Promise<void> {
  await assert.rejects(authenticate(view, docLookup, now), (err) => {
    assert.ok(isStoreError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

const withHeader = (v: View, name: string, value: string | undefined): View => {
  const headers = { ...v.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...v, headers };
};

const sign = (r: Partial<SdkRequest> = {}, o: SignOptions = {}) => sdkSigned({ path: '/photos/cat.jpg', ...r }, o);

describe('header authentication (signed by @smithy/signature-v4)', () => {
  test('a plain GET verifies and says who, from where, and how the payload is signed', async () => {
    const auth = await accepts(await sign());
    assert.deepEqual(auth, { anonymous: false, accessKeyId: DOC_CREDENTIAL.accessKeyId, principal: 'doc-user', region: 'us-east-1', payload: { kind: 'unsigned' } });
  });

  test('any region is accepted and reported', async () => {
    assert.equal((await accepts(await sign({}, { region: 'eu-west-3' }))).region, 'eu-west-3');
  });

  test('keys with spaces, unicode, +, = and reserved characters; several query parameters', async () => {
    const keys = ['a b/c d.txt', 'ünï/cødé/日本語.txt', 'a+b=c&d', "it's (1)!*.txt", '~tilde~/%percent', 'trailing/'];
    for (const key of keys) {
      const path = `/${key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`;
      const view = await sign({ path, query: { 'response-content-type': 'text/plain; charset=utf-8', versionId: 'v+1=2', 'x-id': 'GetObject', empty: '' } });
      await accepts(view);
    }
  });

  test('a list request with prefix, delimiter and continuation token', async () => {
    await accepts(await sign({ path: '/', query: { 'list-type': '2', prefix: 'dir a/ü+', delimiter: '/', 'max-keys': '1000', 'continuation-token': 'abc/+=' } }));
  });

  test('a valueless subresource (?uploads) and repeated parameters', async () => {
    const view = await sign({ method: 'POST', query: { uploads: '' } });
    await accepts(view);
    await accepts({ ...view, rawUrl: view.rawUrl.replace('uploads=', 'uploads') });
    await accepts(await sign({ query: { tag: ['b', 'a'], uploads: '' } }));
  });

  test('a different but equivalent spelling of the path still verifies (~ encoded, $ not)', async () => {
    const view = await sign({ path: '/a~b/c%24d' });
    await accepts({ ...view, rawUrl: '/a%7Eb/c$d' });
  });

  test('signature hex must be lower case, as SigV4 writes it', async () => {
    const view = await sign();
    await refuses(withHeader(view, 'authorization', view.headers.authorization!.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${s.toUpperCase()}`)), 'SignatureDoesNotMatch');
  });

  test('no credentials at all is anonymous', async () => {
    assert.deepEqual(await authenticate({ method: 'GET', rawUrl: '/b/k?versionId=1', headers: { host: 'h' } }, docLookup, DOC_NOW), { anonymous: true });
  });

  test('the clock: 14 minutes of skew is fine, 16 is RequestTimeTooSkewed (either way)', async () => {
    const view = await sign();
    await accepts(view, DOC_NOW + 14 * MINUTE);
    await accepts(view, DOC_NOW - 14 * MINUTE);
    await refuses(view, 'RequestTimeTooSkewed', DOC_NOW + 16 * MINUTE);
    await refuses(view, 'RequestTimeTooSkewed', DOC_NOW - 16 * MINUTE);
  });

  test('a Date header stands in for x-amz-date', async () => {
    const view = await sign({ headers: { date: 'Fri, 24 May 2013 00:00:00 GMT' } });
    assert.ok(view.headers['x-amz-date']);
    const auth = await accepts(view);
    assert.equal(auth.accessKeyId, DOC_CREDENTIAL.accessKeyId);
  });

  test('an unknown access key is InvalidAccessKeyId', async () => {
    await assert.rejects(authenticate(await sign(), lookupOf(), DOC_NOW), (err) => isStoreError(err, 'InvalidAccessKeyId'));
  });

  test('a wrong secret is SignatureDoesNotMatch, with the string to sign and canonical request', async () => {
    const view = await sign({}, { credential: { ...DOC_CREDENTIAL, secretAccessKey: 'not-the-secret' } });
    await assert.rejects(authenticate(view, docLookup, DOC_NOW), (err) => {
      assert.ok(isStoreError(err, 'SignatureDoesNotMatch'));
      assert.match(err.details.StringToSign!, /^AWS4-HMAC-SHA256\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
      assert.match(err.details.CanonicalRequest!, /^GET\n\/photos\/cat.jpg\n\nhost:bucket.s3.example.test\n/);
      assert.equal(err.status, 403);
      return true;
    });
  });

  test('tampering with the path, the query, a signed header or the method is SignatureDoesNotMatch', async () => {
    const view = await sign({ query: { versionId: '1' }, headers: { range: 'bytes=0-9' } });
    await refuses({ ...view, rawUrl: view.rawUrl.replace('cat', 'dog') }, 'SignatureDoesNotMatch');
    await refuses({ ...view, rawUrl: view.rawUrl.replace('versionId=1', 'versionId=2') }, 'SignatureDoesNotMatch');
    await refuses({ ...view, rawUrl: `${view.rawUrl}&extra=1` }, 'SignatureDoesNotMatch');
    await refuses(withHeader(view, 'range', 'bytes=0-99'), 'SignatureDoesNotMatch');
    await refuses({ ...view, method: 'DELETE' }, 'SignatureDoesNotMatch');
  });

  test('an unsigned x-amz-* header is AccessDenied; unsigned ordinary headers are fine', async () => {
    const view = await sign();
    await refuses(withHeader(view, 'x-amz-copy-source', '/other/key'), 'AccessDenied', DOC_NOW, /not signed/);
    await accepts(withHeader(view, 'user-agent', 'curl'));
  });

  test('x-amz-content-sha256: missing is InvalidRequest, unknown is InvalidArgument', async () => {
    const view = await sign();
    await refuses(withHeader(view, 'x-amz-content-sha256', undefined), 'InvalidRequest', DOC_NOW, /^Missing required header for this request: x-amz-content-sha256$/);
    const bad = await sign({ headers: { 'x-amz-content-sha256': 'SOMETHING' } });
    await refuses(bad, 'InvalidArgument');
    const sigv4a = await sign({ headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' } });
    await refuses(sigv4a, 'InvalidArgument');
  });

  test('payload modes come back from x-amz-content-sha256', async () => {
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    assert.deepEqual((await accepts(await sign({ headers: { 'x-amz-content-sha256': hash.toUpperCase() } }))).payload, { kind: 'sha256', hex: hash });
    const trailer = await accepts(await sign({ method: 'PUT', headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } }));
    assert.deepEqual(trailer.payload, { kind: 'streaming-unsigned-trailer' });
    assert.equal(trailer.chunkSigning, undefined);
    const signedTrailer = await accepts(await sign({ method: 'PUT', headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' } }));
    assert.deepEqual(signedTrailer.payload, { kind: 'streaming-signed', trailer: true });
    assert.match(signedTrailer.chunkSigning!.seedSignature, /^[0-9a-f]{64}$/);
  });

  test('no usable date is AccessDenied', async () => {
    const view = await sign();
    await refuses(withHeader(view, 'x-amz-date', undefined), 'AccessDenied');
    await refuses(withHeader(view, 'x-amz-date', '2013-05-24T00:00:00Z'), 'AccessDenied');
    await refuses(withHeader(view, 'x-amz-date', '20130532T000000Z'), 'AccessDenied');
  });

  test('malformed Authorization headers are AuthorizationHeaderMalformed', async () => {
    const view = await sign();
    const auth = view.headers.authorization!;
    const variants: Array<[string, (a: string) => string]> = [
      ['no Signature', (a) => a.replace(/, ?Signature=[0-9a-f]+/, '')],
      ['no SignedHeaders', (a) => a.replace(/SignedHeaders=[^,]+, ?/, '')],
      ['Credential with four parts', (a) => a.replace('/us-east-1/', '/')],
      ['service other than s3', (a) => a.replace('/s3/', '/ec2/')],
      ['wrong terminator', (a) => a.replace('aws4_request', 'aws5_request')],
      ['scope date other than x-amz-date\'s', (a) => a.replace('/20130524/', '/20130523/')],
      ['host not signed', (a) => a.replace('SignedHeaders=host;', 'SignedHeaders=')],
      ['a field without "="', (a) => `${a}, Bogus`],
      ['a field twice', (a) => `${a}, Signature=00`],
    ];
    for (const [name, change] of variants) {
      await assert.rejects(authenticate(withHeader(view, 'authorization', change(auth)), docLookup, DOC_NOW),
        (err) => isStoreError(err, 'AuthorizationHeaderMalformed'), name);
    }
  });

  test('other authorization schemes are InvalidArgument', async () => {
    const view = await sign();
    await refuses(withHeader(view, 'authorization', 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg='), 'InvalidArgument');
    await refuses(withHeader(view, 'authorization', view.headers.authorization!.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')), 'InvalidArgument');
    await refuses({ method: 'GET', rawUrl: '/b/k?AWSAccessKeyId=AK&Expires=1&Signature=x', headers: { host: 'h' } }, 'InvalidArgument');
  });

  test('header and query authentication together is InvalidArgument', async () => {
    const header = await sign();
    const query = await sign({}, { presignSeconds: 60 });
    await refuses({ ...query, headers: { ...query.headers, authorization: header.headers.authorization! } }, 'InvalidArgument');
  });
});

describe('presigned URLs (signed by @smithy/signature-v4)', () => {
  test('a presigned GET verifies with an unsigned payload', async () => {
    const view = await sign({ query: { 'response-content-disposition': 'attachment; filename="a b.txt"' } }, { presignSeconds: 3600 });
    assert.match(view.rawUrl, /X-Amz-Signature=[0-9a-f]{64}/);
    const auth = await accepts(view, DOC_NOW + 59 * MINUTE);
    assert.deepEqual(auth.payload, { kind: 'unsigned' });
  });

  test('expired is AccessDenied "Request has expired"', async () => {
    const view = await sign({}, { presignSeconds: 3600 });
    await accepts(view, DOC_NOW + 3600_000);
    await refuses(view, 'AccessDenied', DOC_NOW + 3600_001, /^Request has expired$/);
  });

  test('dated more than 15 minutes ahead is AccessDenied "not valid yet"', async () => {
    const view = await sign({}, { at: DOC_NOW + 16 * MINUTE, presignSeconds: 3600 });
    await refuses(view, 'AccessDenied', DOC_NOW, /not valid yet/);
    await accepts(await sign({}, { at: DOC_NOW + 14 * MINUTE, presignSeconds: 3600 }));
  });

  test('X-Amz-Expires must be 1..604800 whole seconds', async () => {
    const view = await sign({}, { presignSeconds: 60 });
    for (const bad of ['0', '604801', '-1', '1.5', 'abc', '']) {
      await refuses({ ...view, rawUrl: view.rawUrl.replace('X-Amz-Expires=60', `X-Amz-Expires=${bad}`) }, 'AuthorizationQueryParametersError');
    }
    await accepts(await sign({}, { presignSeconds: 604800 }));
  });

  test('malformed parameters are AuthorizationQueryParametersError', async () => {
    const view = await sign({}, { presignSeconds: 60 });
    const variants: Array<[string, (u: string) => string]> = [
      ['no signature', (u) => u.replace(/&?X-Amz-Signature=[0-9a-f]+/, '')],
      ['no credential', (u) => u.replace(/X-Amz-Credential=[^&]+&?/, '')],
      ['other algorithm', (u) => u.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1')],
      ['bad date', (u) => u.replace('X-Amz-Date=20130524T000000Z', 'X-Amz-Date=20130524')],
      ['scope date differs', (u) => u.replace('%2F20130524%2F', '%2F20130523%2F')],
      ['wrong service', (u) => u.replace('%2Fs3%2F', '%2Fsqs%2F')],
      ['parameter twice', (u) => `${u}&X-Amz-Date=20130524T000000Z`],
      ['host not signed', (u) => u.replace('X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=range')],
    ];
    for (const [name, change] of variants) {
      await assert.rejects(authenticate({ ...view, rawUrl: change(view.rawUrl) }, docLookup, DOC_NOW),
        (err) => isStoreError(err, 'AuthorizationQueryParametersError'), name);
    }
  });

  test('an unknown key is InvalidAccessKeyId; tampering is SignatureDoesNotMatch', async () => {
    const view = await sign({ query: { versionId: 'abc' } }, { presignSeconds: 60 });
    await assert.rejects(authenticate(view, lookupOf(), DOC_NOW), (err) => isStoreError(err, 'InvalidAccessKeyId'));
    await refuses({ ...view, rawUrl: view.rawUrl.replace('versionId=abc', 'versionId=abd') }, 'SignatureDoesNotMatch');
    await refuses({ ...view, rawUrl: view.rawUrl.replace('/photos/', '/videos/') }, 'SignatureDoesNotMatch');
    await refuses({ ...view, method: 'PUT' }, 'SignatureDoesNotMatch');
  });

  test('a signed header in a presigned URL must be sent as signed', async () => {
    const view = await sign({ method: 'PUT', headers: { 'content-type': 'image/png' } }, { presignSeconds: 60 });
    assert.match(view.rawUrl, /X-Amz-SignedHeaders=content-type%3Bhost/);
    await accepts(view);
    await refuses(withHeader(view, 'content-type', 'text/html'), 'SignatureDoesNotMatch');
  });

  test('X-Amz-Content-Sha256 in the URL is signed and becomes the payload check', async () => {
    const view = await sign({}, { presignSeconds: 60 });
    assert.match(view.rawUrl, /X-Amz-Content-Sha256=UNSIGNED-PAYLOAD/);
    assert.deepEqual((await accepts(view)).payload, { kind: 'unsigned' });
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const hashed = await sign({ method: 'PUT', headers: { 'x-amz-content-sha256': hash } }, { presignSeconds: 60 });
    assert.deepEqual((await accepts(hashed)).payload, { kind: 'sha256', hex: hash });
    await refuses({ ...hashed, rawUrl: hashed.rawUrl.replace(hash, 'UNSIGNED-PAYLOAD') }, 'SignatureDoesNotMatch');
    const streaming = await sign({ method: 'PUT', headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } }, { presignSeconds: 60 });
    await refuses(streaming, 'AuthorizationQueryParametersError');
  });

  test('without X-Amz-Content-Sha256, an unsigned header still decides the body framing', async () => {
    // The AWS documentation's presigned URL, which signs no payload hash.
    const view = {
      method: 'GET',
      rawUrl: '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request'
        + '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host'
        + '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
      headers: { host: 'examplebucket.s3.amazonaws.com' },
    };
    assert.deepEqual((await accepts(view)).payload, { kind: 'unsigned' });
    assert.deepEqual((await accepts(withHeader(view, 'x-amz-content-sha256', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'))).payload,
      { kind: 'streaming-unsigned-trailer' });
    await refuses(withHeader(view, 'x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'), 'InvalidRequest');
    await refuses(withHeader(view, 'x-amz-content-sha256', 'bogus'), 'InvalidArgument');
  });
});
