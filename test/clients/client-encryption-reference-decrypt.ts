// A decryption of client-side encrypted objects written from the OSS format description alone
// (docs/client-encryption.md), with node:crypto and nothing of services/client/: the proof that
// what the SDK stores is the documented, interoperable format and not just something it can
// read back itself.
import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';

export type Unwrapper =
  | { wrapAlg: 'RSA/NONE/PKCS1Padding'; privateKey: KeyObject }
  | { wrapAlg: 'AES/GCM'; key: Buffer }
  | { wrapAlg: 'KMS/ALICLOUD'; decrypt: (blob: Buffer) => Promise<Buffer> };

async function unwrap(blob: Buffer, u: Unwrapper, cekAlg: string): Promise<Buffer> {
  switch (u.wrapAlg) {
    case 'RSA/NONE/PKCS1Padding': {
      // EM = 00 02 <non-zero padding> 00 <message>
      const em = privateDecrypt({ key: u.privateKey, padding: constants.RSA_NO_PADDING }, blob);
      if (em[0] !== 0 || em[1] !== 2) throw new Error('not PKCS#1 v1.5 type 2');
      const zero = em.indexOf(0, 2);
      if (zero < 10) throw new Error('PKCS#1 v1.5 padding too short');
      return em.subarray(zero + 1);
    }
    case 'AES/GCM': {
      const d = createDecipheriv('aes-256-gcm', u.key, blob.subarray(0, 12));
      d.setAAD(Buffer.from(cekAlg));
      d.setAuthTag(blob.subarray(blob.length - 16));
      return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
    }
    case 'KMS/ALICLOUD':
      return u.decrypt(blob);
  }
}

/** The plaintext of an object from its user metadata (names without prefix) and its stored bytes. */
export async function referenceDecrypt(meta: Record<string, string>, ciphertext: Buffer, u: Unwrapper): Promise<Buffer> {
  const cekAlg = meta['client-side-encryption-cek-alg']!;
  if (cekAlg !== 'AES/CTR/NoPadding' && cekAlg !== 'AES/GCM/NoPadding') throw new Error(`cek-alg ${cekAlg}`);
  if (meta['client-side-encryption-wrap-alg'] !== u.wrapAlg) throw new Error(`wrap-alg ${meta['client-side-encryption-wrap-alg']}`);
  const cek = await unwrap(Buffer.from(meta['client-side-encryption-key']!, 'base64'), u, cekAlg);
  const iv = await unwrap(Buffer.from(meta['client-side-encryption-start']!, 'base64'), u, cekAlg);
  if (cekAlg === 'AES/GCM/NoPadding') {
    // AES-256-GCM, 12-byte IV, the 16-byte tag after the ciphertext, no associated data.
    if (cek.length !== 32 || iv.length !== 12) throw new Error(`unwrapped a ${cek.length}-byte key and a ${iv.length}-byte IV`);
    const g = createDecipheriv('aes-256-gcm', cek, iv);
    g.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    return Buffer.concat([g.update(ciphertext.subarray(0, ciphertext.length - 16)), g.final()]);
  }
  if (cek.length !== 32 || iv.length !== 16) throw new Error(`unwrapped a ${cek.length}-byte key and a ${iv.length}-byte IV`);
  // AES-256-CTR, the IV as the first counter block, one stream over the whole object.
  const d = createDecipheriv('aes-256-ctr', cek, iv);
  return Buffer.concat([d.update(ciphertext), d.final()]);
}
