// `zonestore admin kms`'s connection to the gateway's KMS API (/_zonestore/kms, docs/kms.md): the
// client SDK's KMS JSON client over its signed transport, so the CLI, the SDK and the gateway's
// verifier share one SigV4 implementation. Any AWS KMS client works as well.
import { SignedHttpTransport } from '../../client/http/signed-http-transport.ts';
import { KmsJsonClient } from '../../client/kms/kms-json-client.ts';

export { KmsRequestError as KmsApiCallError } from '../../client/kms/kms-json-client.ts';

export const KMS_REQUEST_TIMEOUT_MS = 30_000;

export interface KmsClientOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  caFile?: string;
}

export class KmsApiClient {
  private readonly transport: SignedHttpTransport;
  private readonly client: KmsJsonClient;

  constructor(o: KmsClientOptions) {
    this.transport = new SignedHttpTransport({
      endpoint: o.endpoint, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
      ...(o.caFile ? { caFile: o.caFile } : {}), timeoutMs: KMS_REQUEST_TIMEOUT_MS,
    });
    this.client = new KmsJsonClient(this.transport);
  }

  /** One operation (`Encrypt`, `CreateKey` …); throws KmsApiCallError with AWS's error name. */
  call(operation: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.client.call(operation, input);
  }

  close(): void {
    this.transport.close();
  }
}
