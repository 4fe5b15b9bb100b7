// The header block both OSS signature versions sign: `name:value\n` per header, names lower
// case and sorted, values trimmed, as byte strings (see oss-string-bytes.ts).
import { headerValue, type RequestHeaders } from '../auth/request-view.ts';
import { headerByteString } from './oss-string-bytes.ts';

const OSS_HEADER_PREFIX = 'x-oss-';

/** Every x-oss-* header present (Node's names are already lower case). */
export function ossHeaderNames(headers: RequestHeaders): string[] {
  return Object.keys(headers).filter((name) => name.startsWith(OSS_HEADER_PREFIX) && headers[name] !== undefined);
}

/**
 * `name:value\n` for each name, sorted. A name absent from the request signs an empty value:
 * only V4's AdditionalHeaders can name one, and SDKs never list an absent header.
 */
export function canonicalHeaderLines(headers: RequestHeaders, names: Iterable<string>): string {
  return [...new Set(names)].sort().map((name) => `${name}:${headerByteString(headerValue(headers, name)?.trim() ?? '')}\n`).join('');
}
