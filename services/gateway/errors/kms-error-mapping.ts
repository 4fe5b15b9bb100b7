// Refusals of the key service (services/kms/, KmsError with AWS KMS's codes) become gateway
// errors here, once, as S3 reports them for SSE-KMS requests: a disabled key is
// KMS.DisabledException, a key pending deletion KMS.KMSInvalidStateException, an unknown key
// KMS.NotFoundException (all 400); a caller the key's or IAM policy refuses is 403 AccessDenied.
import { KmsError, type KmsErrorCode } from '../../kms/data-key-service.ts';
import { StoreError, type StoreErrorCode } from './store-error.ts';

const CODES: Partial<Record<KmsErrorCode, StoreErrorCode>> = {
  NotFoundException: 'KMS.NotFoundException',
  DisabledException: 'KMS.DisabledException',
  KMSInvalidStateException: 'KMS.KMSInvalidStateException',
  AccessDeniedException: 'AccessDenied',
  InvalidCiphertextException: 'KMS.InvalidCiphertextException',
  IncorrectKeyException: 'KMS.InvalidCiphertextException',
  InvalidKeyUsageException: 'InvalidArgument',
  ValidationException: 'InvalidArgument',
  LimitExceededException: 'SlowDown',
  AlreadyExistsException: 'InvalidArgument',
  KMSNotConfigured: 'KMSNotConfigured',
  KMSInternalException: 'InternalError',
  // Anything else (import, alias, policy errors) cannot arise from SSE: InternalError.
};

/** Converts a KmsError to a StoreError; anything else passes through unchanged. */
export function fromKmsError(err: unknown): unknown {
  if (!(err instanceof KmsError)) return err;
  const code = CODES[err.code] ?? 'InternalError';
  return new StoreError(code, code === 'InternalError' ? 'We encountered an internal error. Please try again.' : err.message);
}

/** Runs a key service call, translating its refusal. */
export async function kmsCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw fromKmsError(err);
  }
}
