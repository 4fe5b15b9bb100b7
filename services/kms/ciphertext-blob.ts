// The ciphertext blob of Encrypt and GenerateDataKey (what SSE stores with an object): self-
// describing, so Decrypt needs no key id.
//   magic "ZK" | format 1 | key id length (1) | key id (UTF-8) | key version (u32 BE)
//   | nonce (12) | AES-256-GCM ciphertext | tag (16)
// The header (everything before the nonce) and the canonical encryption context are the GCM
// associated data: a blob whose key id, version or context was changed fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { canonicalContext, type EncryptionContext } from './encryption-context.ts';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, MAX_CIPHERTEXT_BLOB_BYTES } from './kms-limits.ts';

const MAGIC0 = 0x5a; // Z
const MAGIC1 = 0x4b; // K
const FORMAT = 1;
const MAX_KEY_ID_BYTES = 64;

export interface ParsedBlob {
  keyId: string;
  version: number;
  header: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export type BlobParse = { ok: true; blob: ParsedBlob } | { ok: false; reason: string };

function headerOf(keyId: string, version: number): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length === 0 || id.length > MAX_KEY_ID_BYTES) throw new RangeError('key id length');
  const h = Buffer.alloc(4 + id.length + 4);
  h[0] = MAGIC0;
  h[1] = MAGIC1;
  h[2] = FORMAT;
  h[3] = id.length;
  id.copy(h, 4);
  h.writeUInt32BE(version, 4 + id.length);
  return h;
}

export function sealBlob(material: Buffer, keyId: string, version: number, plaintext: Uint8Array, context: EncryptionContext): Buffer {
  const header = headerOf(keyId, version);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', material, nonce);
  c.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([header, nonce, body, c.getAuthTag()]);
}

/** Never throws: whatever the bytes, a parse or a reason. */
export function parseBlob(bytes: Uint8Array): BlobParse {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length > MAX_CIPHERTEXT_BLOB_BYTES) return { ok: false, reason: 'the ciphertext is too long' };
  if (b.length < 4 || b[0] !== MAGIC0 || b[1] !== MAGIC1) return { ok: false, reason: 'not a ciphertext of this service' };
  if (b[2] !== FORMAT) return { ok: false, reason: `unknown ciphertext format ${b[2]}` };
  const idLen = b[3]!;
  const headerLen = 4 + idLen + 4;
  if (idLen === 0 || idLen > MAX_KEY_ID_BYTES || b.length < headerLen + GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    return { ok: false, reason: 'the ciphertext is truncated' };
  }
  let keyId: string;
  try {
    keyId = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(4, 4 + idLen));
  } catch {
    return { ok: false, reason: 'the ciphertext names no valid key' };
  }
  const version = b.readUInt32BE(4 + idLen);
  if (version === 0) return { ok: false, reason: 'the ciphertext names no key version' };
  return {
    ok: true,
    blob: {
      keyId, version,
      header: b.subarray(0, headerLen),
      nonce: b.subarray(headerLen, headerLen + GCM_NONCE_BYTES),
      ciphertext: b.subarray(headerLen + GCM_NONCE_BYTES, b.length - GCM_TAG_BYTES),
      tag: b.subarray(b.length - GCM_TAG_BYTES),
    },
  };
}

/** The plaintext, or undefined when the material, context or bytes do not authenticate. */
export function openBlob(material: Buffer, blob: ParsedBlob, context: EncryptionContext): Buffer | undefined {
  try {
    const d = createDecipheriv('aes-256-gcm', material, blob.nonce);
    d.setAAD(Buffer.concat([blob.header, canonicalContext(context)]));
    d.setAuthTag(blob.tag);
    return Buffer.concat([d.update(blob.ciphertext), d.final()]);
  } catch {
    return undefined;
  }
}
