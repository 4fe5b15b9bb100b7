// The key service's pure parts: root-key wrapping (round trip; another key, purpose or a
// flipped bit → error), ciphertext blobs (round trip, context and header bound, garbage never
// throws: fast-check), canonical encryption contexts, key references, BYOK unwrap of a real
// RSA-OAEP wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { openBlob, parseBlob, sealBlob } from '../../../services/kms/ciphertext-blob.ts';
import { KmsError } from '../../../services/kms/data-key-service.ts';
import { canonicalContext, checkEncryptionContext } from '../../../services/kms/encryption-context.ts';
import { newImportKeyPair, unwrapImportedMaterial } from '../../../services/kms/key-import.ts';
import { parseKeyReference } from '../../../services/kms/key-records.ts';
import { RootKeyWrapper } from '../../../services/kms/root-key-wrapping.ts';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

test('root-key wrapping: round trip; wrong root key, other key id/version or a flipped bit fail', () => {
  const root = new RootKeyWrapper(randomBytes(32));
  const material = randomBytes(32);
  const purpose = { kind: 'material', keyId: KEY_ID, version: 1 } as const;
  const wrapped = root.wrap(material, purpose);
  assert.equal(wrapped.length, 12 + 32 + 16);
  assert.ok(!wrapped.includes(material), 'no plaintext inside');
  assert.deepEqual(root.unwrap(wrapped, purpose), material);
  const fails = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof KmsError && e.code === 'KMSInternalException');
  fails(() => new RootKeyWrapper(randomBytes(32)).unwrap(wrapped, purpose));
  fails(() => root.unwrap(wrapped, { ...purpose, version: 2 }));
  fails(() => root.unwrap(wrapped, { kind: 'import-private-key', keyId: KEY_ID }));
  for (let i = 0; i < wrapped.length; i++) {
    const bad = Buffer.from(wrapped);
    bad[i] ^= 0x01;
    fails(() => root.unwrap(bad, purpose));
  }
  fails(() => root.unwrap(Buffer.alloc(10), purpose));
  assert.throws(() => new RootKeyWrapper(randomBytes(16)), /32 bytes/);
});

test('blobs: self-describing, context-bound, tamper-evident', () => {
  const material = randomBytes(32);
  const blob = sealBlob(material, KEY_ID, 7, Buffer.from('data key'), { a: '1', b: '2' });
  const p = parseBlob(blob);
  assert.ok(p.ok);
  assert.deepEqual([p.blob.keyId, p.blob.version], [KEY_ID, 7]);
  assert.equal(openBlob(material, p.blob, { b: '2', a: '1' })?.toString(), 'data key', 'context order does not matter');
  assert.equal(openBlob(material, p.blob, { a: '1' }), undefined);
  assert.equal(openBlob(material, p.blob, {}), undefined);
  assert.equal(openBlob(randomBytes(32), p.blob, { a: '1', b: '2' }), undefined);
  for (let i = 0; i < blob.length; i++) {
    const bad = Buffer.from(blob);
    bad[i] ^= 0x80;
    const q = parseBlob(bad);
    if (q.ok) assert.equal(openBlob(material, q.blob, { a: '1', b: '2' }), undefined, `byte ${i} flipped`);
  }
});

test('blob parse of arbitrary bytes never throws; any parse of a mutated blob never opens', () => {
  const material = randomBytes(32);
  const good = sealBlob(material, KEY_ID, 1, randomBytes(32), {});
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    const r = parseBlob(bytes);
    assert.ok(r.ok || typeof r.reason === 'string');
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
    const bad = Buffer.from(good);
    bad[i] ^= x;
    const r = parseBlob(bad);
    assert.ok(!r.ok || openBlob(material, r.blob, {}) === undefined);
  }), { numRuns: 500 });
});

test('canonical contexts: sorted, length-prefixed, unambiguous; bad contexts refused', () => {
  assert.deepEqual(canonicalContext({ b: '2', a: '1' }), canonicalContext({ a: '1', b: '2' }));
  assert.notDeepEqual(canonicalContext({ ab: 'c' }), canonicalContext({ a: 'bc' }));
  assert.deepEqual(checkEncryptionContext(undefined), {});
  for (const bad of [[], 'x', { a: 1 }, { '': 'x' }]) {
    assert.throws(() => checkEncryptionContext(bad), (e: unknown) => e instanceof KmsError && e.code === 'ValidationException');
  }
});

test('key references: ids, aliases, and their ARNs', () => {
  assert.deepEqual(parseKeyReference(KEY_ID), { kind: 'id', keyId: KEY_ID });
  assert.deepEqual(parseKeyReference('alias/app'), { kind: 'alias', aliasName: 'alias/app' });
  assert.deepEqual(parseKeyReference(`arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`), { kind: 'id', keyId: KEY_ID, accountId: '123456789012' });
  assert.deepEqual(parseKeyReference('arn:aws:kms:us-east-1:root:alias/app'), { kind: 'alias', aliasName: 'alias/app', accountId: 'root' });
  assert.deepEqual(parseKeyReference(`acs:kms:cn-hangzhou:123456789012:key/${KEY_ID}`), { kind: 'id', keyId: KEY_ID, accountId: '123456789012' });
  for (const bad of ['', 42, null]) assert.throws(() => parseKeyReference(bad), KmsError);
});

test('BYOK: material wrapped with RSAES_OAEP_SHA_256 / SHA_1 by node:crypto unwraps; wrong size or hash refused', async () => {
  const pair = await newImportKeyPair('RSA_2048');
  const pub = createPublicKey({ key: pair.publicKeyDer, format: 'der', type: 'spki' });
  const material = randomBytes(32);
  for (const [alg, hash] of [['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']] as const) {
    const wrapped = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, material);
    assert.deepEqual(unwrapImportedMaterial(pair.privateKeyDer, alg, wrapped), material);
  }
  const sha1 = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, material);
  assert.throws(() => unwrapImportedMaterial(pair.privateKeyDer, 'RSAES_OAEP_SHA_256', sha1), (e: unknown) => e instanceof KmsError && e.code === 'InvalidCiphertextException');
  const short = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(16));
  assert.throws(() => unwrapImportedMaterial(pair.privateKeyDer, 'RSAES_OAEP_SHA_256', short), (e: unknown) => e instanceof KmsError && e.awsType === 'IncorrectKeyMaterialException');
});
