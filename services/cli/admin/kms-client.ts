// A client of the gateway's KMS API (/_zonestore/kms, docs/kms.md): AWS KMS JSON 1.1 requests
// signed with SigV4 for service "kms". Used by `zonestore admin kms` and by tests; any AWS KMS
// client works as well.
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { buildCanonicalRequest } from '../../common/sigv4/sigv4-canonical-request.ts';
import { credentialScope, requestStringToSign, sha256Hex, SIGV4_ALGORITHM, signatureOf, signingKey } from '../../common/sigv4/sigv4-signing.ts';
import { canonicalUri } from '../../common/sigv4/sigv4-uri-encoding.ts';

export const KMS_API_PATH = '/_zonestore/kms';
export const KMS_REQUEST_TIMEOUT_MS = 30_000;
const SIGNING_REGION = 'us-east-1';

export class KmsApiCallError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(`${type}: ${message}`);
    this.name = 'KmsApiCallError';
  }
}

export interface KmsClientOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  caFile?: string;
}

export class KmsApiClient {
  private readonly url: URL;
  private readonly agent: HttpsAgent | undefined;

  constructor(private readonly o: KmsClientOptions) {
    this.url = new URL(o.endpoint);
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent(o.caFile ? { ca: readFileSync(o.caFile) } : {}) : undefined;
  }

  /** One operation (`Encrypt`, `CreateKey` …); throws KmsApiCallError with AWS's error name. */
  call(operation: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const payload = Buffer.from(JSON.stringify(input), 'utf8');
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    const path = `${KMS_API_PATH}/`;
    const headers: Record<string, string> = {
      host: this.url.host, 'x-amz-date': amzDate, 'x-amz-target': `TrentService.${operation}`,
      'content-type': 'application/x-amz-json-1.1', 'content-length': String(payload.length),
    };
    const signedHeaders = ['content-type', 'host', 'x-amz-date', 'x-amz-target'];
    const payloadHash = sha256Hex(payload);
    const canonical = buildCanonicalRequest({ method: 'POST', canonicalUri: canonicalUri(path), canonicalQuery: '', headers, signedHeaders, payloadHash });
    const scope = credentialScope(date, SIGNING_REGION, 'kms');
    const signature = signatureOf(signingKey(this.o.secretAccessKey, date, SIGNING_REGION, 'kms'), requestStringToSign(amzDate, scope, canonical));
    headers.authorization = `${SIGV4_ALGORITHM} Credential=${this.o.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send({
        hostname: this.url.hostname, port: this.url.port, method: 'POST', path, headers, timeout: KMS_REQUEST_TIMEOUT_MS,
        ...(this.agent ? { agent: this.agent } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = {};
          try { body = text ? JSON.parse(text) as Record<string, unknown> : {}; } catch { body = { message: text }; }
          if ((res.statusCode ?? 500) >= 400) reject(new KmsApiCallError(res.statusCode ?? 0, String(body['__type'] ?? `HTTP${res.statusCode}`), String(body['message'] ?? text)));
          else resolve(body);
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`KMS request timed out after ${KMS_REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}
