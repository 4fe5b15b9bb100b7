// The KMS root key on disk: 32 random bytes, base64, one line, mode 0600. `zonestore up`
// creates it on first run (<data-dir>/kms/root.key) and hands the path to every zone's gateway;
// the environment (ZONESTORE_KMS_ROOT_KEY, base64) can supply it instead. Losing it loses every
// KMS key and so every SSE object: back it up with the data directory's secrets.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_MATERIAL_BYTES } from './kms-limits.ts';

export const KMS_ROOT_KEY_ENV = 'ZONESTORE_KMS_ROOT_KEY';

export function parseKmsRootKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_MATERIAL_BYTES) throw new Error(`${where}: a KMS root key is ${KEY_MATERIAL_BYTES} bytes in base64`);
  return key;
}

export function readKmsRootKey(file: string): Buffer {
  return parseKmsRootKey(readFileSync(file, 'utf8'), file);
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
