// Access key secrets are sealed before they leave the gateway: AES-256-GCM under a
// key-encrypting key (KEK), with the access key id as associated data, so a sealed secret
// copied onto another key's record does not open. Meta stores, replicates and snapshots only
// the sealed bytes. The KEK is derived (HKDF-SHA256) from the root account's secret, which
// every gateway of a cluster already has, unless ZONESTORE_SECRETS_KEY gives one (base64 of 32
// bytes). Rotating the root secret changes the derived KEK, so a cluster that will rotate it
// must set ZONESTORE_SECRETS_KEY first (docs/admin-api.md).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const SECRETS_KEY_ENV = 'ZONESTORE_SECRETS_KEY';
const KEK_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of a sealed secret: the format (and KEK derivation) it was sealed with. */
const SEALED_FORMAT_V1 = 1;
const HKDF_SALT = 'zonestore/access-key-secrets';
const HKDF_INFO = 'kek/v1';
const AAD_PREFIX = 'zonestore-access-key:';

/** The KEK derived from the root account's secret. */
export function deriveKeyEncryptingKey(rootSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), HKDF_SALT, HKDF_INFO, KEK_BYTES));
}

/** ZONESTORE_SECRETS_KEY if set (it must be base64 of 32 bytes), else the root-derived KEK. */
export function keyEncryptingKey(rootSecret: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = env[SECRETS_KEY_ENV];
  if (given === undefined || given === '') return deriveKeyEncryptingKey(rootSecret);
  const kek = Buffer.from(given, 'base64');
  if (kek.length !== KEK_BYTES || kek.toString('base64').replace(/=+$/, '') !== given.trim().replace(/=+$/, '')) {
    throw new Error(`${SECRETS_KEY_ENV} must be the base64 of ${KEK_BYTES} bytes`);
  }
  return kek;
}

export class SecretSealer {
  constructor(private readonly kek: Buffer) {
    if (kek.length !== KEK_BYTES) throw new Error(`a key-encrypting key has ${KEK_BYTES} bytes`);
  }

  /** format ‖ nonce ‖ ciphertext ‖ tag. `nonce` is for tests; a fresh random one otherwise. */
  seal(accessKeyId: string, secret: string, nonce: Buffer = randomBytes(NONCE_BYTES)): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', this.kek, nonce);
    cipher.setAAD(Buffer.from(AAD_PREFIX + accessKeyId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.of(SEALED_FORMAT_V1), nonce, body, cipher.getAuthTag()]));
  }

  /** The secret, or undefined when the bytes do not open under this KEK for this key id. */
  open(accessKeyId: string, sealed: Uint8Array): string | undefined {
    const b = Buffer.from(sealed);
    if (b.length < 1 + NONCE_BYTES + TAG_BYTES || b[0] !== SEALED_FORMAT_V1) return undefined;
    const nonce = b.subarray(1, 1 + NONCE_BYTES);
    const tag = b.subarray(b.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.kek, nonce);
      decipher.setAAD(Buffer.from(AAD_PREFIX + accessKeyId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(b.subarray(1 + NONCE_BYTES, b.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
