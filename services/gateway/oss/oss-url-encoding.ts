// encoding-type=url in OSS answers: keys, prefixes, delimiters and markers percent-encoded as
// UTF-8. Only unreserved characters and '/' stay literal; a space is %20 and '+' is %2B, so
// decoders of either school (unquote, unquote_plus, QueryUnescape) read the exact key back.
import { parseEncodingType } from '../s3/index.ts';

const LITERAL = /^[A-Za-z0-9\-_.~/]$/;

export function ossUrlEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && LITERAL.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export type TextEncoding = (text: string) => string;

/** The encoder a listing's `encoding-type` asks for (unknown types are InvalidArgument) and the type to echo. */
export function ossKeyEncoder(encodingType: string | undefined): { encode: TextEncoding; encodingType?: 'url' } {
  return parseEncodingType(encodingType) === 'url' ? { encode: ossUrlEncode, encodingType: 'url' } : { encode: (t) => t };
}
