// What the x-amz-content-sha256 value says about the request body: a hash to check, no
// check, or one of the aws-chunked streaming forms.

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export type PayloadSigning =
  | { kind: 'unsigned' }
  | { kind: 'sha256'; hex: string }
  | { kind: 'streaming-signed'; trailer: boolean }
  | { kind: 'streaming-unsigned-trailer' };

/**
 * The body's signing mode from an x-amz-content-sha256 value, or undefined when the value is
 * none of the known forms (SigV4a's ECDSA streaming forms included: they are not supported).
 */
export function parsePayloadSigning(value: string): PayloadSigning | undefined {
  switch (value) {
    case UNSIGNED_PAYLOAD: return { kind: 'unsigned' };
    case STREAMING_SIGNED_PAYLOAD: return { kind: 'streaming-signed', trailer: false };
    case STREAMING_SIGNED_PAYLOAD_TRAILER: return { kind: 'streaming-signed', trailer: true };
    case STREAMING_UNSIGNED_PAYLOAD_TRAILER: return { kind: 'streaming-unsigned-trailer' };
  }
  return /^[0-9a-fA-F]{64}$/.test(value) ? { kind: 'sha256', hex: value.toLowerCase() } : undefined;
}

/** Whether the body is framed as aws-chunked. */
export function isAwsChunked(payload: PayloadSigning): boolean {
  return payload.kind === 'streaming-signed' || payload.kind === 'streaming-unsigned-trailer';
}
