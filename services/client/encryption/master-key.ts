// A master key wraps each object's content key (CEK) and IV; what is stored is only ever the
// wrapped form (envelope encryption). Three kinds: the user's RSA key pair, the user's own
// AES-256 key, or a KMS customer master key that never leaves the KMS.
import { randomBytes } from 'node:crypto';
import { ClientEncryptionError } from './client-encryption-error.ts';
import { ossShapedIv } from './ctr-counter.ts';
import { CEK_ALG_AES_GCM, type ContentAlgorithm, type Envelope } from './envelope-headers.ts';

/** AES-256. */
export const CONTENT_KEY_BYTES = 32;

export interface ContentKey {
  /** The 256-bit content-encryption key. */
  cek: Buffer;
  /** The CTR stream's first counter block. */
  iv: Buffer;
}

export interface WrappedContentKey {
  encryptedKey: Buffer;
  encryptedIv: Buffer;
}

export interface MasterKey {
  /** The `-wrap-alg` value this key writes and is able to unwrap. */
  readonly wrapAlgorithm: string;
  /** The `-matdesc` description written with every object. */
  readonly matDesc: Record<string, string>;
  /** A fresh content key and IV for one object (IV shaped for the content algorithm), and their wrapped forms. */
  newContentKey(cekAlgorithm?: ContentAlgorithm): Promise<{ key: ContentKey; wrapped: WrappedContentKey }>;
  /** The content key of a stored envelope; fails with WrongMasterKey when this key did not wrap it. */
  unwrap(envelope: Envelope): Promise<ContentKey>;
}

/** CTR: a 16-byte counter block; GCM: the 12-byte nonce GCM is defined for. */
export function ivBytesFor(cekAlgorithm: string): number {
  return cekAlgorithm === CEK_ALG_AES_GCM ? 12 : 16;
}

/** A random CEK and IV: OSS-shaped for CTR, 12 random bytes for GCM. */
export function randomContentKey(cekAlgorithm?: ContentAlgorithm): ContentKey {
  const cek = randomBytes(CONTENT_KEY_BYTES);
  return { cek, iv: cekAlgorithm === CEK_ALG_AES_GCM ? randomBytes(12) : ossShapedIv(randomBytes(12)) };
}

/**
 * What every unwrap ends with: a wrap can only have hidden a 32-byte key and a 16-byte (CTR) or
 * 12-byte (GCM) IV, so
 * any other length means the key that unwrapped was not the key that wrapped.
 */
export function checkedContentKey(cek: Buffer | undefined, iv: Buffer | undefined, what: string, ivBytes: number): ContentKey {
  if (!cek || !iv || cek.length !== CONTENT_KEY_BYTES || iv.length !== ivBytes) {
    throw new ClientEncryptionError('WrongMasterKey', `${what} did not unwrap this object's content key: it was encrypted under another master key`);
  }
  return { cek, iv };
}

/** Refuses an envelope of another wrap algorithm before trying to unwrap it. */
export function assertWrapAlgorithm(envelope: Envelope, key: MasterKey): void {
  if (envelope.wrapAlgorithm.toLowerCase() !== key.wrapAlgorithm.toLowerCase()) {
    throw new ClientEncryptionError('MasterKeyMismatch',
      `the object's content key is wrapped with ${envelope.wrapAlgorithm}, but this client holds a ${key.wrapAlgorithm} master key`);
  }
}

/**
 * Which of the keys to unwrap an envelope with, as the OSS clients pick one: the same wrap
 * algorithm and the same material description first, then the same wrap algorithm, else the
 * first key (whose unwrap then reports the mismatch).
 */
export function chooseMasterKey(envelope: Envelope, keys: readonly MasterKey[]): MasterKey {
  if (keys.length === 0) throw new ClientEncryptionError('InvalidArgument', 'no master key to unwrap with');
  const sameAlg = keys.filter((k) => k.wrapAlgorithm.toLowerCase() === envelope.wrapAlgorithm.toLowerCase());
  return sameAlg.find((k) => sameDescription(k.matDesc, envelope.matDesc)) ?? sameAlg[0] ?? keys[0]!;
}

function sameDescription(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}
