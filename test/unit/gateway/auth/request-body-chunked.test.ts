// aws-chunked bodies: the AWS documentation's signed examples (with and without a signed
// trailer), the unsigned-trailer form SDKs send, and every way a body can be wrong. A wrong
// body must error and never end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32 } from '@node-rs/crc32';
import { type Authentication, authenticate } from '../../../../services/gateway/auth/index.ts';
import {
  DOC_ACCESS_KEY, DOC_AMZ_DATE, DOC_NOW, DOC_SCOPE, docLookup, docSigningKey, encodeAwsChunked, runBody, sourceOf, unsignedAuth,
} from './auth-fixtures.ts';

const DATA = Buffer.alloc(66560, 'a');
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const TRAILER_SEED = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';

const DOC_WIRE = Buffer.concat([
  Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'), DATA.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'), DATA.subarray(65536),
  Buffer.from('\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
]);

const DOC_TRAILER_WIRE = Buffer.concat([
  Buffer.from('10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n'), DATA.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n'), DATA.subarray(65536),
  Buffer.from('\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n'
    + 'x-amz-checksum-crc32c:sOO8/Q==\r\n'
    + 'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n'),
]);

const CHUNKED_HEADERS = {
  host: 's3.amazonaws.com', 'x-amz-date': DOC_AMZ_DATE, 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '66560',
};

async function docAuth(trailer: boolean): Promise<Authentication> {
  const headers = trailer
    ? {
      ...CHUNKED_HEADERS, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32c',
      authorization: `AWS4-HMAC-SHA256 Credential=${DOC_ACCESS_KEY}/${DOC_SCOPE},SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=${TRAILER_SEED}`,
    }
    : {
      ...CHUNKED_HEADERS, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-length': '66824',
      authorization: `AWS4-HMAC-SHA256 Credential=${DOC_ACCESS_KEY}/${DOC_SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`,
    };
  return authenticate({ method: 'PUT', rawUrl: '/examplebucket/chunkObject.txt', headers }, docLookup, DOC_NOW);
}

const docHeaders = (trailer: boolean): Record<string, string> =>
  trailer ? { ...CHUNKED_HEADERS, 'x-amz-trailer': 'x-amz-checksum-crc32c' } : { ...CHUNKED_HEADERS };

const signer = (seed: string) => ({ key: docSigningKey(), amzDate: DOC_AMZ_DATE, scope: DOC_SCOPE, seed });

/** A copy of `wire` with the byte at `at` changed. */
function tamper(wire: Buffer, at: number, to?: number): Buffer {
  const copy = Buffer.from(wire);
  copy[at] = to ?? (copy[at] === 0x61 ? 0x62 : 0x61);
  return copy;
}

describe('the AWS documentation chunked upload', () => {
  test('decodes to 66560 bytes of "a", read in any piece size', async () => {
    const auth = await docAuth(false);
    for (const piece of [1, 7, 85, 4096, 65536, 1 << 20]) {
      const out = await runBody(sourceOf(DOC_WIRE, piece), docHeaders(false), auth);
      assert.equal(out.error, undefined, `piece ${piece}: ${out.error?.message}`);
      assert.ok(out.ended);
      assert.ok(out.data.equals(DATA));
      assert.equal(out.body.size, 66560);
    }
  });

  test('our test encoder reproduces the published chunk signatures byte for byte', () => {
    assert.ok(encodeAwsChunked(DATA, [65536], { signer: signer(SEED) }).equals(DOC_WIRE));
  });

  test('with a signed trailer: decodes, verifies the trailer signature and the CRC32C', async () => {
    const auth = await docAuth(true);
    const out = await runBody(sourceOf(DOC_TRAILER_WIRE, 1000), docHeaders(true), auth);
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(out.ended && out.data.equals(DATA));
    assert.equal(out.body.digests().checksums.crc32c, 'sOO8/Q==');
    assert.equal(out.body.digests().md5Hex.length, 32);
  });

  test('the signed-trailer variant with a blank line before the trailers also decodes', async () => {
    const auth = await docAuth(true);
    const wire = encodeAwsChunked(DATA, [65536], {
      signer: signer(TRAILER_SEED), trailers: [['x-amz-checksum-crc32c', 'sOO8/Q==']], blankBeforeTrailers: true,
    });
    const out = await runBody(sourceOf(wire), docHeaders(true), auth);
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(out.ended && out.data.equals(DATA));
  });
});

