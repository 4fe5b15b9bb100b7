// ListObjects v2 continuation tokens: opaque to clients, here just the marker to resume after
// (the last key or common prefix of the previous page) with a format version.
import { MetaError } from '../meta-error.ts';

const TOKEN_VERSION = 'k1.';

export function encodeContinuationToken(marker: Uint8Array): string {
  return TOKEN_VERSION + Buffer.from(marker.buffer, marker.byteOffset, marker.byteLength).toString('base64url');
}

export function decodeContinuationToken(token: string): Uint8Array {
  const body = token.startsWith(TOKEN_VERSION) ? token.slice(TOKEN_VERSION.length) : null;
  if (body === null || !/^[A-Za-z0-9_-]*$/.test(body)) {
    throw new MetaError('InvalidArgument', 'The continuation token provided is incorrect');
  }
  return new Uint8Array(Buffer.from(body, 'base64url'));
}
