// The SigV4 canonical request: method, canonical URI, canonical query, the signed headers with
// their values, the signed-header list and the payload hash line.
/** Lower-case header names to values, as node:http hands them over (arrays for a few repeated ones). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Repeated values joined with ',' as SigV4 joins them. */
function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** A header value as SigV4 signs it: trimmed, inner runs of whitespace collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/[ \t]+/g, ' ');
}

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  headers: RequestHeaders;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function buildCanonicalRequest(p: CanonicalRequestParts): string {
  // A signed header the request lacks is signed as empty: the client will have signed
  // something else, so the signature fails, which is the right verdict.
  const headerLines = p.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headerValue(p.headers, name) ?? '')}\n`);
  return [p.method, p.canonicalUri, p.canonicalQuery, headerLines.join(''), p.signedHeaders.join(';'), p.payloadHash].join('\n');
}
