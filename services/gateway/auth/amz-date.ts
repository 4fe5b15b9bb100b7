// Request timestamps: SigV4's basic ISO 8601 form (20130524T000000Z) and the HTTP Date header
// a client may send instead of x-amz-date.

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of `yyyyMMddTHHmmssZ`, or undefined if it is not a real instant. */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 20130231 over into March; a date that does not round-trip was not real.
  return formatAmzDate(ms) === text ? ms : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An HTTP Date header (RFC 7231, e.g. `Fri, 24 May 2013 00:00:00 GMT`), or undefined. */
export function parseHttpDate(text: string): number | undefined {
  if (!/GMT$|UTC$|[+-]0000$/.test(text.trim())) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
