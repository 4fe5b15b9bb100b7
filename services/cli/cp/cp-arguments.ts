// What `zonestore cp` is asked to do, from its arguments: which side is the object, where the
// endpoint and key come from, and which master key. Pure (the environment and files are passed in).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readClusterRecord } from '../zone/local-cluster-record.ts';
import { ROOT_CREDENTIALS_FILE } from '../zone/zone-layout.ts';

export interface ObjectUrl {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` → its parts; undefined for anything else (a local path). */
export function parseObjectUrl(text: string): ObjectUrl | undefined {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(text);
  if (!m) {
    if (/^s3:\/\//.test(text)) throw new Error(`${text}: an object URL is s3://<bucket>/<key>`);
    return undefined;
  }
  return { bucket: m[1]!, key: m[2]! };
}

export type CpDirection =
  | { kind: 'upload'; file: string; object: ObjectUrl }
  | { kind: 'download'; object: ObjectUrl; file: string };

/** Exactly one side must be an object; a target ending in '/' (or an existing directory, decided by the caller) takes the source's name. */
export function cpDirection(source: string, target: string): CpDirection {
  const from = parseObjectUrl(source);
  const to = parseObjectUrl(target);
  if (from && to) throw new Error('copying between two objects is not supported: one side must be a local file');
  if (!from && !to) throw new Error('one side must be an object URL s3://<bucket>/<key>');
  if (to) {
    const key = to.key === '' || to.key.endsWith('/') ? `${to.key}${source.split('/').pop()}` : to.key;
    return { kind: 'upload', file: source, object: { bucket: to.bucket, key } };
  }
  if (from!.key === '' || from!.key.endsWith('/')) throw new Error(`${source}: name an object, not a prefix`);
  return { kind: 'download', object: from!, file: target };
}

/**
 * An AES-256 master key file: 32 raw bytes, or 64 hex digits, or base64 of 32 bytes (a trailing
 * newline allowed), so `openssl rand 32 > key`, `openssl rand -hex 32` and `-base64 32` all work.
 */
export function parseAesKeyFile(contents: Buffer): Buffer {
  if (contents.length === 32) return Buffer.from(contents);
  const text = contents.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, 'base64');
  throw new Error('an AES key file holds 32 bytes: raw, as 64 hex digits, or as base64');
}

export interface CpConnection {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ConnectionFlags {
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  dataDir: string;
}

/**
 * Endpoint: --endpoint, AWS_ENDPOINT_URL, the local cluster of --data-dir. Key: the flags,
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ZONESTORE_ACCESS_KEY_ID/…, the local root key.
 */
export function resolveConnection(f: ConnectionFlags, env: NodeJS.ProcessEnv): CpConnection {
  const dataDir = resolve(f.dataDir);
  const endpoint = f.endpoint ?? env.AWS_ENDPOINT_URL ?? readClusterRecord(dataDir)?.gatewayEndpoints?.[0];
  if (!endpoint) throw new Error(`no endpoint: pass --endpoint or set AWS_ENDPOINT_URL (no local cluster record in ${dataDir})`);
  let accessKeyId = f.accessKeyId ?? env.AWS_ACCESS_KEY_ID ?? env.ZONESTORE_ACCESS_KEY_ID;
  let secretAccessKey = f.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY ?? env.ZONESTORE_SECRET_ACCESS_KEY;
  const file = join(dataDir, ROOT_CREDENTIALS_FILE);
  if ((!accessKeyId || !secretAccessKey) && existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    accessKeyId ??= c.accessKeyId;
    secretAccessKey ??= c.secretAccessKey;
  }
  if (!accessKeyId || !secretAccessKey) throw new Error('no key: pass --access-key-id and --secret-access-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  return { endpoint, accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/** `--part-size` in bytes from `8MiB`, `5m`, `16777216`. */
export function parseByteSize(text: string): number {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim());
  if (!m) throw new Error(`${text} is not a size (e.g. 8MiB)`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
}