describe('a wrong chunked body errors and never ends', () => {
  const cases: Array<{ name: string; wire: () => Buffer; headers?: Record<string, string>; code: string; trailer?: boolean }> = [
    { name: 'one data byte changed', wire: () => tamper(DOC_WIRE, 100), code: 'SignatureDoesNotMatch' },
    { name: 'a data byte of the last data chunk changed', wire: () => tamper(DOC_WIRE, DOC_WIRE.length - 200), code: 'SignatureDoesNotMatch' },
    { name: 'a chunk signature changed', wire: () => tamper(DOC_WIRE, 30, 0x30), code: 'SignatureDoesNotMatch' },
    {
      name: 'the final chunk signature changed',
      wire: () => tamper(DOC_WIRE, DOC_WIRE.length - 10, DOC_WIRE[DOC_WIRE.length - 10] === 0x30 ? 0x31 : 0x30),
      code: 'SignatureDoesNotMatch',
    },
    {
      name: 'chunks reordered (signatures chain)',
      wire: () => {
        const first = DOC_WIRE.indexOf('400;');
        const last = DOC_WIRE.lastIndexOf('0;chunk-signature');
        return Buffer.concat([DOC_WIRE.subarray(first, last), DOC_WIRE.subarray(0, first), DOC_WIRE.subarray(last)]);
      },
      code: 'SignatureDoesNotMatch',
    },
    { name: 'a chunk without a signature', wire: () => encodeAwsChunked(DATA, [65536]), code: 'SignatureDoesNotMatch' },
    { name: 'cut short inside a chunk', wire: () => DOC_WIRE.subarray(0, 50_000), code: 'IncompleteBody' },
    { name: 'cut short before the final chunk', wire: () => DOC_WIRE.subarray(0, DOC_WIRE.length - 90), code: 'IncompleteBody' },
    { name: 'bytes after the end', wire: () => Buffer.concat([DOC_WIRE, Buffer.from('junk')]), code: 'InvalidRequest' },
    {
      name: 'a chunk longer than its size',
      wire: () => Buffer.concat([Buffer.from('3\r\nabcd\r\n0\r\n\r\n')]),
      headers: { 'x-amz-decoded-content-length': '3' },
      code: 'InvalidRequest',
    },
    {
      name: 'fewer decoded bytes than x-amz-decoded-content-length',
      wire: () => encodeAwsChunked(DATA.subarray(0, 1000), [65536], { signer: signer(SEED) }),
      code: 'IncompleteBody',
    },
    {
      name: 'more decoded bytes than x-amz-decoded-content-length',
      wire: () => DOC_WIRE,
      headers: { 'x-amz-decoded-content-length': '66559' },
      code: 'IncompleteBody',
    },
    {
      name: 'a chunk over the size limit',
      wire: () => Buffer.from('1000001;chunk-signature=00\r\n'),
      code: 'InvalidChunkSizeError',
    },
    { name: 'a size that is not hex', wire: () => Buffer.from('zz;chunk-signature=00\r\n'), code: 'InvalidRequest' },
    {
      name: 'a wrong trailer checksum (signature over the wrong value is valid)',
      wire: () => encodeAwsChunked(DATA, [65536], { signer: signer(TRAILER_SEED), trailers: [['x-amz-checksum-crc32c', 'AAAAAA==']] }),
      trailer: true,
      code: 'BadDigest',
    },
    {
      name: 'a trailer value changed after signing',
      wire: () => Buffer.from(DOC_TRAILER_WIRE.toString('latin1').replace('sOO8/Q==', 'sOO8/A=='), 'latin1'),
      trailer: true,
      code: 'SignatureDoesNotMatch',
    },
    {
      name: 'the trailer signature missing',
      wire: () => Buffer.from(DOC_TRAILER_WIRE.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''), 'latin1'),
      trailer: true,
      code: 'SignatureDoesNotMatch',
    },
    {
      name: 'the declared trailer missing',
      wire: () => encodeAwsChunked(DATA, [65536], { signer: signer(TRAILER_SEED) }),
      trailer: true,
      code: 'InvalidRequest',
    },
    {
      name: 'an undeclared trailer',
      wire: () => encodeAwsChunked(DATA, [65536], { signer: signer(TRAILER_SEED), trailers: [['x-amz-meta-x', 'y']] }),
      trailer: true,
      code: 'InvalidRequest',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const auth = await docAuth(c.trailer ?? false);
      const out = await runBody(sourceOf(c.wire(), 4096), { ...docHeaders(c.trailer ?? false), ...c.headers }, auth);
      assert.equal(out.error?.code, c.code, out.error?.message ?? 'no error');
      assert.equal(out.ended, false);
      assert.throws(() => out.body.digests(), /before the body ended/);
    });
  }

  test('no byte of a chunk whose signature fails reaches the consumer', async () => {
    const auth = await docAuth(false);
    const out = await runBody(sourceOf(tamper(DOC_WIRE, 65536 + 200), 4096), docHeaders(false), auth);
    assert.equal(out.error?.code, 'SignatureDoesNotMatch');
    assert.equal(out.data.length, 65536, 'the first (valid) chunk only');
  });
});

