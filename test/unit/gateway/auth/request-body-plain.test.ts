// Bodies without aws-chunked framing: length, x-amz-content-sha256, Content-MD5, flexible
// checksums and size limits; plus readBodyFully.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { Crc64NvmeJs } from '@aws-sdk/checksums/crc';
import { crc32, crc32c } from '@node-rs/crc32';
import {
  type ChecksumAlgorithm, openRequestBody, readBodyFully,
} from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { runBody, sourceOf, unsignedAuth } from './auth-fixtures.ts';

const WELCOME = Buffer.from('Welcome to Amazon S3.');
const WELCOME_SHA = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072';
const unsigned = unsignedAuth({ kind: 'unsigned' });
const len = (b: Buffer) => ({ 'content-length': String(b.length) });

const be32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

/** Each algorithm's value for `data`, computed independently of the code under test. */
async function oracle(alg: ChecksumAlgorithm, data: Buffer): Promise<string> {
  switch (alg) {
    case 'crc32': return be32(crc32(data));
    case 'crc32c': return be32(crc32c(data));
    case 'crc64nvme': {
      const c = new Crc64NvmeJs();
      c.update(data);
      return Buffer.from(await c.digest()).toString('base64');
    }
    case 'sha1': return createHash('sha1').update(data).digest('base64');
    case 'sha256': return createHash('sha256').update(data).digest('base64');
  }
}

describe('length and x-amz-content-sha256', () => {
  test('the PUT example body hashes to its documented x-amz-content-sha256', async () => {
    const out = await runBody(sourceOf(WELCOME, 4), len(WELCOME), unsignedAuth({ kind: 'sha256', hex: WELCOME_SHA }));
    assert.equal(out.error, undefined);
    assert.ok(out.ended && out.data.equals(WELCOME));
    assert.equal(out.body.size, WELCOME.length);
    const md5 = createHash('md5').update(WELCOME).digest();
    assert.deepEqual(out.body.digests(), { md5Hex: md5.toString('hex'), md5Base64: md5.toString('base64'), checksums: {} });
  });

  test('a body that does not hash to x-amz-content-sha256 is XAmzContentSHA256Mismatch', async () => {
    const out = await runBody(sourceOf(Buffer.from('Welcome to Amazon S4.')), len(WELCOME), unsignedAuth({ kind: 'sha256', hex: WELCOME_SHA }));
    assert.equal(out.error?.code, 'XAmzContentSHA256Mismatch');
    assert.equal(out.error?.details.ClientComputedContentSHA256, WELCOME_SHA);
    assert.equal(out.ended, false);
  });

  test('fewer bytes than Content-Length is IncompleteBody', async () => {
    const out = await runBody(sourceOf(WELCOME.subarray(0, 10)), len(WELCOME), unsigned);
    assert.equal(out.error?.code, 'IncompleteBody');
    assert.equal(out.ended, false);
  });

  test('more bytes than Content-Length is IncompleteBody', async () => {
    const out = await runBody(sourceOf(Buffer.concat([WELCOME, Buffer.from('!')])), len(WELCOME), unsigned);
    assert.equal(out.error?.code, 'IncompleteBody');
    assert.equal(out.ended, false);
  });

  test('a client that disconnects mid-body is IncompleteBody', async () => {
    const source = new PassThrough();
    const pending = runBody(source, { 'content-length': '1000' }, unsigned);
    source.write(Buffer.alloc(100));
    setImmediate(() => source.destroy());
    const out = await pending;
    assert.equal(out.error?.code, 'IncompleteBody');
    assert.equal(out.ended, false);
  });

  test('a source that failed before the body was opened is IncompleteBody, not a hang', async () => {
    const source = new PassThrough();
    source.destroy();
    const out = await runBody(source, { 'content-length': '10' }, unsigned);
    assert.equal(out.error?.code, 'IncompleteBody');
  });

  test('an error before anyone listens neither crashes nor gets lost', async () => {
    const source = new PassThrough();
    const body = openRequestBody(source, { 'content-length': '10' }, unsigned);
    source.destroy();
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(readBodyFully(body, 100), (err) => isStoreError(err, 'IncompleteBody'));
  });

  test('without Content-Length the size is undefined and any length is taken', async () => {
    const out = await runBody(sourceOf(WELCOME), {}, unsigned);
    assert.equal(out.body.size, undefined);
    assert.ok(out.ended && out.data.equals(WELCOME));
  });

  test('digests() before the end is an InternalError', () => {
    const body = openRequestBody(sourceOf(WELCOME), len(WELCOME), unsigned);
    assert.throws(() => body.digests(), (err) => isStoreError(err, 'InternalError'));
  });

  test('anonymous requests: their x-amz-content-sha256 is still checked', async () => {
    const out = await runBody(sourceOf(Buffer.from('x')), { ...len(WELCOME), 'x-amz-content-sha256': WELCOME_SHA }, { anonymous: true });
    assert.equal(out.error?.code, 'IncompleteBody');
    const bad = await runBody(sourceOf(WELCOME), { 'x-amz-content-sha256': '0'.repeat(64) }, { anonymous: true });
    assert.equal(bad.error?.code, 'XAmzContentSHA256Mismatch');
    assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'x-amz-content-sha256': 'nope' }, { anonymous: true }),
      (err) => isStoreError(err, 'InvalidArgument'));
    assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, { anonymous: true }),
      (err) => isStoreError(err, 'InvalidRequest'));
  });
});

