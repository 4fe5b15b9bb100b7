// encoding-type=url: how S3 percent-encodes keys, prefixes and markers in listing XML so any
// key survives an XML parser. It is form encoding (a space is '+') over UTF-8 bytes, leaving
// ASCII letters and digits, '-', '_', '.', '*' and '/' as they are — Java URLEncoder's safe
// set plus '/', which is what S3 emits and what botocore (unquote_plus) decodes.

const SAFE = /^[A-Za-z0-9\-_.*/]*$/;

export function s3UrlEncode(text: string): string {
  if (SAFE.test(text)) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
      || byte === 0x2d || byte === 0x5f || byte === 0x2e || byte === 0x2a || byte === 0x2f) {
      out += String.fromCharCode(byte);
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** The inverse, as a client decodes it (unquote_plus). */
export function s3UrlDecode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}
