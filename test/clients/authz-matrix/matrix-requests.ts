// Runs one matrix case through a real client and says what the gateway answered: `allow` (2xx),
// `deny` (403 AccessDenied; HEAD has no body, so 403 alone) or anything else, spelled out.
// Clients are made once per (principal, source address, Referer) and reused: the SDK binds the
// chosen loopback source address through its node:http agent, anonymous clients send their
// requests unsigned, and presigned URLs are fetched with node:http from the same address.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  DeleteObjectCommand, GetBucketAclCommand, GetBucketPolicyCommand, GetObjectAclCommand, GetObjectCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsV2Command, PutBucketAclCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RootCredentials } from '../../../services/gateway/credentials/root-credentials.ts';
import { ossClient, type OssClient } from '../oss/oss-fixture.ts';
import { s3Client } from '../s3-cluster-fixture.ts';
import type { MatrixCase, PrincipalName } from './matrix-cases.ts';
import { bucketPolicy, REFERERS, type RefererName, type SourceIp } from './matrix-setup.ts';

/** Each request's limit: a hang fails its case, not the suite. */
export const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
const PRESIGN_EXPIRES_S = 600;
/** Headers the SDK's signer adds; an anonymous client sends none of them. */
const SIGNING_HEADERS = ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

export type Outcome = 'allow' | 'deny' | string;

export class MatrixClients {
  private readonly s3 = new Map<string, S3Client>();
  private readonly oss = new Map<string, OssClient>();
  private readonly agents = new Map<string, Agent>();
  private readonly httpsAgents = new Map<string, HttpsAgent>();

  constructor(
    private readonly endpoint: string, private readonly credentials: Partial<Record<PrincipalName, RootCredentials>>,
    private readonly https?: { endpoint: string; caFile: string },
  ) {}

  private httpsAgent(sourceIp: SourceIp): HttpsAgent {
    if (!this.https) throw new Error('no HTTPS endpoint');
    let a = this.httpsAgents.get(sourceIp);
    if (!a) this.httpsAgents.set(sourceIp, a = new HttpsAgent({ localAddress: sourceIp, keepAlive: true, maxSockets: 16, ca: readFileSync(this.https.caFile) }));
    return a;
  }

  agent(sourceIp: SourceIp): Agent {
    let a = this.agents.get(sourceIp);
    if (!a) this.agents.set(sourceIp, a = new Agent({ localAddress: sourceIp, keepAlive: true, maxSockets: 16 }));
    return a;
  }

  s3For(principal: PrincipalName, sourceIp: SourceIp, referer: RefererName, secure = false): S3Client {
    const id = `${principal} ${sourceIp} ${referer} ${secure}`;
    let client = this.s3.get(id);
    if (client) return client;
    if (principal !== 'anonymous' && !this.credentials[principal]) throw new Error(`no key for ${principal}`);
    const creds = this.credentials[principal] ?? { accessKeyId: 'anonymousXXXXXXXXX', secretAccessKey: 'unused' };
    client = s3Client(secure ? this.https!.endpoint : this.endpoint, creds, {
      requestHandler: new NodeHttpHandler({ ...(secure ? { httpsAgent: this.httpsAgent(sourceIp) } : { httpAgent: this.agent(sourceIp) }), requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECT_TIMEOUT_MS }),
    });
    const refererValue = REFERERS[referer];
    if (refererValue !== undefined) {
      client.middlewareStack.add((next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers.referer = refererValue;
        return next(args);
      }, { step: 'build', name: 'matrixReferer' });
    }
    if (principal === 'anonymous') {
      type Next = (args: { request: unknown }) => Promise<unknown>;
      const unsign = (next: Next) => async (args: { request: unknown }) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        for (const h of Object.keys(headers)) if (SIGNING_HEADERS.includes(h.toLowerCase())) delete headers[h];
        return next(args);
      };
      client.middlewareStack.addRelativeTo(unsign as never, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'matrixUnsigned' });
    }
    this.s3.set(id, client);
    return client;
  }

  ossFor(principal: PrincipalName, sourceIp: SourceIp, bucket: string): OssClient {
    const id = `${principal} ${sourceIp} ${bucket}`;
    let client = this.oss.get(id);
    const creds = this.credentials[principal];
    if (!creds) throw new Error(`no OSS client for ${principal}`);
    if (!client) this.oss.set(id, client = ossClient(this.endpoint, creds, { bucket, agent: this.agent(sourceIp), timeout: REQUEST_TIMEOUT_MS }));
    return client;
  }

  destroy(): void {
    for (const c of this.s3.values()) c.destroy();
    for (const a of this.agents.values()) a.destroy();
    for (const a of this.httpsAgents.values()) a.destroy();
  }
}

