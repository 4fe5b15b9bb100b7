// The user's RSA key pair as master key (wrap-alg RSA/NONE/PKCS1Padding, as the OSS clients):
// the CEK and the IV are each encrypted with the public key; the private key unwraps them.
// Writing needs only the public key; reading needs the private key.
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { ClientEncryptionError } from './client-encryption-error.ts';
import { WRAP_ALG_RSA, type ContentAlgorithm, type Envelope } from './envelope-headers.ts';
import { decodePkcs1v15 } from './pkcs1-v15-padding.ts';
import { assertWrapAlgorithm, checkedContentKey, ivBytesFor, randomContentKey, type ContentKey, type MasterKey, type WrappedContentKey } from './master-key.ts';

/** Two wrapped values of this size, base64, plus the rest of the envelope stay under 2 KiB. */
export const MAX_RSA_KEY_BITS = 4096;

export interface RsaMasterKeyOptions {
  /** PEM: PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`). Needed to read. */
  privateKeyPem?: string;
  /** PEM: PKCS#1 (`RSA PUBLIC KEY`) or SPKI (`PUBLIC KEY`). Derived from the private key if absent. */
  publicKeyPem?: string;
  matDesc?: Record<string, string>;
}

export class RsaMasterKey implements MasterKey {
  readonly wrapAlgorithm = WRAP_ALG_RSA;
  readonly matDesc: Record<string, string>;
  private readonly privateKey: KeyObject | undefined;
  private readonly publicKey: KeyObject;

  constructor(o: RsaMasterKeyOptions) {
    try {
      this.privateKey = o.privateKeyPem ? createPrivateKey(o.privateKeyPem) : undefined;
      const pub = o.publicKeyPem ? createPublicKey(o.publicKeyPem) : this.privateKey ? createPublicKey(this.privateKey) : undefined;
      if (!pub) throw new Error('give a private key, a public key, or both');
      this.publicKey = pub;
    } catch (err) {
      throw new ClientEncryptionError('InvalidArgument', `not a usable RSA key: ${(err as Error).message}`, { cause: err });
    }
    if (this.publicKey.asymmetricKeyType !== 'rsa') throw new ClientEncryptionError('InvalidArgument', `the key is ${this.publicKey.asymmetricKeyType}, not RSA`);
    const bits = this.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits > MAX_RSA_KEY_BITS) {
      throw new ClientEncryptionError('InvalidArgument', `a ${bits}-bit RSA key makes an envelope larger than S3's 2 KiB of user metadata; use at most ${MAX_RSA_KEY_BITS} bits`);
    }
    this.matDesc = { ...(o.matDesc ?? {}) };
  }

  async newContentKey(cekAlgorithm?: ContentAlgorithm): Promise<{ key: ContentKey; wrapped: WrappedContentKey }> {
    const key = randomContentKey(cekAlgorithm);
    const encrypt = (data: Buffer) => publicEncrypt({ key: this.publicKey, padding: constants.RSA_PKCS1_PADDING }, data);
    return { key, wrapped: { encryptedKey: encrypt(key.cek), encryptedIv: encrypt(key.iv) } };
  }

  async unwrap(envelope: Envelope): Promise<ContentKey> {
    assertWrapAlgorithm(envelope, this);
    if (!this.privateKey) throw new ClientEncryptionError('InvalidArgument', 'reading an RSA-wrapped object needs the private key; only the public key was given');
    return checkedContentKey(this.decrypt(envelope.encryptedKey), this.decrypt(envelope.encryptedIv), 'the RSA private key', ivBytesFor(envelope.cekAlgorithm));
  }

  private decrypt(data: Buffer): Buffer | undefined {
    const modulusBytes = Math.ceil((this.privateKey!.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    // A blob of another length was not made by this key's public half.
    if (data.length !== modulusBytes) return undefined;
    let raw: Buffer;
    try {
      raw = privateDecrypt({ key: this.privateKey!, padding: constants.RSA_NO_PADDING }, data);
    } catch {
      return undefined;
    }
    return decodePkcs1v15(raw);
  }
}
