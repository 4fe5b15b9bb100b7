// What a request asks of server-side encryption, from its headers (pure). S3 names them
// x-amz-server-side-encryption[-aws-kms-key-id | -context | -customer-*]; OSS
// x-oss-server-side-encryption[-key-id] (the OSS normalizer leaves them as sent). OSS has no
// customer-provided keys: its requests never carry SSE-C.
import { createHash } from 'node:crypto';
import { StoreError } from '../errors/store-error.ts';
import type { HeaderBag } from '../s3/header-bag.ts';
import { headerValue } from '../s3/header-bag.ts';

export type SseMode = 'SSE-S3' | 'SSE-KMS' | 'SSE-C';
export const CUSTOMER_KEY_BYTES = 32;

export interface CustomerKey {
  readonly key: Buffer;
  /** base64 MD5 of the key, as the client sent (and checked). */
  readonly keyMd5: string;
}

/** How a write asks to be encrypted. */
export type SseWrite =
  | { readonly mode: 'SSE-S3' }
  | { readonly mode: 'SSE-KMS'; readonly keyId?: string; readonly context: Record<string, string> }
  | { readonly mode: 'SSE-C'; readonly customer: CustomerKey };

export type Dialect = 's3' | 'oss';

const S3_SSE = 'x-amz-server-side-encryption';
const OSS_SSE = 'x-oss-server-side-encryption';
const MAX_CONTEXT_BYTES = 8 * 1024;

function invalid(message: string, name?: string, value?: string): StoreError {
  return new StoreError('InvalidArgument', message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' });
}

/** The write's SSE headers (undefined: none; the bucket's default may then apply). */
export function parseSseWrite(headers: HeaderBag, dialect: Dialect): SseWrite | undefined {
  const customer = parseCustomerKey(headers, dialect, '');
  if (dialect === 'oss') return parseOssSse(headers);
  const sse = headerValue(headers, S3_SSE)?.trim();
  const keyId = headerValue(headers, `${S3_SSE}-aws-kms-key-id`)?.trim();
  const context = headerValue(headers, `${S3_SSE}-context`);
  if (customer) {
    if (sse !== undefined) throw invalid('Server Side Encryption with Customer provided key is incompatible with the encryption method specified', S3_SSE, sse);
    return { mode: 'SSE-C', customer };
  }
  if ((keyId !== undefined || context !== undefined) && sse !== 'aws:kms') {
    throw invalid('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', `${S3_SSE}-aws-kms-key-id`, keyId);
  }
  if (sse === undefined) return undefined;
  if (sse === 'AES256') return { mode: 'SSE-S3' };
  if (sse === 'aws:kms') return { mode: 'SSE-KMS', ...(keyId ? { keyId } : {}), context: parseContext(context) };
  throw invalid('The encryption method specified is not supported', S3_SSE, sse);
}

function parseOssSse(headers: HeaderBag): SseWrite | undefined {
  const sse = headerValue(headers, OSS_SSE)?.trim();
  const keyId = headerValue(headers, `${OSS_SSE}-key-id`)?.trim();
  const dataEncryption = headerValue(headers, 'x-oss-server-side-data-encryption')?.trim();
  if (keyId !== undefined && sse !== 'KMS') throw invalid('x-oss-server-side-encryption-key-id needs x-oss-server-side-encryption: KMS', `${OSS_SSE}-key-id`, keyId);
  if (dataEncryption !== undefined && dataEncryption !== '' && dataEncryption !== 'AES256') {
    throw new StoreError('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported data encryption: AES256.');
  }
  if (sse === undefined) return undefined;
  if (sse === 'AES256') return { mode: 'SSE-S3' };
  if (sse === 'KMS') return { mode: 'SSE-KMS', ...(keyId ? { keyId } : {}), context: {} };
  throw new StoreError('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256, KMS.', {
    ArgumentName: OSS_SSE, ArgumentValue: sse,
  });
}

/** x-amz-server-side-encryption-context: base64 of a JSON object of strings. */
function parseContext(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  const bad = () => invalid('The server side encryption context must be base64-encoded JSON of string values', `${S3_SSE}-context`, raw);
  if (raw.length > MAX_CONTEXT_BYTES) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw bad();
    out[k] = v;
  }
  return out;
}

/**
 * SSE-C headers, plain (`prefix` '') or of a copy source (`prefix` 'copy-source-'); undefined
 * when none is present. The key must be 32 bytes and match its MD5.
 */
export function parseCustomerKey(headers: HeaderBag, dialect: Dialect, prefix: '' | 'copy-source-'): CustomerKey | undefined {
  if (dialect === 'oss') return undefined;
  const base = `x-amz-${prefix}server-side-encryption-customer-`;
  const algorithm = headerValue(headers, `${base}algorithm`)?.trim();
  const key = headerValue(headers, `${base}key`)?.trim();
  const md5 = headerValue(headers, `${base}key-md5`)?.trim();
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined;
  if (algorithm === undefined) {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.', `${base}algorithm`);
  }
  if (algorithm !== 'AES256') {
    throw new StoreError('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', {
      ArgumentName: `${base}algorithm`, ArgumentValue: algorithm,
    });
  }
  if (key === undefined || key === '') {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', `${base}key`);
  }
  if (md5 === undefined || md5 === '') {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.', `${base}key-MD5`);
  }
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== CUSTOMER_KEY_BYTES || bytes.toString('base64') !== key) {
    throw invalid('The secret key was invalid for the specified algorithm.', `${base}key`);
  }
  if (createHash('md5').update(bytes).digest('base64') !== md5) {
    throw invalid('The calculated MD5 hash of the key did not match the hash that was provided.', `${base}key-MD5`);
  }
  return { key: bytes, keyMd5: md5 };
}

/**
 * Whether a customer key may travel on this connection. S3 refuses SSE-C over plain HTTP; a
 * local cluster is reached over loopback, where the key never leaves the machine, so plain
 * HTTP from a loopback address is accepted too.
 */
export function customerKeyTransportAllowed(secure: boolean, remoteAddress: string | undefined): boolean {
  if (secure) return true;
  const a = (remoteAddress ?? '').replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export function insecureCustomerKey(): StoreError {
  return new StoreError('InvalidRequest', 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
}
