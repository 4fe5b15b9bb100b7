// What a scrape exports, read from Prometheus text: the metric families (from `# TYPE` lines)
// and the series names a query may use for them (a histogram X answers as X_bucket, X_sum, X_count).
export interface ExportedMetrics {
  families: Map<string, string>;
  /** Every series name a PromQL expression may name. */
  names: Set<string>;
}

export function exportedMetrics(text: string): ExportedMetrics {
  const families = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1]!, m[2]!);
  const names = new Set<string>();
  for (const [name, type] of families) {
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return { families, names };
}

/** The zonestore metric names a PromQL expression reads. */
export function zonestoreNamesIn(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\bzonestore_[a-z0-9_]+\b/g)].map((m) => m[0]))];
}

/** One sample's value: `name{labels}` with every given label equal, or undefined. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
