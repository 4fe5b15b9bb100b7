// Errors of the KMS API in AWS's JSON 1.1 form: {"__type": "<Name>", "message": "…"} with the
// status AWS KMS answers (every refusal is 400; KMSInternalException 500, DependencyTimeoutException 503).
import { KmsError } from '../../kms/data-key-service.ts';

export class KmsApiError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'KmsApiError';
  }
}

/** The status for a KmsError code or an AWS error name. */
function statusOf(type: string): number {
  if (type === 'KMSInternalException') return 500;
  // A gateway without a root key stays that way: 400, so clients do not retry as they would a 5xx.
  if (type === 'DependencyTimeoutException') return 503;
  return 400;
}

export function toKmsApiError(err: unknown): KmsApiError | undefined {
  if (err instanceof KmsApiError) return err;
  if (err instanceof KmsError) {
    const type = err.awsType ?? (err.code === 'KMSNotConfigured' ? 'KMSNotConfiguredException' : err.code);
    return new KmsApiError(type, err.message, statusOf(type));
  }
  return undefined;
}

export function notConfigured(): KmsApiError {
  return new KmsApiError('KMSNotConfiguredException', 'this gateway has no KMS root key (start it with --kms-root-key-file or ZONESTORE_KMS_ROOT_KEY): KMS and SSE requests are refused', 400);
}
