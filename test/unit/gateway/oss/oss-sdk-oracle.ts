// Test helper: the real ali-oss SDK as an oracle for the OSS codec. A node:http server on a
// free port answers every request with a canned response (our rendered XML and headers) and
// records what the SDK sent, so tests see both what the SDK parses out of our documents and
// what it puts on the wire.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import OSS from 'ali-oss';

export interface CannedResponse {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// The SDK's typings are partial and in places wrong (listParts, getBucketACL, listV2): the
// tests call it through this untyped view and check its results as the plain objects they are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SdkCall = (...args: any[]) => Promise<any>;
const METHODS = [
  'list', 'listV2', 'getBucketVersions', 'listBuckets', 'getBucketLocation', 'getBucketVersioning', 'getBucketACL', 'getBucketInfo',
  'getBucketStat', 'initMultipartUpload', 'listUploads', 'listParts', 'completeMultipartUpload', 'copy', 'deleteMulti',
  'putObjectTagging', 'getObjectTagging', 'putBucket', 'append', 'getSymlink', 'putSymlink', 'getObjectMeta', 'head', 'get', 'put',
  'delete',
] as const;
export type OracleOss = Record<(typeof METHODS)[number], SdkCall>;

export interface OssOracle {
  /** A client with an IP endpoint: requests arrive virtual-hosted (Host: <bucket>.oss-cn-hangzhou.aliyuncs.com). */
  client: OracleOss;
  /** A client with a hostname endpoint and sldEnable: requests arrive path-style (Host: localhost:<port>). */
  pathClient: OracleOss;
  /** Sets what the next requests are answered with. */
  answer(response: CannedResponse): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const ORACLE_BUCKET = 'oracle-bucket';
export const ORACLE_REGION = 'oss-cn-hangzhou';

export async function startOssOracle(): Promise<OssOracle> {
  let canned: CannedResponse = { status: 200, body: '' };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
      const body = Buffer.from(canned.body ?? '', 'utf8');
      const headers: Record<string, string> = { 'x-oss-request-id': 'REQ', ...canned.headers };
      if (req.method !== 'HEAD') headers['content-length'] = String(body.length);
      if (req.method !== 'HEAD' && body.length > 0) headers['content-type'] ??= 'application/xml';
      res.writeHead(canned.status ?? 200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  // Every address: `localhost` may resolve to ::1 or 127.0.0.1.
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('oracle server has no address');
  const clientFor = (endpoint: string, extra: object = {}): OracleOss => new OSS({
    endpoint, region: ORACLE_REGION, bucket: ORACLE_BUCKET, accessKeyId: 'AKIDEXAMPLE', accessKeySecret: 'secret', secure: false,
    timeout: 10_000, ...extra,
  } as OSS.Options) as unknown as OracleOss;
  return {
    client: clientFor(`http://127.0.0.1:${address.port}`),
    pathClient: clientFor(`http://localhost:${address.port}`, { sldEnable: true }),
    answer: (r) => { canned = r; },
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The rejection of an SDK call, as the SDK shaped it. */
export async function sdkError(p: Promise<unknown>): Promise<{ name: string; code?: string; status?: number; message: string; requestId?: string; ecCode?: string; hostId?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; code?: string; status?: number; message: string };
  }
  throw new Error('expected the SDK call to fail');
}
