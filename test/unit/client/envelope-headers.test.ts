// The OSS envelope in user metadata: names exactly as the OSS clients write them, a round trip
// for any envelope, and malformed metadata refused with MalformedEnvelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeEnvelope, encodeEnvelope, ENVELOPE_META, isEncryptedMeta, plaintextSizeOf, type Envelope,
} from '../../../services/client/encryption/envelope-headers.ts';
import { ClientEncryptionError } from '../../../services/client/encryption/client-encryption-error.ts';

const bytes = fc.uint8Array({ minLength: 1, maxLength: 600 }).map((a) => Buffer.from(a));
const size = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const envelope: fc.Arbitrary<Envelope> = fc.record({
  encryptedKey: bytes, encryptedIv: bytes,
  cekAlgorithm: fc.constant('AES/CTR/NoPadding'),
  wrapAlgorithm: fc.constantFrom('RSA/NONE/PKCS1Padding', 'KMS/ALICLOUD', 'AES/GCM'),
  matDesc: fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { noNullPrototype: true }),
  unencryptedContentLength: size,
  unencryptedContentMd5: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a).toString('base64')),
  dataSize: size,
  partSize: fc.integer({ min: 1, max: 1 << 20 }).map((n) => n * 16),
}, { requiredKeys: ['encryptedKey', 'encryptedIv', 'cekAlgorithm', 'wrapAlgorithm', 'matDesc'], noNullPrototype: true });

function code(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof ClientEncryptionError);
    return err.code;
  }
  throw new Error('expected an error');
}

test('the metadata names are the OSS client-side encryption names', () => {
  assert.deepEqual(Object.values(ENVELOPE_META).sort(), [
    'client-side-encryption-cek-alg', 'client-side-encryption-data-size', 'client-side-encryption-key',
    'client-side-encryption-matdesc', 'client-side-encryption-part-size', 'client-side-encryption-start',
    'client-side-encryption-unencrypted-content-length', 'client-side-encryption-unencrypted-content-md5',
    'client-side-encryption-wrap-alg',
  ]);
});

test('encode then decode is the identity', () => {
  fc.assert(fc.property(envelope, (e) => {
    const meta = encodeEnvelope(e);
    assert.ok(isEncryptedMeta(meta));
    assert.deepEqual(decodeEnvelope(meta), e);
    for (const v of Object.values(meta)) assert.doesNotMatch(v, /[\r\n]/, 'a header value must stay on one line');
  }));
});

test('what is written: base64 key and IV, algorithm names, no matdesc when empty', () => {
  const meta = encodeEnvelope({
    encryptedKey: Buffer.from('key'), encryptedIv: Buffer.from('iv'), cekAlgorithm: 'AES/CTR/NoPadding',
    wrapAlgorithm: 'RSA/NONE/PKCS1Padding', matDesc: {}, unencryptedContentLength: 5,
  });
  assert.deepEqual(meta, {
    'client-side-encryption-key': 'a2V5', 'client-side-encryption-start': 'aXY=',
    'client-side-encryption-cek-alg': 'AES/CTR/NoPadding', 'client-side-encryption-wrap-alg': 'RSA/NONE/PKCS1Padding',
    'client-side-encryption-unencrypted-content-length': '5',
  });
  assert.equal(plaintextSizeOf(decodeEnvelope(meta)), 5);
  assert.equal(plaintextSizeOf(decodeEnvelope({ ...meta, 'client-side-encryption-unencrypted-content-length': undefined, 'client-side-encryption-data-size': '9' })), 9);
});

test('malformed metadata is MalformedEnvelope', () => {
  const good = encodeEnvelope({ encryptedKey: Buffer.from('k'), encryptedIv: Buffer.from('i'), cekAlgorithm: 'AES/CTR/NoPadding', wrapAlgorithm: 'AES/GCM', matDesc: {} });
  assert.equal(isEncryptedMeta({}), false);
  for (const drop of ['client-side-encryption-key', 'client-side-encryption-start', 'client-side-encryption-cek-alg', 'client-side-encryption-wrap-alg']) {
    assert.equal(code(() => decodeEnvelope({ ...good, [drop]: undefined })), 'MalformedEnvelope', drop);
  }
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-key': 'not base64!' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-matdesc': '[1]' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-matdesc': '{"a":1}' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-matdesc': '{' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-unencrypted-content-length': '-1' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-part-size': '1e3' })), 'MalformedEnvelope');
  assert.equal(code(() => decodeEnvelope({ ...good, 'client-side-encryption-unencrypted-content-md5': 'AAAA' })), 'MalformedEnvelope');
});
