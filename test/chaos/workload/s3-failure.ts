// What an S3 call's failure says about its effect. A certain failure means the request changed
// nothing (refused before acting, or never sent); anything else a write might have done before
// failing — timeouts, 5xx, cut connections — is indeterminate: it may take effect at any time,
// or never. Conditional outcomes (412, If-Match on a missing key) are results, not failures.

export type FailureMeaning =
  | { readonly kind: 'precondition-failed' }
  | { readonly kind: 'no-such-key' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'indeterminate'; readonly reason: string };

/** Network errors raised before a byte of the request left (nothing can have happened). */
const NEVER_SENT = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Whether a failure's reason says the request never left (a refused or unreachable connection). */
export function neverSent(reason: string | undefined): boolean {
  return reason !== undefined && NEVER_SENT.has(reason);
}

function networkCode(err: SdkError): string | undefined {
  if (err.code) return err.code;
  const cause = err.cause as SdkError | undefined;
  return cause && typeof cause === 'object' ? networkCode(cause) : undefined;
}

export function classifyS3Failure(error: unknown): FailureMeaning {
  const err = (error ?? {}) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const code = err.Code ?? err.name ?? 'Error';
  if (status === 412 || code === 'PreconditionFailed') return { kind: 'precondition-failed' };
  if (status === 404 || code === 'NoSuchKey' || code === 'NotFound') return { kind: 'no-such-key' };
  if (code === 'AbortError' || code === 'TimeoutError') return { kind: 'indeterminate', reason: 'timeout' };
  const net = networkCode(err);
  if (net && NEVER_SENT.has(net)) return { kind: 'failed', reason: net };
  if (status !== undefined && status >= 500) return { kind: 'indeterminate', reason: `${status} ${code}` };
  // 4xx (auth, bad request, 409 conflict): the request was judged and refused.
  if (status !== undefined && status >= 400) return { kind: 'failed', reason: `${status} ${code}` };
  // No answer at all (reset, hang-up, a body cut short): the server may have acted.
  return { kind: 'indeterminate', reason: net ?? code };
}

/** The steps of a put by multipart upload; only the last one can change the key. */
export type MultipartStep = 'create' | 'upload-part' | 'complete';

/**
 * What a failed step of a multipart put says about the put: before Complete nothing can have
 * happened to the key (an upload never completed is invisible), so any failure there — even a
 * timeout — is certain; Complete's own failure means what it means for any write (a 412 or 404,
 * e.g. NoSuchUpload, is a refusal).
 */
export function classifyMultipartFailure(step: MultipartStep, error: unknown): Extract<FailureMeaning, { kind: 'failed' | 'indeterminate' }> {
  const m = classifyS3Failure(error);
  const err = (error ?? {}) as SdkError;
  const reason = m.kind === 'failed' || m.kind === 'indeterminate' ? m.reason : `${err.$metadata?.httpStatusCode ?? ''} ${err.Code ?? err.name ?? m.kind}`.trim();
  if (step !== 'complete' || m.kind !== 'indeterminate') return { kind: 'failed', reason: `${step}: ${reason}` };
  return { kind: 'indeterminate', reason: `${step}: ${reason}` };
}
