// The KMS root key on disk: 32 random bytes, base64, one line, mode 0600. `zonestore up`
// creates it on first run (<data-dir>/kms/root.key) and hands the path to every zone's gateway;
// the environment (ZONESTORE_KMS_ROOT_KEY, base64) can supply it instead. Losing it loses every
// KMS key and so every SSE object: back it up with the data directory's secrets.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_MATERIAL_BYTES } from './kms-limits.ts';

export const KMS_ROOT_KEY_ENV = 'ZONESTORE_KMS_ROOT_KEY';

const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The key in a file's text or an env value: 32 bytes as canonical base64 (`openssl rand -base64 32`),
 * one trailing newline allowed. Anything else is refused at start, naming `where` but never the
 * text: a wrong key would otherwise fail only at the first encrypted object.
 */
export function parseKmsRootKey(text: string, where: string): Buffer {
  const body = text.replace(/\r?\n$/, '');
  if (!BASE64_OF_32_BYTES.test(body)) {
    throw new Error(`the KMS root key in ${where} must hold ${KEY_MATERIAL_BYTES} random bytes as base64 (44 characters, e.g. \`openssl rand -base64 ${KEY_MATERIAL_BYTES}\`), `
      + `with at most a trailing newline; it holds ${text.length} characters${body.length === 44 ? ' that are not base64' : ''}`);
  }
  const key = Buffer.from(body, 'base64');
  // The pattern allows a last character whose low bits are not zero: not canonical base64.
  if (key.length !== KEY_MATERIAL_BYTES || key.toString('base64') !== body) {
    throw new Error(`the KMS root key in ${where} is not canonical base64 of ${KEY_MATERIAL_BYTES} bytes`);
  }
  return key;
}

export function readKmsRootKey(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the KMS root key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseKmsRootKey(text, file);
}

export function kmsRootKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const v = env[KMS_ROOT_KEY_ENV];
  return v === undefined || v === '' ? undefined : parseKmsRootKey(v, KMS_ROOT_KEY_ENV);
}

/** The key in `file`, created (atomically, 0600, in a 0700 directory) when absent. */
export function loadOrCreateKmsRootKey(file: string): { key: Buffer; created: boolean } {
  if (existsSync(file)) return { key: readKmsRootKey(file), created: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_MATERIAL_BYTES);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { key, created: true };
}
