// Sends SigV4-signed requests to one endpoint over node:http or node:https (a CA file for a
// cluster CA), each with a deadline. Shared by the S3 and KMS clients of the SDK.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { signRequest, type Credentials, type RequestToSign } from './sigv4-request-signer.ts';

/** A request with no answer (headers) within this long is abandoned. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** Parallel connections kept per endpoint. */
const MAX_SOCKETS = 16;

export interface TransportOptions {
  endpoint: string;
  credentials: Credentials;
  region?: string;
  /** PEM file of the CA that issued an https endpoint's certificate. */
  caFile?: string;
  /** PEM text of that CA (instead of a file). */
  ca?: string | Buffer;
  timeoutMs?: number;
}

export interface StreamedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class SignedHttpTransport {
  readonly url: URL;
  readonly region: string;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;

  constructor(private readonly o: TransportOptions) {
    this.url = new URL(o.endpoint);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`endpoint ${o.endpoint} is not http(s)`);
    this.region = o.region ?? 'us-east-1';
    this.timeoutMs = o.timeoutMs ?? REQUEST_TIMEOUT_MS;
    const ca = o.ca ?? (o.caFile ? readFileSync(o.caFile) : undefined);
    this.agent = this.url.protocol === 'https:'
      ? new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...(ca ? { ca } : {}) })
      : new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  /** Sends the request; the answer's body is left to the caller to read (or to `destroy`). */
  stream(r: Omit<RequestToSign, 'host'>, service: string): Promise<StreamedResponse> {
    const signed = signRequest({ ...r, host: this.url.host }, this.o.credentials, this.region, service, Date.now());
    const body = r.body ?? new Uint8Array(0);
    signed.headers['content-length'] = String(body.length);
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send({
        hostname: this.url.hostname, port: this.url.port, method: r.method, path: signed.rawUrl,
        headers: signed.headers, agent: this.agent, timeout: this.timeoutMs,
      }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }));
      req.on('timeout', () => req.destroy(new Error(`${r.method} ${this.url.origin} got no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends the request and reads the whole answer. */
  async send(r: Omit<RequestToSign, 'host'>, service: string): Promise<BufferedResponse> {
    const res = await this.stream(r, service);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
  }

  close(): void {
    this.agent.destroy();
  }
}
