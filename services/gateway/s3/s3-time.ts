// The two time formats S3 speaks: ISO 8601 with milliseconds in XML, RFC 1123 (IMF-fixdate) in
// headers. Stored times are ms since the epoch, as bigint from protobuf or number.

export function isoTime(ms: bigint | number): string {
  return new Date(Number(ms)).toISOString();
}

export function httpDate(ms: bigint | number): string {
  return new Date(Number(ms)).toUTCString();
}

/**
 * Parses an HTTP date (IMF-fixdate, and the obsolete RFC 850 / asctime forms Date.parse also
 * reads) to ms; undefined when it is not a date, which callers treat as "header absent" (RFC 7232).
 */
export function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
