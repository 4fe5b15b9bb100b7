// The root account's access key: created on first start and kept in a file beside the
// cluster's state (mode 0600), or given through the environment. It is the cluster admin's key
// (account `root`); other accounts' and users' keys live in meta (meta-credential-store.ts). The
// file is written once, atomically, so every zone of a cluster reads the same key.
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export const ROOT_ACCESS_KEY_ENV = 'ZONESTORE_ROOT_ACCESS_KEY_ID';
export const ROOT_SECRET_KEY_ENV = 'ZONESTORE_ROOT_SECRET_ACCESS_KEY';
/** The principal that owns what the root key creates. */
export const ROOT_PRINCIPAL = 'root';

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCESS_KEY_LENGTH = 20;
const SECRET_BYTES = 30;

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const fileSchema = z.object({
  accessKeyId: z.string().regex(/^[A-Za-z0-9]{16,128}$/),
  secretAccessKey: z.string().min(16).max(128),
});

/** 20 characters like AWS keys ("ZS" + 18 base32), so tools that check the shape accept it. */
export function generateRootCredentials(): RootCredentials {
  let key = 'ZS';
  while (key.length < ACCESS_KEY_LENGTH) key += ACCESS_KEY_ALPHABET[randomInt(ACCESS_KEY_ALPHABET.length)];
  // base64 without '/' and '+' keeps the secret shell- and URL-safe for copy and paste.
  const secretAccessKey = randomBytes(SECRET_BYTES).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'z');
  return { accessKeyId: key, secretAccessKey };
}

/** The key from the environment, if both variables are set (one alone is an error). */
export function rootCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): RootCredentials | undefined {
  const accessKeyId = env[ROOT_ACCESS_KEY_ENV];
  const secretAccessKey = env[ROOT_SECRET_KEY_ENV];
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw new Error(`set both ${ROOT_ACCESS_KEY_ENV} and ${ROOT_SECRET_KEY_ENV}, or neither`);
  return parseRootCredentials({ accessKeyId, secretAccessKey }, 'the environment');
}

export function readRootCredentials(file: string): RootCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read root credentials from ${file}: ${(err as Error).message}`);
  }
  return parseRootCredentials(raw, file);
}

function parseRootCredentials(raw: unknown, where: string): RootCredentials {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid root credentials in ${where}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The environment's key if set (and then written to `file`, so zones started later agree),
 * else the file's, else a new key written to the file. `created` says a new key was made.
 */
export function loadOrCreateRootCredentials(file: string, env: NodeJS.ProcessEnv = process.env): { credentials: RootCredentials; created: boolean } {
  const fromEnv = rootCredentialsFromEnv(env);
  if (fromEnv) {
    writeCredentialsFile(file, fromEnv);
    return { credentials: fromEnv, created: false };
  }
  if (existsSync(file)) return { credentials: readRootCredentials(file), created: false };
  const credentials = generateRootCredentials();
  writeCredentialsFile(file, credentials);
  return { credentials, created: true };
}

function writeCredentialsFile(file: string, c: RootCredentials): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
