// The code an operation failed with, for "errors by code": the S3 error code when the server
// sent one (with its HTTP status, since a 503 SlowDown and a 500 InternalError call for different
// readings), else the socket or abort error's code. Pure.
export function errorCode(err: unknown): string {
  const e = err as { Code?: string; name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const named = e?.name && e.name !== 'Error' && e.name !== 'Unknown' ? e.name : undefined;
  const base = e?.Code ?? named ?? e?.code ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  return status ? `${base} (HTTP ${status})` : base;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
