// Key material at rest: wrapped by the cluster's root key with AES-256-GCM, the key id and
// version bound as associated data, so a wrapped blob moved to another key or version (or
// altered) fails to unwrap rather than yielding another key's material.
//   wrapped = nonce(12) ‖ ciphertext ‖ tag(16)
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KmsError } from './data-key-service.ts';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, KEY_MATERIAL_BYTES } from './kms-limits.ts';

/** What a wrapped blob is bound to: one version of one key's material, or a key's import private key. */
export type WrapPurpose =
  | { kind: 'material'; keyId: string; version: number }
  | { kind: 'import-private-key'; keyId: string };

function aadOf(p: WrapPurpose): Buffer {
  return Buffer.from(p.kind === 'material' ? `zonestore/kms/material/v1:${p.keyId}:${p.version}` : `zonestore/kms/import-key/v1:${p.keyId}`, 'utf8');
}

export class RootKeyWrapper {
  private readonly rootKey: Buffer;

  constructor(rootKey: Buffer) {
    if (rootKey.length !== KEY_MATERIAL_BYTES) throw new Error(`the KMS root key has ${KEY_MATERIAL_BYTES} bytes (got ${rootKey.length})`);
    this.rootKey = Buffer.from(rootKey);
  }

  wrap(plaintext: Uint8Array, purpose: WrapPurpose): Buffer {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const c = createCipheriv('aes-256-gcm', this.rootKey, nonce);
    c.setAAD(aadOf(purpose));
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([nonce, body, c.getAuthTag()]);
  }

  /** Throws KmsError('KMSInternalException') when the blob was not wrapped for this purpose by this root key. */
  unwrap(wrapped: Uint8Array, purpose: WrapPurpose): Buffer {
    const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    if (w.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) throw new KmsError('KMSInternalException', 'stored key material is truncated');
    try {
      const d = createDecipheriv('aes-256-gcm', this.rootKey, w.subarray(0, GCM_NONCE_BYTES));
      d.setAAD(aadOf(purpose));
      d.setAuthTag(w.subarray(w.length - GCM_TAG_BYTES));
      return Buffer.concat([d.update(w.subarray(GCM_NONCE_BYTES, w.length - GCM_TAG_BYTES)), d.final()]);
    } catch {
      throw new KmsError('KMSInternalException', 'stored key material does not unwrap with this root key (wrong root key, or altered)');
    }
  }
}
