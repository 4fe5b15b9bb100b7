// Shared test material: the AWS documentation's example credentials, a SHA-256 for the
// @smithy signer, a test-side aws-chunked encoder (written independently of the decoder, with
// its own HMAC code) and a helper that runs a body through openRequestBody.
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SourceData } from '@smithy/types';
import {
  type Authentication, type Credential, type CredentialLookup, openRequestBody, type RequestBody, type RequestBodyOptions,
} from '../../../../services/gateway/auth/index.ts';
import type { StoreError } from '../../../../services/gateway/errors/store-error.ts';

export const DOC_ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** 20130524T000000Z, the instant every AWS SigV4 S3 example is signed at. */
export const DOC_NOW = Date.UTC(2013, 4, 24, 0, 0, 0);
export const DOC_AMZ_DATE = '20130524T000000Z';
export const DOC_SCOPE = '20130524/us-east-1/s3/aws4_request';

export const DOC_CREDENTIAL: Credential = { accessKeyId: DOC_ACCESS_KEY, secretAccessKey: DOC_SECRET, principal: 'doc-user' };

export function lookupOf(...credentials: Credential[]): CredentialLookup {
  return (id) => credentials.find((c) => c.accessKeyId === id);
}

export const docLookup = lookupOf(DOC_CREDENTIAL);

