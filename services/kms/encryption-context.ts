// The encryption context: string pairs bound to a ciphertext as associated data. Its canonical
// bytes are order-independent (pairs sorted by key, each length-prefixed), so {a,b} and {b,a}
// authenticate the same and no two different contexts share bytes.
import { KmsError } from './data-key-service.ts';
import { MAX_ENCRYPTION_CONTEXT_BYTES, MAX_ENCRYPTION_CONTEXT_PAIRS } from './kms-limits.ts';

export type EncryptionContext = Record<string, string>;

/** Validates a context from a request (JSON object of strings). */
export function checkEncryptionContext(value: unknown): EncryptionContext {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new KmsError('ValidationException', 'EncryptionContext must be an object of strings');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ENCRYPTION_CONTEXT_PAIRS) throw new KmsError('ValidationException', `EncryptionContext has at most ${MAX_ENCRYPTION_CONTEXT_PAIRS} pairs`);
  let bytes = 0;
  const out: EncryptionContext = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || k === '') throw new KmsError('ValidationException', 'EncryptionContext keys are non-empty strings and values strings');
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
    out[k] = v;
  }
  if (bytes > MAX_ENCRYPTION_CONTEXT_BYTES) throw new KmsError('ValidationException', `EncryptionContext has at most ${MAX_ENCRYPTION_CONTEXT_BYTES} bytes`);
  return out;
}

export function canonicalContext(ctx: EncryptionContext): Buffer {
  const parts: Buffer[] = [];
  const keys = Object.keys(ctx).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const len = (b: Buffer) => {
    const n = Buffer.alloc(4);
    n.writeUInt32BE(b.length);
    return n;
  };
  for (const k of keys) {
    const kb = Buffer.from(k, 'utf8');
    const vb = Buffer.from(ctx[k]!, 'utf8');
    parts.push(len(kb), kb, len(vb), vb);
  }
  return Buffer.concat(parts);
}
