// The OSS client-side encryption metadata: what an encrypted object carries beside its
// ciphertext, as user metadata. On the OSS dialect these are `x-oss-meta-<name>` headers, on
// the S3 dialect `x-amz-meta-<name>`; the gateway stores user metadata without the prefix, so
// an object written through one dialect reads back through the other with the same names.
import { ClientEncryptionError } from './client-encryption-error.ts';

/** User-metadata names (no prefix), exactly as the OSS crypto clients write them. */
export const ENVELOPE_META = {
  /** The content key (CEK) wrapped by the master key, base64. */
  key: 'client-side-encryption-key',
  /** The IV (the CTR counter's start) wrapped by the master key, base64. */
  start: 'client-side-encryption-start',
  cekAlg: 'client-side-encryption-cek-alg',
  wrapAlg: 'client-side-encryption-wrap-alg',
  /** JSON object describing the master key (the client's choice; used to pick the key on read). */
  matDesc: 'client-side-encryption-matdesc',
  unencryptedContentLength: 'client-side-encryption-unencrypted-content-length',
  /** Base64 MD5 of the plaintext, as a Content-MD5 header would carry it. */
  unencryptedContentMd5: 'client-side-encryption-unencrypted-content-md5',
  /** Multipart: the whole plaintext's size, declared when the upload starts. */
  dataSize: 'client-side-encryption-data-size',
  /** Multipart: the size of every part but the last (a multiple of 16). */
  partSize: 'client-side-encryption-part-size',
} as const;

export const CEK_ALG_AES_CTR = 'AES/CTR/NoPadding';
/**
 * The authenticated alternative (not part of the OSS format; the AWS S3 encryption client's v2
 * content algorithm): AES-256-GCM over the whole object, 12-byte IV, the 16-byte tag appended.
 */
export const CEK_ALG_AES_GCM = 'AES/GCM/NoPadding';
export type ContentAlgorithm = typeof CEK_ALG_AES_CTR | typeof CEK_ALG_AES_GCM;
export const GCM_TAG_BYTES = 16;
export const WRAP_ALG_RSA = 'RSA/NONE/PKCS1Padding';
export const WRAP_ALG_KMS = 'KMS/ALICLOUD';
/** The user's own AES-256 key: AES-GCM as the AWS S3 encryption client (v2) names it; nonce ‖ ciphertext ‖ tag. */
export const WRAP_ALG_AES_GCM = 'AES/GCM';

export interface Envelope {
  encryptedKey: Buffer;
  encryptedIv: Buffer;
  cekAlgorithm: string;
  wrapAlgorithm: string;
  matDesc: Record<string, string>;
  unencryptedContentLength?: number;
  unencryptedContentMd5?: string;
  dataSize?: number;
  partSize?: number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The user metadata (names without prefix) that records `e`. */
export function encodeEnvelope(e: Envelope): Record<string, string> {
  const meta: Record<string, string> = {
    [ENVELOPE_META.key]: e.encryptedKey.toString('base64'),
    [ENVELOPE_META.start]: e.encryptedIv.toString('base64'),
    [ENVELOPE_META.cekAlg]: e.cekAlgorithm,
    [ENVELOPE_META.wrapAlg]: e.wrapAlgorithm,
  };
  // The OSS clients write no matdesc when the description is empty; doing the same keeps
  // their "same description → same key" lookup working for objects we write.
  if (Object.keys(e.matDesc).length > 0) meta[ENVELOPE_META.matDesc] = JSON.stringify(e.matDesc);
  if (e.unencryptedContentLength !== undefined) meta[ENVELOPE_META.unencryptedContentLength] = String(e.unencryptedContentLength);
  if (e.unencryptedContentMd5 !== undefined) meta[ENVELOPE_META.unencryptedContentMd5] = e.unencryptedContentMd5;
  if (e.dataSize !== undefined) meta[ENVELOPE_META.dataSize] = String(e.dataSize);
  if (e.partSize !== undefined) meta[ENVELOPE_META.partSize] = String(e.partSize);
  return meta;
}

/** Whether user metadata says the object is client-side encrypted (the OSS clients' own test). */
export function isEncryptedMeta(meta: Record<string, string | undefined>): boolean {
  return (meta[ENVELOPE_META.key] ?? '') !== '';
}

/** The envelope from user metadata (names lower-case, without prefix); throws MalformedEnvelope. */
export function decodeEnvelope(meta: Record<string, string | undefined>): Envelope {
  const required = (name: string): string => {
    const v = meta[name];
    if (v === undefined || v === '') throw new ClientEncryptionError('MalformedEnvelope', `the object has no ${name} metadata`);
    return v;
  };
  const base64 = (name: string): Buffer => {
    const v = required(name).trim();
    if (!BASE64.test(v) || v.length % 4 !== 0) throw new ClientEncryptionError('MalformedEnvelope', `${name} is not base64`);
    return Buffer.from(v, 'base64');
  };
  const size = (name: string): number | undefined => {
    const v = meta[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) throw new ClientEncryptionError('MalformedEnvelope', `${name} is not a byte count: ${v}`);
    return Number(v);
  };
  let matDesc: Record<string, string> = {};
  const rawMatDesc = meta[ENVELOPE_META.matDesc];
  if (rawMatDesc !== undefined && rawMatDesc !== '') {
    let parsed: unknown;
    try { parsed = JSON.parse(rawMatDesc); } catch { parsed = undefined; }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw new ClientEncryptionError('MalformedEnvelope', `${ENVELOPE_META.matDesc} is not a JSON object of strings`);
    }
    matDesc = parsed as Record<string, string>;
  }
  const e: Envelope = {
    encryptedKey: base64(ENVELOPE_META.key),
    encryptedIv: base64(ENVELOPE_META.start),
    cekAlgorithm: required(ENVELOPE_META.cekAlg),
    wrapAlgorithm: required(ENVELOPE_META.wrapAlg),
    matDesc,
  };
  const length = size(ENVELOPE_META.unencryptedContentLength);
  if (length !== undefined) e.unencryptedContentLength = length;
  const md5 = meta[ENVELOPE_META.unencryptedContentMd5];
  if (md5 !== undefined && md5 !== '') {
    if (!BASE64.test(md5) || Buffer.from(md5, 'base64').length !== 16) throw new ClientEncryptionError('MalformedEnvelope', `${ENVELOPE_META.unencryptedContentMd5} is not a base64 MD5`);
    e.unencryptedContentMd5 = md5;
  }
  const dataSize = size(ENVELOPE_META.dataSize);
  if (dataSize !== undefined) e.dataSize = dataSize;
  const partSize = size(ENVELOPE_META.partSize);
  if (partSize !== undefined) e.partSize = partSize;
  return e;
}

/** The plaintext size the envelope vouches for, if it records one. */
export function plaintextSizeOf(e: Envelope): number | undefined {
  return e.unencryptedContentLength ?? e.dataSize;
}
