// One encrypted block: `nonce ‖ ciphertext ‖ tag`, AES-256-GCM under the object's content key.
//
// - The content key is derived (HKDF-SHA256) from the data key and the object's random 16-byte
//   salt, so even a customer key (SSE-C) reused for many objects encrypts each under its own key.
// - The nonce is an 8-byte random prefix chosen per write (one PutObject, one UploadPart) and the
//   block's u32 index: unique within a write by the counter, across the writes of one object
//   (parts, retried parts) by the prefix. It is stored in the block, so reading needs no more.
// - The associated data binds the format version, the salt (the object), the part number, the
//   block index and whether the block is its part's last: a block moved to another place or
//   object, or a part cut short at a block boundary, fails authentication.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { NONCE_BYTES, TAG_BYTES } from './block-layout.ts';

export const FORMAT_TAG = 'ZSSE1';
export const SALT_BYTES = 16;
export const DATA_KEY_BYTES = 32;
const NONCE_PREFIX_BYTES = NONCE_BYTES - 4;
const ALGORITHM = 'aes-256-gcm';

export class BlockAuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockAuthenticationError';
  }
}

/** The key blocks of one object are encrypted under, from its data key and salt. */
export function contentKey(dataKey: Buffer, salt: Buffer): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error(`a data key is ${DATA_KEY_BYTES} bytes, not ${dataKey.length}`);
  if (salt.length !== SALT_BYTES) throw new Error(`an object salt is ${SALT_BYTES} bytes, not ${salt.length}`);
  return Buffer.from(hkdfSync('sha256', dataKey, salt, 'zonestore/sse/v1/content', 32));
}

/**
 * ETag of an SSE-KMS or SSE-C object: not its plaintext MD5 (as in S3), which would let anyone
 * who can read the metadata confirm a guessed content, but a keyed digest of it.
 */
export function keyedEtag(key: Buffer, md5Hex: string): string {
  return createHmac('sha256', key).update('zonestore/sse/v1/etag\0').update(md5Hex).digest('hex').slice(0, 32);
}

/** SSE-C: what is stored to recognise the customer's key again (the key itself never is). */
export function customerKeyCheck(customerKey: Buffer, salt: Buffer): Buffer {
  return createHmac('sha256', customerKey).update('zonestore/sse-c/v1/key-check\0').update(salt).digest();
}

export function blockAad(salt: Buffer, part: number, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(FORMAT_TAG.length + SALT_BYTES + 9);
  let at = aad.write(FORMAT_TAG, 0, 'latin1');
  at += salt.copy(aad, at);
  at = aad.writeUInt32BE(part, at);
  at = aad.writeUInt32BE(index, at);
  aad.writeUInt8(final ? 1 : 0, at);
  return aad;
}

export function newNoncePrefix(): Buffer {
  return randomBytes(NONCE_PREFIX_BYTES);
}

export function nonceOf(prefix: Buffer, index: number): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  prefix.copy(nonce, 0, 0, NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  return nonce;
}

export interface BlockPlace {
  readonly salt: Buffer;
  readonly part: number;
  readonly index: number;
  readonly final: boolean;
}

/** One block being encrypted: plaintext in by pieces, then the rest of the ciphertext and the tag. */
export interface BlockEncryption {
  update(plain: Uint8Array): Buffer;
  finish(): Buffer[];
}

export function startBlock(key: Buffer, nonce: Buffer, place: BlockPlace): BlockEncryption {
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(blockAad(place.salt, place.part, place.index, place.final));
  return {
    update: (plain) => cipher.update(plain),
    finish: () => {
      const rest = cipher.final();
      return rest.length > 0 ? [rest, cipher.getAuthTag()] : [cipher.getAuthTag()];
    },
  };
}

/** A whole block at once: `nonce ‖ ciphertext ‖ tag`. */
export function encryptBlock(key: Buffer, nonce: Buffer, place: BlockPlace, plain: Uint8Array): Buffer {
  const b = startBlock(key, nonce, place);
  return Buffer.concat([nonce, b.update(plain), ...b.finish()]);
}

/** The plaintext of a stored block; BlockAuthenticationError when it is not this place's block unmodified. */
export function decryptBlock(key: Buffer, place: BlockPlace, stored: Uint8Array): Buffer {
  if (stored.length <= NONCE_BYTES + TAG_BYTES) {
    throw new BlockAuthenticationError(`part ${place.part} block ${place.index}: ${stored.length} bytes is too short`);
  }
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.length);
  const nonce = bytes.subarray(0, NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(blockAad(place.salt, place.part, place.index, place.final));
  decipher.setAuthTag(tag);
  const body = decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES));
  try {
    const rest = decipher.final();
    return rest.length === 0 ? body : Buffer.concat([body, rest]);
  } catch {
    throw new BlockAuthenticationError(`part ${place.part} block ${place.index} failed authentication (tampered, moved or truncated)`);
  }
}
