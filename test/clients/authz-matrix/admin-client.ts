// A tiny client of the gateway's admin API (docs/admin-api.md): JSON requests signed with SigV4
// (header form, service s3) by @smithy/signature-v4, the signer the AWS SDK itself uses.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RootCredentials } from '../../../services/gateway/credentials/root-credentials.ts';
import { REGION } from '../s3-cluster-fixture.ts';

const ADMIN_PREFIX = '/_zonestore/admin/v1';
const ADMIN_TIMEOUT_MS = 30_000;

/** SHA-256 / HMAC-SHA-256 in the shape the signer wants, on node:crypto. */
class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    throw new Error('not resettable');
  }
}

export interface AdminAnswer<T = Record<string, unknown>> { status: number; json: T }

export class AdminClient {
  private readonly signer: SignatureV4;

  constructor(private readonly endpoint: string, credentials: RootCredentials) {
    this.signer = new SignatureV4({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      region: REGION, service: 's3', sha256: NodeSha256 as never, uriEscapePath: false,
    });
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<AdminAnswer<T>> {
    const url = new URL(ADMIN_PREFIX + path, this.endpoint);
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => { query[k] = v; });
    const signed = await this.signer.sign({
      method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, query,
      headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update(text ?? '').digest('hex'), ...(text !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: text,
    });
    const res = await fetch(url, { method, headers: signed.headers as Record<string, string>, body: text, signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
    const raw = await res.text();
    let json: unknown = {};
    try {
      json = raw ? JSON.parse(raw) : {};
    } catch {
      json = { raw };
    }
    return { status: res.status, json: json as T };
  }

  /** The call's answer, or an error naming what failed. */
  async must<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const a = await this.call<T>(method, path, body);
    if (a.status >= 300) throw new Error(`admin ${method} ${path}: ${a.status} ${JSON.stringify(a.json)}`);
    return a.json;
  }
}
