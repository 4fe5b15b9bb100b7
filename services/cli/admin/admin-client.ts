// A client of the gateway's admin API (docs/admin-api.md): JSON requests signed with SigV4
// (header form, payload hash), over http or https (a CA file for the latter). Used by
// `zonestore admin` and by tests.
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import {
  credentialScope, requestStringToSign, sha256Hex, SIGV4_ALGORITHM, signatureOf, signingKey,
} from '../../gateway/auth/sigv4-signing.ts';
import { buildCanonicalRequest } from '../../gateway/auth/sigv4-canonical-request.ts';
import { canonicalQueryString, canonicalUri, parseRawQuery } from '../../gateway/auth/sigv4-uri-encoding.ts';

export const ADMIN_BASE_PATH = '/_zonestore/admin/v1';
/** One admin request's deadline. */
export const ADMIN_REQUEST_TIMEOUT_MS = 30_000;
const SIGNING_REGION = 'us-east-1';

export interface AdminClientOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** PEM file of the CA that issued an https endpoint's certificate. */
  caFile?: string;
}

export class AdminApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'AdminApiError';
  }
}

export interface AdminResponse {
  status: number;
  body: unknown;
  text: string;
}

export class AdminClient {
  private readonly url: URL;
  private readonly agent: HttpsAgent | undefined;

  constructor(private readonly o: AdminClientOptions) {
    this.url = new URL(o.endpoint);
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent(o.caFile ? { ca: readFileSync(o.caFile) } : {}) : undefined;
  }

  /** Sends one request; throws AdminApiError for an error answer. `body`: JSON value or raw text. */
  async call(method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<AdminResponse> {
    const r = await this.send(method, path, body, query);
    if (r.status >= 400) {
      const e = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new AdminApiError(r.status, e?.code ?? `HTTP${r.status}`, e?.message ?? r.text);
    }
    return r;
  }

  /** Sends one request and returns whatever came back. */
  send(method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<AdminResponse> {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    const qs = new URLSearchParams(query).toString();
    const rawPath = ADMIN_BASE_PATH + path;
    const rawUrl = qs ? `${rawPath}?${qs}` : rawPath;
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    const payloadHash = sha256Hex(payload);
    const headers: Record<string, string> = {
      host: this.url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash,
      'content-type': 'application/json', 'content-length': String(payload.length),
    };
    const signedHeaders = ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'];
    const canonical = buildCanonicalRequest({
      method, canonicalUri: canonicalUri(rawPath), canonicalQuery: canonicalQueryString(parseRawQuery(qs)),
      headers, signedHeaders, payloadHash,
    });
    const scope = credentialScope(date, SIGNING_REGION);
    const signature = signatureOf(signingKey(this.o.secretAccessKey, date, SIGNING_REGION), requestStringToSign(amzDate, scope, canonical));
    headers.authorization = `${SIGV4_ALGORITHM} Credential=${this.o.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send({
        hostname: this.url.hostname, port: this.url.port, method, path: rawUrl, headers, timeout: ADMIN_REQUEST_TIMEOUT_MS,
        ...(this.agent ? { agent: this.agent } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`admin request timed out after ${ADMIN_REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}
