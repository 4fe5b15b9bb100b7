// The parts of an HTTP request authentication reads, so it can be tested without sockets.

export interface RequestView {
  method: string;
  /** Exactly `req.url` as received: the raw, percent-encoded path and an optional `?query`. */
  rawUrl: string;
  /** Node's `IncomingHttpHeaders`: lower-case names. */
  headers: Record<string, string | string[] | undefined>;
}

export type RequestHeaders = RequestView['headers'];

/**
 * One header's value. Node already joins most repeated headers with ', '; the few it keeps as
 * arrays are joined with ',' as SigV4 joins repeated values.
 */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
