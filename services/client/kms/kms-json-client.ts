// A client of the gateway's KMS API (`/_zonestore/kms`), which speaks the AWS KMS JSON protocol:
// POST, `X-Amz-Target: TrentService.<Operation>`, `application/x-amz-json-1.1`, SigV4 service
// `kms`, AWS field names with binary fields in base64, errors as {"__type", "message"}.
import type { SignedHttpTransport } from '../http/signed-http-transport.ts';

export const KMS_API_PATH = '/_zonestore/kms';
const KMS_SERVICE = 'kms';
const KMS_TARGET_PREFIX = 'TrentService.';
const KMS_CONTENT_TYPE = 'application/x-amz-json-1.1';

export class KmsRequestError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(`${type}: ${message} (HTTP ${status})`);
    this.name = 'KmsRequestError';
  }
}

export interface KmsDataKey {
  keyId: string;
  plaintext: Buffer;
  ciphertextBlob: Buffer;
}

type EncryptionContext = Record<string, string>;

export class KmsJsonClient {
  constructor(private readonly transport: SignedHttpTransport, private readonly path = KMS_API_PATH) {}

  async generateDataKey(keyId: string, context?: EncryptionContext): Promise<KmsDataKey> {
    const r = await this.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', ...(context ? { EncryptionContext: context } : {}) });
    return { keyId: str(r, 'KeyId'), plaintext: b64(r, 'Plaintext'), ciphertextBlob: b64(r, 'CiphertextBlob') };
  }

  async encrypt(keyId: string, plaintext: Uint8Array, context?: EncryptionContext): Promise<{ keyId: string; ciphertextBlob: Buffer }> {
    const r = await this.call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from(plaintext).toString('base64'), ...(context ? { EncryptionContext: context } : {}) });
    return { keyId: str(r, 'KeyId'), ciphertextBlob: b64(r, 'CiphertextBlob') };
  }

  async decrypt(ciphertextBlob: Uint8Array, context?: EncryptionContext): Promise<{ keyId: string; plaintext: Buffer }> {
    const r = await this.call('Decrypt', { CiphertextBlob: Buffer.from(ciphertextBlob).toString('base64'), ...(context ? { EncryptionContext: context } : {}) });
    return { keyId: str(r, 'KeyId'), plaintext: b64(r, 'Plaintext') };
  }

  /** One operation; its JSON answer, or KmsRequestError with the error's type. */
  async call(operation: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.transport.send({
      method: 'POST', rawPath: this.path, body: Buffer.from(JSON.stringify(request), 'utf8'),
      headers: { 'content-type': KMS_CONTENT_TYPE, 'x-amz-target': `${KMS_TARGET_PREFIX}${operation}` },
    }, KMS_SERVICE);
    let parsed: unknown;
    try { parsed = res.body.length > 0 ? JSON.parse(res.body.toString('utf8')) : {}; } catch { parsed = undefined; }
    if (res.status >= 300 || typeof parsed !== 'object' || parsed === null) {
      const e = (parsed ?? {}) as { __type?: string; message?: string; Message?: string };
      // AWS spells the type either bare or as `namespace#Type`.
      const type = (e.__type ?? `HTTP${res.status}`).split('#').pop()!;
      throw new KmsRequestError(res.status, type, e.message ?? e.Message ?? res.body.toString('utf8').slice(0, 200));
    }
    return parsed as Record<string, unknown>;
  }
}

function str(r: Record<string, unknown>, name: string): string {
  const v = r[name];
  if (typeof v !== 'string') throw new KmsRequestError(200, 'MalformedResponse', `the KMS answer has no ${name}`);
  return v;
}

function b64(r: Record<string, unknown>, name: string): Buffer {
  return Buffer.from(str(r, name), 'base64');
}