function sdkOutcome(err: unknown, bodiless: boolean): Outcome {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  const status = e.$metadata?.httpStatusCode;
  const code = e.Code ?? e.name;
  // A HEAD answer has no body, so no code: its 403 is the refusal.
  if (status === 403 && (code === 'AccessDenied' || bodiless)) return 'deny';
  return `error ${status} ${code}: ${e.message ?? ''}`.slice(0, 300);
}

function ossOutcome(err: unknown): Outcome {
  const e = err as { status?: number; code?: string; message?: string };
  if (e.status === 403 && (e.code === 'AccessDenied' || e.code === undefined || e.code === '' || /403|Forbidden/i.test(e.code))) return 'deny';
  return `error ${e.status} ${e.code}: ${e.message ?? ''}`.slice(0, 300);
}

/** The case's SDK command (or null for the presigned and OSS paths). */
function command(c: MatrixCase) {
  const Bucket = c.bucket?.name ?? '';
  const Key = c.key ?? '';
  switch (c.action) {
    case 'GetObject': return new GetObjectCommand({ Bucket, Key });
    case 'HeadObject': return new HeadObjectCommand({ Bucket, Key });
    case 'PutObject': return new PutObjectCommand({ Bucket, Key, Body: `written by ${c.name}` });
    case 'DeleteObject': return new DeleteObjectCommand({ Bucket, Key });
    case 'GetObjectAcl': return new GetObjectAclCommand({ Bucket, Key });
    // Re-puts the ACL the object already has, so no other case sees a change.
    case 'PutObjectAcl': return new PutObjectAclCommand({ Bucket, Key, ACL: c.prefixSpec!.objectAcl });
    case 'ListObjectsV2': return new ListObjectsV2Command({ Bucket, ...(c.listPrefix ? { Prefix: c.listPrefix } : {}) });
    case 'GetBucketAcl': return new GetBucketAclCommand({ Bucket });
    case 'PutBucketAcl': return new PutBucketAclCommand({ Bucket, ACL: c.bucket!.acl });
    case 'GetBucketPolicy': return new GetBucketPolicyCommand({ Bucket });
    case 'PutBucketPolicy': return new PutBucketPolicyCommand({ Bucket, Policy: bucketPolicy(c.bucket!) });
    case 'ListBuckets': return new ListBucketsCommand({});
  }
}

async function drain(body: unknown): Promise<void> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  await b?.transformToByteArray?.();
}

function fetchFrom(url: string, method: string, sourceIp: SourceIp, agent: Agent, referer: string | undefined, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(referer ? { referer } : {}), ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    const req = request(url, { method, agent, localAddress: sourceIp, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function runPresigned(clients: MatrixClients, c: MatrixCase): Promise<Outcome> {
  // Signed by a client without the Referer middleware: the URL carries the signature, the Referer is the fetch's.
  const signer = clients.s3For(c.principal, c.sourceIp, 'none');
  const cmd = command(c);
  const url = await getSignedUrl(signer, cmd as never, { expiresIn: PRESIGN_EXPIRES_S });
  const method = c.action === 'PutObject' ? 'PUT' : 'GET';
  const a = await fetchFrom(url, method, c.sourceIp, clients.agent(c.sourceIp), REFERERS[c.referer], method === 'PUT' ? `written by ${c.name}` : undefined);
  if (a.status >= 200 && a.status < 300) return 'allow';
  if (a.status === 403 && /<Code>AccessDenied<\/Code>/.test(a.body)) return 'deny';
  return `error ${a.status}: ${a.body.slice(0, 300)}`;
}

async function runOss(clients: MatrixClients, c: MatrixCase): Promise<Outcome> {
  const oss = clients.ossFor(c.principal, c.sourceIp, c.bucket!.name);
  const key = c.key ?? '';
  try {
    switch (c.action) {
      case 'GetObject': await oss.get(key); break;
      case 'HeadObject': await oss.head(key); break;
      case 'PutObject': await oss.put(key, Buffer.from(`written by ${c.name}`)); break;
      case 'DeleteObject': await oss.delete(key); break;
      case 'GetObjectAcl': await oss.getACL(key); break;
      case 'ListObjectsV2': await oss.listV2({ ...(c.listPrefix ? { prefix: c.listPrefix } : {}), 'max-keys': '100' } as never, {}); break;
      case 'GetBucketAcl': await oss.getBucketACL(c.bucket!.name); break;
      default: throw new Error(`no OSS form of ${c.action}`);
    }
    return 'allow';
  } catch (err) {
    return ossOutcome(err);
  }
}

export async function runCase(clients: MatrixClients, c: MatrixCase): Promise<Outcome> {
  if (c.via === 'presigned') return runPresigned(clients, c);
  if (c.via === 'oss') return runOss(clients, c);
  const client = clients.s3For(c.principal, c.sourceIp, c.referer, c.via === 'https');
  try {
    const out = await client.send(command(c) as never) as { Body?: unknown };
    await drain(out.Body);
    return 'allow';
  } catch (err) {
    return sdkOutcome(err, c.action === 'HeadObject');
  }
}
