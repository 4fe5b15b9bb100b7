// Request headers as node:http hands them over: lowercase names, repeated headers as arrays.
// The codec reads them through here so it never depends on node:http itself.

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header's value: undefined when absent, repeated values joined as HTTP allows (", "). */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v.join(', ');
}
