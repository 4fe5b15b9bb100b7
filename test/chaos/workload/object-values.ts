// Object bodies that name their value: `<value>\n` followed by padding derived from the value,
// so any body read back says which write it came from and whether every byte is that write's.
// Values are unique per run (the checker relies on it), and a value's ETag follows from its name
// (the body's MD5, or S3's multipart ETag for a value written in parts), so a conditional write
// on a value's ETag is a conditional write on the value.
import { createHash } from 'node:crypto';

/** What a read body turned out to be. */
export type DecodedBody =
  | { readonly intact: true; readonly value: string }
  /** Bytes that are not exactly some value's body: `claimed` is the value its first line names, if any. */
  | { readonly intact: false; readonly claimed: string | undefined; readonly sha256: string };

/** Longest value accepted (the first line of a body). */
const MAX_VALUE_LENGTH = 200;

/**
 * A run's values: `c<client>.<seq>.<size>` — unique (one writer per client, a counter each) and
 * carrying the body size, so anyone can rebuild a value's exact body and ETag from the name. A
 * value written by multipart upload adds `.p<partSize>`: parts of that size, the last the rest.
 */
const VALUE_PATTERN = /^c\d+\.\d+\.(\d+)(?:\.p(\d+))?$/;

export function valueName(client: number, seq: number, size: number): string {
  return `c${client}.${seq}.${size}`;
}

/** A value written in parts of `partSize` bytes (the last part the rest). */
export function multipartValueName(client: number, seq: number, size: number, partSize: number): string {
  if (!(partSize > 0 && size > partSize)) throw new Error(`a multipart value needs more than one part: size ${size}, parts of ${partSize}`);
  return `c${client}.${seq}.${size}.p${partSize}`;
}

function parseValue(value: string): { size: number; partSize?: number } {
  const m = VALUE_PATTERN.exec(value);
  if (!m) throw new Error(`not a workload value: ${JSON.stringify(value)}`);
  return { size: Number(m[1]), ...(m[2] !== undefined ? { partSize: Number(m[2]) } : {}) };
}

export function sizeOfValue(value: string): number {
  return parseValue(value).size;
}

/** The part size of a value written by multipart upload; undefined for a single PUT's value. */
export function partSizeOfValue(value: string): number | undefined {
  return parseValue(value).partSize;
}

/** `body` cut into parts of `partSize` (views, not copies). */
export function partsOf(body: Buffer, partSize: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += partSize) parts.push(body.subarray(at, Math.min(at + partSize, body.length)));
  return parts;
}

export function bodyOf(value: string, size: number): Buffer {
  if (value.includes('\n') || value.length > MAX_VALUE_LENGTH) throw new Error(`bad value ${JSON.stringify(value)}`);
  const head = Buffer.from(`${value}\n`);
  const body = Buffer.alloc(Math.max(size, head.length));
  head.copy(body);
  // xorshift32 from the value's hash: cheap, and different for every value.
  let x = createHash('sha256').update(value).digest().readUInt32LE(0) || 1;
  for (let i = head.length; i < body.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    body[i] = x & 0xff;
  }
  return body;
}

export function decodeBody(body: Buffer): DecodedBody {
  const nl = body.indexOf(0x0a);
  const claimed = nl > 0 && nl <= MAX_VALUE_LENGTH ? body.subarray(0, nl).toString('utf8') : undefined;
  // The size comes from the name when it carries one, so a cut-short body is not "intact".
  const size = claimed !== undefined && VALUE_PATTERN.test(claimed) ? sizeOfValue(claimed) : body.length;
  if (claimed !== undefined && bodyOf(claimed, size).equals(body)) return { intact: true, value: claimed };
  return { intact: false, claimed, sha256: createHash('sha256').update(body).digest('hex') };
}

/** The ETag S3 gives a single-part upload of `body` (quoted). */
export function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** The ETag S3 gives a multipart upload of these parts: MD5 of the parts' binary MD5s, `-<count>` (quoted). */
export function multipartEtagOf(parts: readonly Buffer[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `"${h.digest('hex')}-${parts.length}"`;
}

/** The ETag of the object a value's write leaves, rebuilt from the value's name. */
export function etagOfValue(value: string): string {
  const { size, partSize } = parseValue(value);
  const body = bodyOf(value, size);
  return partSize === undefined ? etagOf(body) : multipartEtagOf(partsOf(body, partSize));
}

/** What a read of bytes no write wrote is recorded as: `corrupt:<claimed value>:<sha-256 prefix>`. */
export const CORRUPT_READ_PREFIX = 'corrupt:';

/**
 * The register value recorded for a damaged read: a value no write ever had, so the checker
 * reports the read, and the name says what happened.
 */
export function corruptReadValue(d: Extract<DecodedBody, { intact: false }>): string {
  return `${CORRUPT_READ_PREFIX}${d.claimed ?? '?'}:${d.sha256.slice(0, 16)}`;
}
