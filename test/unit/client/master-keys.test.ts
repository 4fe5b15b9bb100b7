// The master-key wraps: RSA (PKCS#1 v1.5, decoded by the SDK itself), AES/GCM and the PKCS#1
// decoder — round trips, and a wrong key, the wrong kind of key or a changed envelope always
// an error, never a content key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AesMasterKey } from '../../../services/client/encryption/aes-master-key.ts';
import { RsaMasterKey } from '../../../services/client/encryption/rsa-master-key.ts';
import { ClientEncryptionError } from '../../../services/client/encryption/client-encryption-error.ts';
import { CEK_ALG_AES_CTR, type Envelope } from '../../../services/client/encryption/envelope-headers.ts';
import { decodePkcs1v15, encodePkcs1v15 } from '../../../services/client/encryption/pkcs1-v15-padding.ts';
import type { MasterKey } from '../../../services/client/encryption/master-key.ts';

const pair = (bits: number, type: 'pkcs1' | 'pkcs8') => generateKeyPairSync('rsa', {
  modulusLength: bits, privateKeyEncoding: { type, format: 'pem' }, publicKeyEncoding: { type: type === 'pkcs1' ? 'pkcs1' : 'spki', format: 'pem' },
});
const rsaA = pair(2048, 'pkcs1');
const rsaB = pair(2048, 'pkcs8');
const rsaC = pair(3072, 'pkcs8');

async function envelopeOf(key: MasterKey): Promise<{ envelope: Envelope; cek: Buffer; iv: Buffer }> {
  const { key: k, wrapped } = await key.newContentKey();
  return { envelope: { ...wrapped, cekAlgorithm: CEK_ALG_AES_CTR, wrapAlgorithm: key.wrapAlgorithm, matDesc: key.matDesc }, cek: k.cek, iv: k.iv };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ClientEncryptionError, String(err));
    return err.code;
  }
  throw new Error('expected an error');
}

test('PKCS#1 v1.5 decoding inverts the encoding and refuses every malformed block', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.uint8Array({ minLength: 256, maxLength: 256 }), (m, pad) => {
    const padding = Buffer.from(pad.map((b) => b || 1));
    const em = encodePkcs1v15(m, 256, padding);
    assert.deepEqual(decodePkcs1v15(em), Buffer.from(m));
    const broken = Buffer.from(em);
    broken[1] = 1;
    assert.equal(decodePkcs1v15(broken), undefined, 'block type 1');
    const lead = Buffer.from(em);
    lead[0] = 1;
    assert.equal(decodePkcs1v15(lead), undefined, 'leading byte');
  }));
  assert.equal(decodePkcs1v15(Buffer.from([0, 2, 1, 1, 1, 0, 9, 9])), undefined, 'padding under 8 bytes');
  assert.equal(decodePkcs1v15(Buffer.from([0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])), undefined, 'no separator');
  assert.equal(decodePkcs1v15(Buffer.alloc(0)), undefined);
});

