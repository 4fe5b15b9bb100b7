// openOssBody: openRequestBody's contract for OSS requests — Content-MD5 and a signed
// x-oss-content-sha256 checked, lengths enforced — while S3's x-amz-* body headers are ignored
// (never aws-chunked, no x-amz-checksum-*), so they cannot change how an OSS body is read.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { type Authentication, readBodyFully } from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { openOssBody } from '../../../../services/gateway/oss-auth/index.ts';

const SIGNED_V1: Authentication = { anonymous: false, accessKeyId: 'ak', principal: 'p', region: '', payload: { kind: 'unsigned' } };
const ANONYMOUS: Authentication = { anonymous: true };
const BODY = Buffer.from('the body of an OSS request');
const md5 = (data: Buffer): string => createHash('md5').update(data).digest('base64');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function read(headers: Record<string, string>, auth: Authentication, data = BODY, maxBytes?: number): Promise<Buffer> {
  const body = openOssBody(Readable.from([data]), { 'content-length': String(data.length), ...headers }, auth, maxBytes === undefined ? {} : { maxBytes });
  return readBodyFully(body, 1 << 20);
}

function failsWith(code: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isStoreError(err), String(err));
    assert.equal(err.code, code, err.message);
    return true;
  };
}

describe('openOssBody', () => {
  test('passes the body through and digests it', async () => {
    const body = openOssBody(Readable.from([BODY]), { 'content-length': String(BODY.length), 'content-md5': md5(BODY) }, SIGNED_V1);
    assert.equal(body.size, BODY.length);
    assert.deepEqual(await readBodyFully(body, 1 << 20), BODY);
    assert.equal(body.digests().md5Base64, md5(BODY));
  });

  test('Content-MD5: malformed throws InvalidDigest before reading; a mismatch errors the stream with BadDigest', async () => {
    assert.throws(() => openOssBody(Readable.from([BODY]), { 'content-md5': 'not-base64' }, SIGNED_V1), failsWith('InvalidDigest'));
    await assert.rejects(read({ 'content-md5': md5(Buffer.from('other')) }, SIGNED_V1), failsWith('BadDigest'));
    await assert.rejects(read({ 'content-md5': md5(Buffer.from('other')) }, ANONYMOUS), failsWith('BadDigest'));
  });

  test('a V4-signed payload hash is checked', async () => {
    const signed = (hex: string): Authentication => ({ ...SIGNED_V1, region: 'cn-hangzhou', payload: { kind: 'sha256', hex } });
    assert.deepEqual(await read({}, signed(sha256(BODY))), BODY);
    await assert.rejects(read({}, signed(sha256(Buffer.from('other')))), failsWith('XAmzContentSHA256Mismatch'));
  });

  test('an anonymous request\'s hex x-oss-content-sha256 is checked; UNSIGNED-PAYLOAD is not a hash', async () => {
    assert.deepEqual(await read({ 'x-oss-content-sha256': sha256(BODY) }, ANONYMOUS), BODY);
    await assert.rejects(read({ 'x-oss-content-sha256': sha256(Buffer.from('x')) }, ANONYMOUS), failsWith('XAmzContentSHA256Mismatch'));
    assert.deepEqual(await read({ 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' }, ANONYMOUS), BODY);
  });

  test('x-amz-* body headers are ignored: no aws-chunked decoding, no S3 checksums, no trailers', async () => {
    const amz = {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '3',
      'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32',
    };
    assert.deepEqual(await read(amz, SIGNED_V1), BODY);
    assert.deepEqual(await read(amz, ANONYMOUS), BODY);
    assert.deepEqual(await read({ 'x-amz-content-sha256': sha256(Buffer.from('x')) }, ANONYMOUS), BODY);
  });

  test('lengths: short or long bodies, and bodies over the limit', async () => {
    await assert.rejects(read({ 'content-length': String(BODY.length + 1) }, SIGNED_V1), failsWith('IncompleteBody'));
    await assert.rejects(read({ 'content-length': String(BODY.length - 1) }, SIGNED_V1), failsWith('IncompleteBody'));
    assert.throws(() => openOssBody(Readable.from([BODY]), { 'content-length': '100' }, SIGNED_V1, { maxBytes: 10 }), failsWith('EntityTooLarge'));
  });

  test('an aws-chunked payload mode cannot reach an OSS body', () => {
    const chunked: Authentication = { ...SIGNED_V1, payload: { kind: 'streaming-unsigned-trailer' } };
    assert.throws(() => openOssBody(Readable.from([BODY]), {}, chunked), failsWith('InternalError'));
  });
});
