// Merging the answers of several gateways to one log query (pure): counts add up, groups are
// summed by value and cut to the top N again, records are the newest N over all gateways.
export interface GatewayLogAnswer {
  gateway: string;
  tookMs: number;
  scanned: number;
  matched: number;
  groups?: Array<{ value: string; count: number }>;
  records?: Array<Record<string, string | number>>;
}

export interface MergedLogAnswer {
  gateways: Array<{ gateway: string; tookMs: number; scanned: number; matched: number }>;
  scanned: number;
  matched: number;
  groups?: Array<{ value: string; count: number }>;
  records?: Array<Record<string, string | number>>;
}

export function mergeLogAnswers(answers: readonly GatewayLogAnswer[], top: number): MergedLogAnswer {
  const out: MergedLogAnswer = {
    gateways: answers.map(({ gateway, tookMs, scanned, matched }) => ({ gateway, tookMs, scanned, matched })),
    scanned: answers.reduce((n, a) => n + a.scanned, 0),
    matched: answers.reduce((n, a) => n + a.matched, 0),
  };
  if (answers.some((a) => a.groups)) {
    const sums = new Map<string, number>();
    // Each gateway sent only its own top N, so a merged count is exact only for values in every list: documented.
    for (const a of answers) for (const g of a.groups ?? []) sums.set(g.value, (sums.get(g.value) ?? 0) + g.count);
    out.groups = [...sums].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, top);
  } else {
    out.records = answers.flatMap((a) => a.records ?? []).sort((a, b) => String(b.time).localeCompare(String(a.time))).slice(0, top);
  }
  return out;
}