test('an RSA wrap is standard RSAES-PKCS1-v1_5: what the public key encrypts, the padding decodes', () => {
  const em = privateDecrypt({ key: rsaA.privateKey, padding: constants.RSA_NO_PADDING }, publicEncrypt({ key: rsaA.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('sixteen byte iv!')));
  assert.deepEqual(decodePkcs1v15(em), Buffer.from('sixteen byte iv!'));
});

test('RSA: round trip with PKCS#1 and PKCS#8 keys; the public key alone encrypts but cannot read', async () => {
  for (const p of [rsaA, rsaB, rsaC]) {
    const writer = new RsaMasterKey({ publicKeyPem: p.publicKey });
    const { envelope, cek, iv } = await envelopeOf(writer);
    assert.equal(envelope.encryptedKey.length, rsaC === p ? 384 : 256);
    const got = await new RsaMasterKey({ privateKeyPem: p.privateKey }).unwrap(envelope);
    assert.deepEqual(got, { cek, iv });
    assert.equal(await code(writer.unwrap(envelope)), 'InvalidArgument');
  }
});

test('RSA: a wrong private key, another key size or a changed blob is WrongMasterKey', async () => {
  const { envelope } = await envelopeOf(new RsaMasterKey({ privateKeyPem: rsaA.privateKey }));
  assert.equal(await code(new RsaMasterKey({ privateKeyPem: rsaB.privateKey }).unwrap(envelope)), 'WrongMasterKey');
  assert.equal(await code(new RsaMasterKey({ privateKeyPem: rsaC.privateKey }).unwrap(envelope)), 'WrongMasterKey');
  const owner = new RsaMasterKey({ privateKeyPem: rsaA.privateKey });
  for (let i = 0; i < 20; i++) {
    const changed = Buffer.from(envelope.encryptedKey);
    changed[(i * 37) % changed.length] ^= 1 << (i % 8);
    assert.equal(await code(owner.unwrap({ ...envelope, encryptedKey: changed })), 'WrongMasterKey');
  }
  assert.equal(await code(owner.unwrap({ ...envelope, encryptedIv: envelope.encryptedKey })), 'WrongMasterKey', 'a 32-byte value where the IV should be');
});

test('AES/GCM: round trip; a wrong key, a changed blob or another cek-alg is WrongMasterKey', async () => {
  const k = randomBytes(32);
  const key = new AesMasterKey(k, { id: 'k1' });
  const { envelope, cek, iv } = await envelopeOf(key);
  assert.equal(envelope.encryptedKey.length, 12 + 32 + 16);
  assert.equal(envelope.encryptedIv.length, 12 + 16 + 16);
  assert.deepEqual(await new AesMasterKey(k).unwrap(envelope), { cek, iv });
  assert.equal(await code(new AesMasterKey(randomBytes(32)).unwrap(envelope)), 'WrongMasterKey');
  const changed = Buffer.from(envelope.encryptedIv);
  changed[20] ^= 0x80;
  assert.equal(await code(key.unwrap({ ...envelope, encryptedIv: changed })), 'WrongMasterKey');
  assert.equal(await code(key.unwrap({ ...envelope, cekAlgorithm: 'AES/GCM/NoPadding' })), 'WrongMasterKey', 'the cek-alg is bound');
  assert.equal(await code(key.unwrap({ ...envelope, encryptedKey: Buffer.alloc(5) })), 'WrongMasterKey');
  assert.throws(() => new AesMasterKey(randomBytes(16)), /32 bytes/);
});

test('the wrong kind of master key is MasterKeyMismatch, naming the object\'s wrap', async () => {
  const { envelope } = await envelopeOf(new AesMasterKey(randomBytes(32)));
  const e = await new RsaMasterKey({ privateKeyPem: rsaA.privateKey }).unwrap(envelope).catch((err: unknown) => err);
  assert.ok(e instanceof ClientEncryptionError);
  assert.equal(e.code, 'MasterKeyMismatch');
  assert.match(e.message, /AES\/GCM/);
  assert.throws(() => new RsaMasterKey({ privateKeyPem: 'not a pem' }), (err: unknown) => err instanceof ClientEncryptionError && err.code === 'InvalidArgument');
  const huge = generateKeyPairSync('rsa', { modulusLength: 4160, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  assert.throws(() => new RsaMasterKey({ publicKeyPem: huge.publicKey }), /2 KiB of user metadata/);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  assert.throws(() => new RsaMasterKey({ privateKeyPem: ec.privateKey }), /not RSA/);
});

test('every content key is fresh', async () => {
  const key = new AesMasterKey(randomBytes(32));
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const { cek, iv } = await envelopeOf(key);
    assert.equal(iv.subarray(8, 12).toString('hex'), '00000000');
    seen.add(cek.toString('hex')).add(iv.toString('hex'));
  }
  assert.equal(seen.size, 100);
});

test('GCM content keys: a 12-byte IV, unwrapped only as the cek-alg that was written', async () => {
  for (const key of [new RsaMasterKey({ privateKeyPem: rsaA.privateKey }), new AesMasterKey(randomBytes(32))]) {
    const { key: k, wrapped } = await key.newContentKey('AES/GCM/NoPadding');
    assert.equal(k.iv.length, 12);
    const envelope: Envelope = { ...wrapped, cekAlgorithm: 'AES/GCM/NoPadding', wrapAlgorithm: key.wrapAlgorithm, matDesc: {} };
    assert.deepEqual(await key.unwrap(envelope), k);
    assert.equal(await code(key.unwrap({ ...envelope, cekAlgorithm: CEK_ALG_AES_CTR })), 'WrongMasterKey', 'a 12-byte IV is no CTR counter block');
  }
});

test('a key ring picks the key by wrap algorithm and material description', async () => {
  const { chooseMasterKey } = await import('../../../services/client/encryption/master-key.ts');
  const aes2024 = new AesMasterKey(randomBytes(32), { year: '2024' });
  const aes2025 = new AesMasterKey(randomBytes(32), { year: '2025' });
  const rsa = new RsaMasterKey({ privateKeyPem: rsaA.privateKey });
  const env = (wrapAlgorithm: string, matDesc: Record<string, string>): Envelope => ({ encryptedKey: Buffer.alloc(1), encryptedIv: Buffer.alloc(1), cekAlgorithm: CEK_ALG_AES_CTR, wrapAlgorithm, matDesc });
  assert.equal(chooseMasterKey(env('AES/GCM', { year: '2024' }), [aes2025, rsa, aes2024]), aes2024);
  assert.equal(chooseMasterKey(env('AES/GCM', { year: '2023' }), [rsa, aes2025, aes2024]), aes2025, 'same algorithm, no description match');
  assert.equal(chooseMasterKey(env('RSA/NONE/PKCS1Padding', {}), [aes2025, rsa]), rsa);
  assert.equal(chooseMasterKey(env('KMS/ALICLOUD', {}), [aes2025, rsa]), aes2025, 'nothing fits: the first key reports the mismatch');
  // End to end: an object of the 2024 key is read by a ring led by the 2025 key.
  const { envelope, cek } = await envelopeOf(aes2024);
  assert.deepEqual((await chooseMasterKey(envelope, [aes2025, aes2024]).unwrap(envelope)).cek, cek);
});