describe('Content-MD5', () => {
  const md5 = createHash('md5').update(WELCOME).digest('base64');

  test('a matching Content-MD5 passes', async () => {
    const out = await runBody(sourceOf(WELCOME), { ...len(WELCOME), 'content-md5': md5 }, unsigned);
    assert.equal(out.error, undefined);
    assert.equal(out.body.digests().md5Base64, md5);
  });

  test('a different one is BadDigest, and the stream never ends', async () => {
    const other = createHash('md5').update('other').digest('base64');
    const out = await runBody(sourceOf(WELCOME), { ...len(WELCOME), 'content-md5': other }, unsigned);
    assert.equal(out.error?.code, 'BadDigest');
    assert.equal(out.ended, false);
  });

  test('one that is not base64 of 16 bytes is InvalidDigest, before the body is read', () => {
    for (const bad of ['abc', 'not base64!!', Buffer.alloc(15).toString('base64'), createHash('md5').update('').digest('hex')]) {
      assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'content-md5': bad }, unsigned), (err) => isStoreError(err, 'InvalidDigest'), bad);
    }
  });
});

describe('x-amz-checksum-*', () => {
  const data = Buffer.from(Array.from({ length: 100_003 }, (_, i) => (i * 31 + 7) & 0xff));
  const algorithms: ChecksumAlgorithm[] = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

  for (const alg of algorithms) {
    test(`${alg}: the right value passes and is reported; a wrong one is BadDigest`, async () => {
      const value = await oracle(alg, data);
      const ok = await runBody(sourceOf(data, 777), { ...len(data), [`x-amz-checksum-${alg}`]: value }, unsigned);
      assert.equal(ok.error, undefined, ok.error?.message);
      assert.equal(ok.body.digests().checksums[alg], value);
      const wrong = await oracle(alg, Buffer.from('something else'));
      const bad = await runBody(sourceOf(data), { ...len(data), [`x-amz-checksum-${alg}`]: wrong }, unsigned);
      assert.equal(bad.error?.code, 'BadDigest');
      assert.equal(bad.error?.message, `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
      assert.equal(bad.ended, false);
    });
  }

  test('x-amz-sdk-checksum-algorithm alone has that checksum computed', async () => {
    const out = await runBody(sourceOf(data), { 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' }, unsigned);
    assert.equal(out.body.digests().checksums.crc64nvme, await oracle('crc64nvme', data));
  });

  test('alsoCompute adds checksums the request did not name', async () => {
    const out = await runBody(sourceOf(data), {}, unsigned, { alsoCompute: ['crc32c', 'sha256'] });
    assert.deepEqual(out.body.digests().checksums, { crc32c: await oracle('crc32c', data), sha256: await oracle('sha256', data) });
  });

  test('header problems are refused before the body is read', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-sha1': createHash('sha1').digest('base64') }, 'InvalidRequest'],
      [{ 'x-amz-checksum-crc32': 'AAAAAAAA' }, 'InvalidRequest'],
      [{ 'x-amz-checksum-crc64nvme': 'AAAAAA==' }, 'InvalidRequest'],
      [{ 'x-amz-checksum-md4': 'AAAAAA==' }, 'InvalidRequest'],
      [{ 'x-amz-sdk-checksum-algorithm': 'MD4' }, 'InvalidRequest'],
      [{ 'x-amz-sdk-checksum-algorithm': 'CRC32C', 'x-amz-checksum-crc32': 'AAAAAA==' }, 'InvalidRequest'],
      [{ 'x-amz-trailer': 'x-amz-checksum-crc32' }, 'InvalidRequest'],
    ];
    for (const [headers, code] of cases) {
      assert.throws(() => openRequestBody(sourceOf(data), headers, unsigned), (err) => isStoreError(err, code as never), JSON.stringify(headers));
    }
  });

  test('multipart settings headers are not checksum values', async () => {
    const out = await runBody(sourceOf(data), { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'COMPOSITE' }, unsigned);
    assert.equal(out.error, undefined);
  });
});

describe('size limits', () => {
  test('a declared size over maxBytes is EntityTooLarge up front', () => {
    assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'content-length': '6000000000' }, unsigned), (err) => isStoreError(err, 'EntityTooLarge'));
    assert.throws(() => openRequestBody(sourceOf(WELCOME), len(WELCOME), unsigned, { maxBytes: 5 }), (err) => isStoreError(err, 'EntityTooLarge'));
    assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'x-amz-decoded-content-length': '100' }, unsignedAuth({ kind: 'streaming-unsigned-trailer' }), { maxBytes: 50 }),
      (err) => isStoreError(err, 'EntityTooLarge'));
  });

  test('an undeclared body that grows past maxBytes is EntityTooLarge while streaming', async () => {
    const out = await runBody(sourceOf(Buffer.alloc(10_000), 1000), {}, unsigned, { maxBytes: 4096 });
    assert.equal(out.error?.code, 'EntityTooLarge');
    assert.equal(out.ended, false);
  });

  test('a malformed declared size is InvalidArgument', () => {
    assert.throws(() => openRequestBody(sourceOf(WELCOME), { 'content-length': '12abc' }, unsigned), (err) => isStoreError(err, 'InvalidArgument'));
  });
});

describe('readBodyFully', () => {
  test('returns the whole verified body', async () => {
    const body = openRequestBody(sourceOf(WELCOME, 3), len(WELCOME), unsignedAuth({ kind: 'sha256', hex: WELCOME_SHA }));
    assert.ok((await readBodyFully(body, 1024)).equals(WELCOME));
    assert.equal(body.digests().md5Hex, createHash('md5').update(WELCOME).digest('hex'));
  });

  test('over its limit it is EntityTooLarge, declared or not', async () => {
    await assert.rejects(readBodyFully(openRequestBody(sourceOf(WELCOME), len(WELCOME), unsigned), 5), (err) => isStoreError(err, 'EntityTooLarge'));
    await assert.rejects(readBodyFully(openRequestBody(sourceOf(WELCOME, 2), {}, unsigned), 5), (err) => isStoreError(err, 'EntityTooLarge'));
  });

  test('passes the body error on as the StoreError it is', async () => {
    const body = openRequestBody(Readable.from([Buffer.from('x')]), len(WELCOME), unsigned);
    await assert.rejects(readBodyFully(body, 1024), (err) => isStoreError(err, 'IncompleteBody'));
  });
});
