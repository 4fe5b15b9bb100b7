// AES-256-CTR over an object's bytes (cek-alg AES/CTR/NoPadding): one keystream for the whole
// object, entered at any 16-byte block, so parts and ranges are enciphered independently. And
// AES-256-GCM over a whole object (AES/GCM/NoPadding), whose ranges are read as CTR.
import { createCipheriv, createDecipheriv, createHash, type Cipher } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ClientEncryptionError } from './client-encryption-error.ts';
import { CTR_BLOCK_BYTES, counterAt } from './ctr-counter.ts';
import type { ContentKey } from './master-key.ts';
import { GCM_TAG_BYTES } from './envelope-headers.ts';

/** A CTR cipher positioned at `offset`, which must start a block (CTR encrypts and decrypts alike). */
export function ctrCipherAt(key: ContentKey, offset: number): Cipher {
  if (offset % CTR_BLOCK_BYTES !== 0) throw new ClientEncryptionError('InvalidArgument', `a CTR stream is entered on a ${CTR_BLOCK_BYTES}-byte boundary, not at ${offset}`);
  return createCipheriv('aes-256-ctr', key.cek, counterAt(key.iv, offset));
}

/** `data` (which begins at object offset `offset`) enciphered; the same call deciphers. */
export function ctrTransformAt(key: ContentKey, offset: number, data: Uint8Array): Buffer {
  const c = ctrCipherAt(key, offset);
  return Buffer.concat([c.update(data), c.final()]);
}

export interface PlaintextCheck {
  /** Bytes the plaintext must have, when the envelope records it and the whole object is read. */
  length?: number;
  /** Base64 MD5 the plaintext must have, likewise. */
  md5?: string;
}

/**
 * Deciphers a ciphertext stream that starts at block-aligned `fetchStart`: drops `skip` bytes,
 * passes at most `limit` plaintext bytes, and — for a whole-object read — fails at the end if
 * the plaintext's length or MD5 differ from the envelope's. CTR itself cannot tell a wrong key
 * or a changed byte from the right data; this check is what turns that into an error.
 */
export class CtrDecryptStream extends Transform {
  private readonly cipher: Cipher;
  private toSkip: number;
  private left: number;
  private seen = 0;
  private readonly md5 = createHash('md5');

  constructor(key: ContentKey, fetchStart: number, skip: number, limit: number, private readonly check: PlaintextCheck) {
    super();
    this.cipher = ctrCipherAt(key, fetchStart);
    this.toSkip = skip;
    this.left = limit;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let plain = this.cipher.update(chunk);
    if (this.toSkip > 0) {
      const drop = Math.min(this.toSkip, plain.length);
      plain = plain.subarray(drop);
      this.toSkip -= drop;
    }
    if (plain.length > this.left) plain = plain.subarray(0, this.left);
    this.left -= plain.length;
    this.seen += plain.length;
    if (this.check.md5 !== undefined) this.md5.update(plain);
    done(null, plain);
  }

  override _flush(done: TransformCallback): void {
    this.cipher.final();
    if (this.check.length !== undefined && this.seen !== this.check.length) {
      done(new ClientEncryptionError('IntegrityCheckFailed', `decrypted ${this.seen} bytes, the object was ${this.check.length} bytes when encrypted`));
      return;
    }
    if (this.check.md5 !== undefined && this.md5.digest('base64') !== this.check.md5) {
      done(new ClientEncryptionError('IntegrityCheckFailed', 'the decrypted data does not match the MD5 recorded at encryption: a wrong content key or changed ciphertext'));
      return;
    }
    done();
  }
}

// ---- AES/GCM/NoPadding (the authenticated content algorithm) ----

/** GCM's counter for plaintext block 0 with a 12-byte IV: IV ‖ 00000002 (J0 + 1, NIST SP 800-38D). */
export function gcmCounterBase(iv12: Uint8Array): Buffer {
  if (iv12.length !== 12) throw new ClientEncryptionError('InvalidArgument', `an AES-GCM IV is 12 bytes, not ${iv12.length}`);
  return Buffer.concat([iv12, Buffer.from([0, 0, 0, 2])]);
}

/** GCM's ciphertext is CTR from J0 + 1: a range of it deciphers with that counter, unauthenticated. */
export function gcmRangeKey(key: ContentKey): ContentKey {
  return { cek: key.cek, iv: gcmCounterBase(key.iv) };
}

/** AES-256-GCM of a whole object: ciphertext ‖ 16-byte tag, no associated data (as the AWS v2 format). */
export function gcmSeal(key: ContentKey, plaintext: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key.cek, key.iv);
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

/**
 * Deciphers a whole AES-GCM object as it streams, holding back the last 16 bytes (the tag), and
 * fails at the end — IntegrityCheckFailed — unless the tag (and the recorded MD5) verify.
 */
export class GcmDecryptStream extends Transform {
  private readonly decipher;
  private tail = Buffer.alloc(0);
  private readonly md5 = createHash('md5');

  constructor(key: ContentKey, private readonly check: PlaintextCheck) {
    super();
    this.decipher = createDecipheriv('aes-256-gcm', key.cek, key.iv);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const all = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = Math.max(0, all.length - GCM_TAG_BYTES);
    this.tail = Buffer.from(all.subarray(cut));
    const plain = this.decipher.update(all.subarray(0, cut));
    if (this.check.md5 !== undefined) this.md5.update(plain);
    done(null, plain);
  }

  override _flush(done: TransformCallback): void {
    if (this.tail.length < GCM_TAG_BYTES) {
      done(new ClientEncryptionError('IntegrityCheckFailed', 'the object is shorter than an AES-GCM tag'));
      return;
    }
    try {
      this.decipher.setAuthTag(this.tail);
      const last = this.decipher.final();
      if (this.check.md5 !== undefined) this.md5.update(last);
      if (this.check.md5 !== undefined && this.md5.digest('base64') !== this.check.md5) throw new Error('MD5');
      done(null, last);
    } catch {
      done(new ClientEncryptionError('IntegrityCheckFailed', 'the AES-GCM tag does not verify: the ciphertext, the tag or the content key is not what was encrypted'));
    }
  }
}