/** node:crypto behind the interface @smithy/signature-v4 expects. */
export class NodeSha256 {
  private hash;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(this.secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

function toBytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

// ---- a test-side aws-chunked encoder ---------------------------------------------------------

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export function docSigningKey(secret = DOC_SECRET, date = '20130524', region = 'us-east-1'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
}

export interface ChunkSigner {
  key: Buffer;
  amzDate: string;
  scope: string;
  seed: string;
}

export interface EncodeOptions {
  /** Signs each chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD); unsigned framing otherwise. */
  signer?: ChunkSigner;
  /** Trailing headers, e.g. [['x-amz-checksum-crc32', 'base64']]; signed when `signer` is. */
  trailers?: Array<[string, string]>;
  /** Put a blank line between the final chunk and the trailers (some clients do). */
  blankBeforeTrailers?: boolean;
  /** Omit the closing blank line (@smithy's unsigned form does when it sends no trailer). */
  omitFinalCrlf?: boolean;
}

/** Encodes `data` cut at `sizes` (the last size repeats) as aws-chunked. */
export function encodeAwsChunked(data: Buffer, sizes: number[], o: EncodeOptions = {}): Buffer {
  const out: Buffer[] = [];
  let previous = o.signer?.seed ?? '';
  const header = (size: number, chunk: Buffer): string => {
    if (!o.signer) return size.toString(16);
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', o.signer.amzDate, o.signer.scope, previous, hex(''), hex(chunk)].join('\n');
    previous = createHmac('sha256', o.signer.key).update(sts).digest('hex');
    return `${size.toString(16)};chunk-signature=${previous}`;
  };
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const size = Math.min(Math.max(1, sizes[Math.min(i++, sizes.length - 1)]!), data.length - pos);
    const chunk = data.subarray(pos, pos + size);
    pos += size;
    out.push(Buffer.from(`${header(size, chunk)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`${header(0, Buffer.alloc(0))}\r\n`));
  const trailers = o.trailers ?? [];
  if (trailers.length > 0) {
    if (o.blankBeforeTrailers) out.push(Buffer.from('\r\n'));
    for (const [n, v] of trailers) out.push(Buffer.from(`${n}:${v}\r\n`));
    if (o.signer) {
      const canonical = trailers.map(([n, v]) => `${n}:${v}\n`).join('');
      const sts = ['AWS4-HMAC-SHA256-TRAILER', o.signer.amzDate, o.signer.scope, previous, hex(canonical)].join('\n');
      out.push(Buffer.from(`x-amz-trailer-signature:${createHmac('sha256', o.signer.key).update(sts).digest('hex')}\r\n`));
    }
  }
  if (!o.omitFinalCrlf) out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

// ---- running a body through the decoder ------------------------------------------------------

export interface BodyOutcome {
  data: Buffer;
  ended: boolean;
  error: StoreError | undefined;
  body: RequestBody;
}

/** A source that yields `wire` in pieces of `pieceSize` bytes (or the given cut points). */
export function sourceOf(wire: Buffer, pieceSize = 8192): Readable {
  const pieces: Buffer[] = [];
  for (let p = 0; p < wire.length; p += pieceSize) pieces.push(wire.subarray(p, p + pieceSize));
  return Readable.from(pieces, { objectMode: false });
}

/** Opens the body and reads it to the end or the first error, noting whether 'end' fired. */
export async function runBody(
  source: Readable, headers: Record<string, string>, auth: Authentication, options?: RequestBodyOptions,
): Promise<BodyOutcome> {
  const body = openRequestBody(source, headers, auth, options);
  const parts: Buffer[] = [];
  let ended = false;
  const error = await new Promise<StoreError | undefined>((resolve) => {
    body.stream.on('data', (d: Buffer) => parts.push(d));
    body.stream.on('end', () => { ended = true; });
    body.stream.on('error', (e) => resolve(e as StoreError));
    body.stream.on('close', () => resolve(undefined));
  });
  return { data: Buffer.concat(parts), ended, error, body };
}

export const unsignedAuth = (payload: Extract<Authentication, { anonymous: false }>['payload']): Authentication => ({
  anonymous: false, accessKeyId: DOC_ACCESS_KEY, principal: 'doc-user', region: 'us-east-1', payload,
});

// ---- requests signed by the AWS SDK's own signer ---------------------------------------------

export interface SdkRequest {
  method?: string;
  hostname?: string;
  /** Already percent-encoded, as the S3 client builds it. */
  path: string;
  query?: Record<string, string | string[] | null>;
  headers?: Record<string, string>;
}

/** Encodes a query component the way the SDK's HTTP handler does. */
export function sdkEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function rawUrlOf(path: string, query: Record<string, string | string[] | null> = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === null) parts.push(sdkEscape(k));
    else for (const one of Array.isArray(v) ? v : [v]) parts.push(`${sdkEscape(k)}=${sdkEscape(one)}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export interface SignOptions {
  at?: number;
  credential?: Credential;
  region?: string;
  /** Presign instead of signing headers, valid this many seconds. */
  presignSeconds?: number;
}

/** A RequestView as @smithy/signature-v4 (what @aws-sdk/client-s3 uses) signs it. */
export async function sdkSigned(r: SdkRequest, o: SignOptions = {}): Promise<{ method: string; rawUrl: string; headers: Record<string, string> }> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const credential = o.credential ?? DOC_CREDENTIAL;
  const signer = new SignatureV4({
    service: 's3', region: o.region ?? 'us-east-1', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
  });
  const hostname = r.hostname ?? 'bucket.s3.example.test';
  const headersToSign: Record<string, string> = { host: hostname, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...r.headers };
  if (o.presignSeconds) {
    // Spelled as @aws-sdk/s3-request-presigner spells it; the signer hoists it into the query.
    headersToSign['X-Amz-Content-Sha256'] = headersToSign['x-amz-content-sha256']!;
    delete headersToSign['x-amz-content-sha256'];
  }
  const request = { method: r.method ?? 'GET', protocol: 'https:', hostname, path: r.path, query: r.query ?? {}, headers: headersToSign };
  const signingDate = new Date(o.at ?? DOC_NOW);
  const signed = o.presignSeconds
    ? await signer.presign(request, { signingDate, expiresIn: o.presignSeconds })
    : await signer.sign(request, { signingDate });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { method: signed.method, rawUrl: rawUrlOf(signed.path, signed.query as Record<string, string>), headers };
}