describe('STREAMING-UNSIGNED-PAYLOAD-TRAILER', () => {
  const payload = { kind: 'streaming-unsigned-trailer' } as const;
  const data = Buffer.from('hello, unsigned trailer world');
  const crc = (d: Buffer): string => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(crc32(d) >>> 0);
    return b.toString('base64');
  };
  const headers = {
    'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length),
    'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32',
  };

  test('decodes and checks the CRC32 trailer, in the framing @smithy sends', async () => {
    const wire = encodeAwsChunked(data, [5, 11], { trailers: [['x-amz-checksum-crc32', crc(data)]] });
    const out = await runBody(sourceOf(wire, 3), headers, unsignedAuth(payload));
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(out.ended && out.data.equals(data));
    assert.equal(out.body.digests().checksums.crc32, crc(data));
  });

  test('a body ending right after "0\\r\\n" (no checksum, no closing line) is complete', async () => {
    const wire = encodeAwsChunked(data, [64], { omitFinalCrlf: true });
    const out = await runBody(sourceOf(wire), { 'x-amz-decoded-content-length': String(data.length) }, unsignedAuth(payload));
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(out.ended && out.data.equals(data));
  });

  test('a wrong CRC32 trailer is BadDigest', async () => {
    const wire = encodeAwsChunked(data, [64], { trailers: [['x-amz-checksum-crc32', crc(Buffer.from('other'))]] });
    const out = await runBody(sourceOf(wire), headers, unsignedAuth(payload));
    assert.equal(out.error?.code, 'BadDigest');
    assert.match(out.error!.message, /The CRC32 you specified did not match the calculated checksum/);
    assert.equal(out.ended, false);
  });

  test('a trailer value that is not base64 of 4 bytes is InvalidRequest', async () => {
    const wire = encodeAwsChunked(data, [64], { trailers: [['x-amz-checksum-crc32', 'nope']] });
    const out = await runBody(sourceOf(wire), headers, unsignedAuth(payload));
    assert.equal(out.error?.code, 'InvalidRequest');
  });

  test('anonymous requests may send it too (their own header decides the framing)', async () => {
    const wire = encodeAwsChunked(data, [4], { trailers: [['x-amz-checksum-crc32', crc(data)]] });
    const out = await runBody(sourceOf(wire), { ...headers, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, { anonymous: true });
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(out.data.equals(data));
  });
});
