// The worked examples of the AWS S3 SigV4 documentation ("Signature Calculations for the
// Authorization Header", "Authenticating Requests: Using Query Parameters", and the chunked
// upload pages): every published signature must verify, and any change must not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authenticate } from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { DOC_ACCESS_KEY, DOC_NOW, docLookup } from './auth-fixtures.ts';

const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const authHeader = (signed: string, signature: string): string =>
  `AWS4-HMAC-SHA256 Credential=${DOC_ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`;

const HOST = 'examplebucket.s3.amazonaws.com';

interface Example {
  name: string;
  method: string;
  rawUrl: string;
  headers: Record<string, string>;
}

const examples: Example[] = [
  {
    name: 'GET Object with a Range',
    method: 'GET',
    rawUrl: '/test.txt',
    headers: {
      host: HOST, range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA, 'x-amz-date': '20130524T000000Z',
      authorization: authHeader('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
    },
  },
  {
    name: 'PUT Object (a $ in the key, a Date header, a storage class)',
    method: 'PUT',
    rawUrl: '/test%24file.text',
    headers: {
      host: HOST, date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      authorization: authHeader('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
        '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
    },
  },
  {
    name: 'GET Bucket lifecycle (a valueless subresource)',
    method: 'GET',
    rawUrl: '/?lifecycle',
    headers: {
      host: HOST, 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY_SHA,
      authorization: authHeader('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
    },
  },
  {
    name: 'GET Bucket (list objects, two query parameters)',
    method: 'GET',
    rawUrl: '/?max-keys=2&prefix=J',
    headers: {
      host: HOST, 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY_SHA,
      authorization: authHeader('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
    },
  },
  {
    name: 'presigned GET Object, 86400 s',
    method: 'GET',
    rawUrl: '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request'
      + '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host'
      + '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    headers: { host: HOST },
  },
  {
    name: 'PUT Object in chunks (the seed signature)',
    method: 'PUT',
    rawUrl: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560', 'content-length': '66824',
      authorization: authHeader('content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
        '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9'),
    },
  },
  {
    name: 'PUT Object in chunks with a trailing checksum (the seed signature)',
    method: 'PUT',
    rawUrl: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560', 'x-amz-trailer': 'x-amz-checksum-crc32c',
      authorization: authHeader('content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
        '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e'),
    },
  },
];

describe('AWS documentation examples verify', () => {
  for (const ex of examples) {
    test(ex.name, async () => {
      const auth = await authenticate({ method: ex.method, rawUrl: ex.rawUrl, headers: ex.headers }, docLookup, DOC_NOW);
      assert.equal(auth.anonymous, false);
      if (auth.anonymous) return;
      assert.equal(auth.accessKeyId, DOC_ACCESS_KEY);
      assert.equal(auth.principal, 'doc-user');
      assert.equal(auth.region, 'us-east-1');
    });
  }

  test('the chunked example hands the chunk verifier its seed signature, date and scope', async () => {
    const ex = examples.find((e) => e.name.startsWith('PUT Object in chunks ('))!;
    const auth = await authenticate(ex, docLookup, DOC_NOW);
    assert.ok(!auth.anonymous && auth.chunkSigning);
    assert.deepEqual(auth.payload, { kind: 'streaming-signed', trailer: false });
    assert.equal(auth.chunkSigning.seedSignature, '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
    assert.equal(auth.chunkSigning.amzDate, '20130524T000000Z');
    assert.equal(auth.chunkSigning.scope, '20130524/us-east-1/s3/aws4_request');
  });

  test('an unencoded $ in the path canonicalises to the same URI as %24', async () => {
    const ex = examples[1]!;
    const auth = await authenticate({ ...ex, rawUrl: '/test$file.text' }, docLookup, DOC_NOW);
    assert.equal(auth.anonymous, false);
  });

  test('the PUT example reports the documented canonical request when it is altered', async () => {
    const ex = examples[1]!;
    await assert.rejects(authenticate({ ...ex, headers: { ...ex.headers, 'x-amz-storage-class': 'STANDARD' } }, docLookup, DOC_NOW), (err) => {
      assert.ok(isStoreError(err, 'SignatureDoesNotMatch'));
      assert.equal(err.details.CanonicalRequest, [
        'PUT', '/test%24file.text', '',
        'date:Fri, 24 May 2013 00:00:00 GMT', 'host:examplebucket.s3.amazonaws.com',
        'x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        'x-amz-date:20130524T000000Z', 'x-amz-storage-class:STANDARD', '',
        'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
        '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      ].join('\n'));
      return true;
    });
  });

  test('every example fails once its signature changes by one digit', async () => {
    for (const ex of examples) {
      const flip = (s: string) => s.replace(/([0-9a-f])([0-9a-f]{63})(?=$|&|,)/, (_, c: string, rest: string) => (c === '0' ? '1' : '0') + rest);
      const headers = { ...ex.headers };
      if (headers.authorization) headers.authorization = flip(headers.authorization);
      const rawUrl = headers.authorization ? ex.rawUrl : flip(ex.rawUrl);
      await assert.rejects(authenticate({ method: ex.method, rawUrl, headers }, docLookup, DOC_NOW), (err) => isStoreError(err, 'SignatureDoesNotMatch'), ex.name);
    }
  });
});
