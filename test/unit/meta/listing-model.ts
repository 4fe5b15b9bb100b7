// The obviously-correct answer to a listing, straight from the definition in
// services/meta/listing/listing-planner.ts, for model tests.

export interface ModelQuery {
  prefix: string;
  delimiter: string;
  startAfter: string;
  maxEntries: number;
}

export type ModelEntry = { kind: 'item'; key: string; n: number } | { kind: 'prefix'; prefix: string };

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** `keys` may repeat a key (versions); `n` numbers the occurrences of one key in order. */
export function modelListing(keys: string[], q: ModelQuery): { entries: ModelEntry[]; truncated: boolean } {
  const sorted = [...keys].sort(utf8Compare);
  const all: ModelEntry[] = [];
  let lastKey = '';
  let n = 0;
  for (const k of sorted) {
    if (!k.startsWith(q.prefix)) continue;
    if (q.startAfter !== '' && utf8Compare(k, q.startAfter) <= 0) continue;
    n = k === lastKey ? n + 1 : 0;
    lastKey = k;
    const at = q.delimiter === '' ? -1 : k.indexOf(q.delimiter, q.prefix.length);
    if (at >= 0) {
      const cp = k.slice(0, at + q.delimiter.length);
      if (cp === q.startAfter) continue;
      const prev = all[all.length - 1];
      if (prev?.kind === 'prefix' && prev.prefix === cp) continue;
      all.push({ kind: 'prefix', prefix: cp });
    } else {
      all.push({ kind: 'item', key: k, n });
    }
  }
  return { entries: all.slice(0, q.maxEntries), truncated: all.length > q.maxEntries };
}
