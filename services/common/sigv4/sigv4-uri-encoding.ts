// The canonical URI and canonical query string of a SigV4 canonical request, computed from the
// raw request target exactly as the client sent it.
//
// S3 signs the path as sent: no double encoding and no '.'/'..' normalisation. Clients differ
// only in which characters they leave unencoded, so each component is percent-decoded to bytes
// and re-encoded by the SigV4 rule (A-Z a-z 0-9 - . _ ~ kept, every other byte %XX in upper
// case), which gives the same text for every spelling of the same bytes.

/** Encoded form of each byte value under the SigV4 rule. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
});

export function sigv4Encode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += ENCODED_BYTE[b];
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The bytes a raw URL component stands for. Node hands over the request line as latin1, so a
 * character up to U+00FF is one byte as received; a character above that can only come from a
 * JavaScript caller and is taken as UTF-8. A '%' not followed by two hex digits is a literal
 * '%', as S3 treats it.
 */
export function percentDecodeBytes(raw: string): Buffer {
  if (!/[%\u0100-\uffff]/.test(raw)) return Buffer.from(raw, 'latin1');
  const out = Buffer.allocUnsafe(raw.length * 3);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    if (c <= 0xff) {
      out[n++] = c;
      continue;
    }
    const codePoint = raw.codePointAt(i)!;
    if (codePoint > 0xffff) i++;
    n += out.write(String.fromCodePoint(codePoint), n, 'utf8');
  }
  return out.subarray(0, n);
}

/** A raw URL component's text (percent-decoded, UTF-8). */
export function percentDecode(raw: string): string {
  return percentDecodeBytes(raw).toString('utf8');
}

export interface RawTarget {
  /** The path as sent, still percent-encoded; '/' when empty. */
  rawPath: string;
  /** What follows the first '?', or '' when there is none. */
  rawQuery: string;
}

/** Splits `req.url` into path and query. An absolute-form target (a proxy's) loses its origin. */
export function splitRawUrl(rawUrl: string): RawTarget {
  let target = rawUrl;
  const origin = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(target);
  if (origin) target = target.slice(origin[0].length);
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery: q < 0 ? '' : target.slice(q + 1) };
}

/** The canonical URI: every '/'-separated segment decoded and re-encoded, slashes kept. */
export function canonicalUri(rawPath: string): string {
  return rawPath.split('/').map((segment) => sigv4Encode(percentDecodeBytes(segment))).join('/');
}

export interface QueryParam {
  /** Decoded name. */
  name: string;
  /** Decoded value; undefined for a bare `?name` without '='. */
  value: string | undefined;
  /** SigV4-encoded name and value, as they enter the canonical query string. */
  encodedName: string;
  encodedValue: string;
}

/**
 * Every `name[=value]` of a raw query, in order. A '+' is a literal plus (RFC 3986), not a
 * space: SDKs encode spaces as %20 and sign them that way.
 */
export function parseRawQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? undefined : piece.slice(eq + 1);
    const nameBytes = percentDecodeBytes(rawName);
    const valueBytes = rawValue === undefined ? undefined : percentDecodeBytes(rawValue);
    params.push({
      name: nameBytes.toString('utf8'),
      value: valueBytes?.toString('utf8'),
      encodedName: sigv4Encode(nameBytes),
      encodedValue: valueBytes ? sigv4Encode(valueBytes) : '',
    });
  }
  return params;
}

/** The canonical query string: `name=value` pairs sorted by encoded name, then value. */
export function canonicalQueryString(params: readonly QueryParam[], omit?: (p: QueryParam) => boolean): string {
  const pairs = params.filter((p) => !omit?.(p)).map((p) => [p.encodedName, p.encodedValue] as const);
  pairs.sort((x, y) => compareStrings(x[0], y[0]) || compareStrings(x[1], y[1]));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
