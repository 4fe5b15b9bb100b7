// The few S3 object operations the encryption client needs, path-style, over a signed
// transport: PUT/GET/HEAD object and the multipart upload calls. Errors become S3Error with
// the code from S3's XML error body.
import type { IncomingHttpHeaders } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { encodePath } from '../http/sigv4-request-signer.ts';
import type { BufferedResponse, SignedHttpTransport, StreamedResponse } from '../http/signed-http-transport.ts';

const S3_SERVICE = 's3';
const USER_META_PREFIX = 'x-amz-meta-';
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

export class S3Error extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly requestId?: string) {
    super(`${code}: ${message} (HTTP ${status})`);
    this.name = 'S3Error';
  }
}

export interface ObjectHead {
  size: number;
  etag: string;
  contentType?: string;
  /** x-amz-meta-* without the prefix, names lower-case. */
  metadata: Record<string, string>;
}

export interface ByteRange {
  start: number;
  /** Inclusive; absent = to the end. */
  end?: number;
}

export interface ObjectStream extends ObjectHead {
  /** 206 answers: where the returned bytes start, and the object's full size. */
  rangeStart: number;
  totalSize: number;
  body: StreamedResponse['body'];
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export class S3ObjectClient {
  constructor(readonly transport: SignedHttpTransport) {}

  async putObject(bucket: string, key: string, body: Uint8Array, o: { metadata?: Record<string, string>; contentType?: string } = {}): Promise<{ etag: string }> {
    const res = await this.transport.send({ method: 'PUT', rawPath: objectPath(bucket, key), headers: writeHeaders(o), body }, S3_SERVICE);
    check(res);
    return { etag: header(res.headers, 'etag') ?? '' };
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead> {
    const res = await this.transport.send({ method: 'HEAD', rawPath: objectPath(bucket, key) }, S3_SERVICE);
    if (res.status >= 300) throw new S3Error(res.status, res.status === 404 ? 'NoSuchKey' : `HTTP${res.status}`, `HEAD ${bucket}/${key}`);
    return headOf(res.headers);
  }

  /** The object's bytes (or a range of them) as a stream; the caller must read or destroy it. */
  async getObject(bucket: string, key: string, range?: ByteRange): Promise<ObjectStream> {
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {};
    const res = await this.transport.stream({ method: 'GET', rawPath: objectPath(bucket, key), headers }, S3_SERVICE);
    if (res.status >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res.body) chunks.push(c as Buffer);
      check({ status: res.status, headers: res.headers, body: Buffer.concat(chunks) });
    }
    const head = headOf(res.headers);
    let rangeStart = 0;
    let totalSize = head.size;
    const contentRange = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header(res.headers, 'content-range') ?? '');
    if (res.status === 206 && contentRange) {
      rangeStart = Number(contentRange[1]);
      totalSize = Number(contentRange[3]);
    }
    return { ...head, rangeStart, totalSize, body: res.body };
  }

  async createMultipartUpload(bucket: string, key: string, o: { metadata?: Record<string, string>; contentType?: string } = {}): Promise<string> {
    const res = await this.transport.send({ method: 'POST', rawPath: objectPath(bucket, key), query: { uploads: undefined }, headers: writeHeaders(o) }, S3_SERVICE);
    check(res);
    const id = (xml.parse(res.body.toString('utf8')) as { InitiateMultipartUploadResult?: { UploadId?: string } }).InitiateMultipartUploadResult?.UploadId;
    if (!id) throw new S3Error(res.status, 'MalformedResponse', 'CreateMultipartUpload answered without an UploadId');
    return id;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
    const res = await this.transport.send({ method: 'PUT', rawPath: objectPath(bucket, key), query: { partNumber: String(partNumber), uploadId }, body }, S3_SERVICE);
    check(res);
    return header(res.headers, 'etag') ?? '';
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string }> {
    const body = Buffer.from(`<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`).join('')}</CompleteMultipartUpload>`);
    const res = await this.transport.send({ method: 'POST', rawPath: objectPath(bucket, key), query: { uploadId }, headers: { 'content-type': 'application/xml' }, body }, S3_SERVICE);
    check(res);
    // S3 may answer 200 with an <Error> body once the parts are assembled.
    const parsed = xml.parse(res.body.toString('utf8')) as { Error?: { Code?: string; Message?: string }; CompleteMultipartUploadResult?: { ETag?: string } };
    if (parsed.Error) throw new S3Error(res.status, parsed.Error.Code ?? 'InternalError', parsed.Error.Message ?? '');
    return { etag: parsed.CompleteMultipartUploadResult?.ETag ?? '' };
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    const res = await this.transport.send({ method: 'DELETE', rawPath: objectPath(bucket, key), query: { uploadId } }, S3_SERVICE);
    check(res);
  }
}

function objectPath(bucket: string, key: string): string {
  return `/${encodePath(bucket)}/${encodePath(key)}`;
}

function writeHeaders(o: { metadata?: Record<string, string>; contentType?: string }): Record<string, string> {
  const h: Record<string, string> = {};
  if (o.contentType) h['content-type'] = o.contentType;
  for (const [name, value] of Object.entries(o.metadata ?? {})) h[`${USER_META_PREFIX}${name.toLowerCase()}`] = value;
  return h;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function headOf(headers: IncomingHttpHeaders): ObjectHead {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(USER_META_PREFIX) && value !== undefined) metadata[name.slice(USER_META_PREFIX.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = header(headers, 'content-type');
  return { size: Number(header(headers, 'content-length') ?? 0), etag: header(headers, 'etag') ?? '', metadata, ...(contentType ? { contentType } : {}) };
}

function check(res: BufferedResponse): void {
  if (res.status < 300) return;
  let code = `HTTP${res.status}`;
  let message = res.body.toString('utf8').slice(0, 200);
  let requestId: string | undefined;
  try {
    const e = (xml.parse(res.body.toString('utf8')) as { Error?: { Code?: string; Message?: string; RequestId?: string } }).Error;
    if (e?.Code) code = e.Code;
    if (e?.Message !== undefined) message = e.Message;
    requestId = e?.RequestId;
  } catch { /* not XML: keep the raw text */ }
  throw new S3Error(res.status, code, message, requestId);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
