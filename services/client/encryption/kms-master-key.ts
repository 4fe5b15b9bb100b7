// A KMS customer master key as master key (wrap-alg KMS/ALICLOUD, as the OSS clients): the CEK
// comes from GenerateDataKey (the KMS makes it and returns it wrapped), the IV is wrapped with
// Encrypt, and both are unwrapped with Decrypt. The master key itself never leaves the KMS;
// whoever may call kms:Decrypt on it can read the objects.
import { ClientEncryptionError } from './client-encryption-error.ts';
import { CEK_ALG_AES_CTR, WRAP_ALG_KMS, type ContentAlgorithm, type Envelope } from './envelope-headers.ts';
import { assertWrapAlgorithm, checkedContentKey, ivBytesFor, randomContentKey, type ContentKey, type MasterKey, type WrappedContentKey } from './master-key.ts';
import { KmsRequestError, type KmsJsonClient } from '../kms/kms-json-client.ts';

/** KMS errors that mean "this blob is not yours to open", as opposed to the KMS being unavailable. */
const WRONG_KEY_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

export class KmsMasterKey implements MasterKey {
  readonly wrapAlgorithm = WRAP_ALG_KMS;
  readonly matDesc: Record<string, string>;

  constructor(private readonly kms: KmsJsonClient, readonly keyId: string, o: { matDesc?: Record<string, string>; encryptionContext?: Record<string, string> } = {}) {
    if (!keyId) throw new ClientEncryptionError('InvalidArgument', 'a KMS master key needs a key id, ARN or alias');
    this.matDesc = { ...(o.matDesc ?? {}) };
    this.context = o.encryptionContext;
  }

  private readonly context: Record<string, string> | undefined;

  async newContentKey(cekAlgorithm: ContentAlgorithm = CEK_ALG_AES_CTR): Promise<{ key: ContentKey; wrapped: WrappedContentKey }> {
    const { iv } = randomContentKey(cekAlgorithm);
    try {
      const dk = await this.kms.generateDataKey(this.keyId, this.context);
      const wrappedIv = await this.kms.encrypt(this.keyId, iv, this.context);
      return { key: checkedContentKey(dk.plaintext, iv, 'GenerateDataKey', iv.length), wrapped: { encryptedKey: dk.ciphertextBlob, encryptedIv: wrappedIv.ciphertextBlob } };
    } catch (err) {
      throw kmsError(err, `KMS key ${this.keyId}`);
    }
  }

  async unwrap(envelope: Envelope): Promise<ContentKey> {
    assertWrapAlgorithm(envelope, this);
    try {
      const cek = await this.kms.decrypt(envelope.encryptedKey, this.context);
      const iv = await this.kms.decrypt(envelope.encryptedIv, this.context);
      return checkedContentKey(cek.plaintext, iv.plaintext, `KMS key ${cek.keyId}`, ivBytesFor(envelope.cekAlgorithm));
    } catch (err) {
      throw kmsError(err, 'the KMS');
    }
  }
}

function kmsError(err: unknown, what: string): Error {
  if (err instanceof ClientEncryptionError) return err;
  if (err instanceof KmsRequestError && WRONG_KEY_ERRORS.has(err.type)) {
    return new ClientEncryptionError('WrongMasterKey', `${what} cannot unwrap this object's content key (${err.type}: ${err.message})`, { cause: err });
  }
  const detail = err instanceof KmsRequestError ? `${err.type}: ${err.message}` : (err as Error).message;
  return new ClientEncryptionError('KmsFailure', `${what}: ${detail}`, { cause: err });
}
