// A node:http server on a free port that records what ali-oss sends (method, raw URL, headers,
// body) and answers each request just well enough for the SDK call to finish; plus the ali-oss
// clients pointed at it in both addressing styles and both signature versions, and the test's
// stand-in for the router (which bucket and key a captured request addresses).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { type Authentication, type Credential, type CredentialLookup, readBodyFully, type RequestView } from '../../../../services/gateway/auth/index.ts';
import { percentDecode, splitRawUrl } from '../../../../services/gateway/auth/sigv4-uri-encoding.ts';
import { authenticateOss, openOssBody, type OssSignedTarget } from '../../../../services/gateway/oss-auth/index.ts';

export const REGION = 'oss-cn-hangzhou';
export const BUCKET = 'capture-bucket';
/** Where ali-oss given an IP endpoint says the bucket lives: `Host: <bucket>.<this>`. */
export const OSS_DOMAIN = `${REGION}.aliyuncs.com`;

export const CREDENTIAL: Credential = {
  accessKeyId: 'ZSOSSTESTKEY00000001', secretAccessKey: 'oss/secret+key=with/odd+chars', principal: 'oss-tester',
};

export function lookupOf(...credentials: Credential[]): CredentialLookup {
  return (id) => credentials.find((c) => c.accessKeyId === id);
}

export const lookup = lookupOf(CREDENTIAL);

export interface Captured extends RequestView {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface CaptureServer {
  port: number;
  /** Everything received since the last take(), oldest first. */
  take(): Captured[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  let seen: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      seen.push({ method: req.method!, rawUrl: req.url!, headers: { ...req.headers }, body: Buffer.concat(parts) });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

/** The least each SDK call needs to succeed. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const query = splitRawUrl(req.url!).rawQuery;
  const has = (name: string): boolean => new RegExp(`(^|&)${name}(=|&|$)`).test(query);
  const xml = (body: string): void => {
    res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': 'capture' });
    res.end(`${XML}${body}`);
  };
  if (req.method === 'DELETE') {
    res.writeHead(204, { 'x-oss-request-id': 'capture' });
    res.end();
  } else if (has('uploads') && req.method === 'POST') {
    xml('<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>');
  } else if (has('uploadId') && req.method === 'POST') {
    xml('<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>');
  } else if (has('tagging') && req.method === 'GET') {
    xml('<Tagging><TagSet></TagSet></Tagging>');
  } else if (has('list-type') || (req.method === 'GET' && /^\/?$|^\/[^/]+\/?$/.test(splitRawUrl(req.url!).rawPath) && !has('acl'))) {
    xml('<ListBucketResult><Name>b</Name><Prefix></Prefix><MaxKeys>10</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>');
  } else {
    res.writeHead(200, {
      etag: '"0123456789abcdef0123456789abcdef"', 'x-oss-request-id': 'capture', 'x-oss-next-append-position': '5',
      'content-length': req.method === 'GET' ? '5' : '0',
    });
    res.end(req.method === 'GET' ? 'hello' : undefined);
  }
}

export type Style = 'path' | 'virtual';
export type Version = 'v1' | 'v4';

/** ali-oss as users point it at a local gateway: `localhost` + sldEnable, or an IP endpoint. */
export function ossClient(port: number, style: Style, version: Version, credential: Pick<Credential, 'accessKeyId' | 'secretAccessKey'> = CREDENTIAL): OSS {
  return new OSS({
    region: REGION, bucket: BUCKET, accessKeyId: credential.accessKeyId, accessKeySecret: credential.secretAccessKey,
    endpoint: style === 'path' ? `http://localhost:${port}` : `http://127.0.0.1:${port}`,
    secure: false, timeout: 10_000, authorizationV4: version === 'v4',
    ...(style === 'path' ? { sldEnable: true } : {}),
  } as OSS.Options);
}

/**
 * The bucket and key a request addresses, as the gateway's router decides them: virtual-hosted
 * under the OSS endpoint domain or `localhost`, else path-style.
 */
export function targetOf(view: RequestView): OssSignedTarget {
  const host = String(view.headers.host ?? '').replace(/:\d+$/, '');
  const path = splitRawUrl(view.rawUrl).rawPath;
  for (const domain of [OSS_DOMAIN, 'localhost']) {
    if (host.endsWith(`.${domain}`)) {
      const key = percentDecode(path.slice(1));
      return { bucket: host.slice(0, -domain.length - 1), ...(key === '' ? {} : { key }) };
    }
  }
  const slash = path.indexOf('/', 1);
  if (path === '/') return {};
  if (slash < 0) return { bucket: percentDecode(path.slice(1)) };
  const key = percentDecode(path.slice(slash + 1));
  return { bucket: percentDecode(path.slice(1, slash)), ...(key === '' ? {} : { key }) };
}

/** authenticateOss on a captured request, addressed as the router would. */
export function verify(c: RequestView, nowMs = Date.now(), credentials: CredentialLookup = lookup): Promise<Authentication> {
  return authenticateOss(c, credentials, nowMs, targetOf(c));
}

/** The captured body through openOssBody, read whole (rejects with the stream's error). */
export async function readOssBody(c: Captured, auth: Authentication): Promise<Buffer> {
  const body = openOssBody(Readable.from([c.body]), c.headers, auth);
  return readBodyFully(body, 64 * 1024 * 1024);
}

/** A view of a signed URL as a server receives it: the target exactly as the SDK wrote it. */
export function viewOfUrl(url: string, method = 'GET', headers: Record<string, string> = {}): RequestView {
  const m = /^https?:\/\/([^/?]+)(.*)$/.exec(url);
  if (!m) throw new Error(`not an http URL: ${url}`);
  return { method, rawUrl: m[2] === '' ? '/' : m[2]!, headers: { host: m[1]!, ...headers } };
}
