// A client of the gateway's admin API (docs/admin-api.md): JSON requests signed with SigV4
// (header form, payload hash), over http or https (a CA file for the latter), sent by the client
// SDK's signed transport. Used by `zonestore admin` and by tests.
import { SignedHttpTransport } from '../../client/http/signed-http-transport.ts';

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
  private readonly transport: SignedHttpTransport;

  constructor(o: AdminClientOptions) {
    this.transport = new SignedHttpTransport({
      endpoint: o.endpoint, region: SIGNING_REGION, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
      ...(o.caFile ? { caFile: o.caFile } : {}), timeoutMs: ADMIN_REQUEST_TIMEOUT_MS,
    });
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
  async send(method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<AdminResponse> {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    const res = await this.transport.send({
      method, rawPath: ADMIN_BASE_PATH + path, query, headers: { 'content-type': 'application/json' }, body: payload,
    }, 's3');
    const text = res.body.toString('utf8');
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, body: parsed, text };
  }

  /** Lets the process exit: the transport keeps connections alive between requests. */
  close(): void {
    this.transport.close();
  }
}
