// The user's own AES-256 key as master key. The OSS format defines no symmetric user key, so
// this takes the AWS S3 encryption client's (v2) name and shape: wrap-alg `AES/GCM`, each
// wrapped value = 12-byte nonce ‖ ciphertext ‖ 16-byte tag, the content algorithm name bound as
// associated data. GCM's tag makes a wrong key (or a tampered envelope) a certain error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ClientEncryptionError } from './client-encryption-error.ts';
import { CEK_ALG_AES_CTR, WRAP_ALG_AES_GCM, type ContentAlgorithm, type Envelope } from './envelope-headers.ts';
import { assertWrapAlgorithm, checkedContentKey, CONTENT_KEY_BYTES, ivBytesFor, randomContentKey, type ContentKey, type MasterKey, type WrappedContentKey } from './master-key.ts';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class AesMasterKey implements MasterKey {
  readonly wrapAlgorithm = WRAP_ALG_AES_GCM;
  readonly matDesc: Record<string, string>;
  private readonly key: Buffer;

  constructor(key: Uint8Array, matDesc: Record<string, string> = {}) {
    if (key.length !== CONTENT_KEY_BYTES) throw new ClientEncryptionError('InvalidArgument', `an AES master key is ${CONTENT_KEY_BYTES} bytes (AES-256), not ${key.length}`);
    this.key = Buffer.from(key);
    this.matDesc = { ...matDesc };
  }

  async newContentKey(cekAlgorithm: ContentAlgorithm = CEK_ALG_AES_CTR): Promise<{ key: ContentKey; wrapped: WrappedContentKey }> {
    const key = randomContentKey(cekAlgorithm);
    return { key, wrapped: { encryptedKey: this.seal(key.cek, cekAlgorithm), encryptedIv: this.seal(key.iv, cekAlgorithm) } };
  }

  async unwrap(envelope: Envelope): Promise<ContentKey> {
    assertWrapAlgorithm(envelope, this);
    return checkedContentKey(this.open(envelope.encryptedKey, envelope.cekAlgorithm), this.open(envelope.encryptedIv, envelope.cekAlgorithm), 'the AES master key', ivBytesFor(envelope.cekAlgorithm));
  }

  private seal(data: Buffer, cekAlgorithm: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(cekAlgorithm, 'utf8'));
    const body = Buffer.concat([c.update(data), c.final()]);
    return Buffer.concat([nonce, body, c.getAuthTag()]);
  }

  private open(blob: Buffer, cekAlgorithm: string): Buffer | undefined {
    if (blob.length < NONCE_BYTES + TAG_BYTES) return undefined;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, blob.subarray(0, NONCE_BYTES)).setAAD(Buffer.from(cekAlgorithm, 'utf8'));
      d.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
      return Buffer.concat([d.update(blob.subarray(NONCE_BYTES, blob.length - TAG_BYTES)), d.final()]);
    } catch {
      return undefined;
    }
  }
}
