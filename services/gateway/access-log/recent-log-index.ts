// The last hours of records, in memory, column by column (pure: no I/O), for `logs query`.
// Numbers live in typed arrays; text is dictionary-coded (one Uint32 per row), so a filter on
// `operation=GetObject` compares integers and a group-by counts into an array. Rows are kept
// in arrival order; rows older than `retainMs` (or beyond `maxRows`) are dropped from the front.
import type { AccessLogRecord } from './access-log-record.ts';
import { type Field, NUMERIC_FIELDS, type NumericField, TEXT_FIELDS, type TextField, type WhereExpression } from './where-expression.ts';

export const DEFAULT_RETAIN_MS = 6 * 3_600_000;
export const DEFAULT_MAX_ROWS = 2_000_000;
const GROUP_FIELDS = ['remoteIp', 'operation', 'status', 'bucket', 'errorCode', 'requester', 'key'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

export function isGroupField(v: string): v is GroupField {
  return (GROUP_FIELDS as readonly string[]).includes(v);
}

class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  code(v: string): number {
    let c = this.codes.get(v);
    if (c === undefined) { c = this.values.length; this.values.push(v); this.codes.set(v, c); }
    return c;
  }
  find(v: string): number | undefined {
    return this.codes.get(v);
  }
}

export interface LogQuery {
  bucket?: string;
  sinceMs: number;
  where?: WhereExpression;
  groupBy?: GroupField;
  top?: number;
}

export interface LogQueryResult {
  scanned: number;
  matched: number;
  groups?: Array<{ value: string; count: number }>;
  /** Without groupBy: the newest `top` matching records (compact form). */
  records?: Array<Record<string, string | number>>;
}

export class RecentLogIndex {
  private size = 0;
  private start = 0;
  private cap = 1024;
  private time = new Float64Array(this.cap);
  private readonly num: Record<NumericField, Float64Array> = {} as Record<NumericField, Float64Array>;
  private readonly txt: Record<TextField, Uint32Array> = {} as Record<TextField, Uint32Array>;
  private readonly dict: Record<TextField, Dictionary> = {} as Record<TextField, Dictionary>;

  constructor(private readonly retainMs = DEFAULT_RETAIN_MS, private readonly maxRows = DEFAULT_MAX_ROWS) {
    for (const f of NUMERIC_FIELDS) this.num[f] = new Float64Array(this.cap);
    for (const f of TEXT_FIELDS) { this.txt[f] = new Uint32Array(this.cap); this.dict[f] = new Dictionary(); }
  }

  get rows(): number {
    return this.size - this.start;
  }

  add(r: AccessLogRecord): void {
    if (this.size === this.cap) this.grow();
    const i = this.size++;
    this.time[i] = r.timeMs;
    this.num.status[i] = r.status;
    this.num.bytesSent[i] = r.bytesSent;
    this.num.requestTimeMs[i] = r.requestTimeMs;
    this.num.objectSize[i] = r.objectSize ?? -1;
    for (const f of TEXT_FIELDS) this.txt[f][i] = this.dict[f].code(String(r[f] ?? ''));
    if (this.rows > this.maxRows) this.start = this.size - this.maxRows;
  }

  /** Drops rows older than the retention, and compacts storage once half of it is dropped rows. */
  private grow(): void {
    const cutoff = this.time[this.size - 1]! - this.retainMs;
    while (this.start < this.size && this.time[this.start]! < cutoff) this.start += 1;
    const live = this.size - this.start;
    const cap = live * 2 > this.cap ? this.cap * 2 : this.cap;
    const move = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(this.start, this.size));
      return b;
    };
    this.time = move(this.time, (n) => new Float64Array(n));
    for (const f of NUMERIC_FIELDS) this.num[f] = move(this.num[f], (n) => new Float64Array(n));
    for (const f of TEXT_FIELDS) this.txt[f] = move(this.txt[f], (n) => new Uint32Array(n));
    this.size = live;
    this.start = 0;
    this.cap = cap;
  }

  query(q: LogQuery): LogQueryResult {
    // Rows are in arrival order, which is time order to within a request's duration: binary search the start.
    let lo = this.start;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid]! < q.sinceMs) lo = mid + 1; else hi = mid;
    }
    const bucketCode = q.bucket === undefined ? -1 : this.dict.bucket.find(q.bucket);
    if (bucketCode === undefined) return { scanned: 0, matched: 0, ...(q.groupBy ? { groups: [] } : { records: [] }) };
    const bucketCol = this.txt.bucket;
    const pred = q.where ? this.compile(q.where) : () => true;
    const top = q.top ?? 10;
    let matched = 0;
    const scanned = this.size - lo;
    if (q.groupBy) {
      const counts = new Map<number, number>();
      const col = q.groupBy === 'status' ? this.num.status : this.txt[q.groupBy as TextField];
      const byCode = q.groupBy !== 'status';
      const dense = byCode ? new Uint32Array(this.dict[q.groupBy as TextField].values.length) : undefined;
      for (let i = lo; i < this.size; i++) {
        if (bucketCode >= 0 && bucketCol[i] !== bucketCode) continue;
        if (!pred(i)) continue;
        matched += 1;
        if (dense) dense[col[i]!]! += 1;
        else counts.set(col[i]!, (counts.get(col[i]!) ?? 0) + 1);
      }
      const entries: Array<[string, number]> = dense
        ? [...dense].flatMap((n, code) => (n > 0 ? [[this.dict[q.groupBy as TextField].values[code]!, n] as [string, number]] : []))
        : [...counts].map(([v, n]) => [String(v), n]);
      entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      return { scanned, matched, groups: entries.slice(0, top).map(([value, count]) => ({ value, count })) };
    }
    const newest: number[] = [];
    for (let i = this.size - 1; i >= lo; i--) {
      if (bucketCode >= 0 && bucketCol[i] !== bucketCode) continue;
      if (!pred(i)) continue;
      matched += 1;
      if (newest.length < top) newest.push(i);
    }
    return { scanned, matched, records: newest.map((i) => this.row(i)) };
  }

  private row(i: number): Record<string, string | number> {
    const out: Record<string, string | number> = { time: new Date(this.time[i]!).toISOString() };
    for (const f of NUMERIC_FIELDS) out[f] = this.num[f][i]!;
    for (const f of TEXT_FIELDS) out[f] = this.dict[f].values[this.txt[f][i]!]!;
    return out;
  }

  private compile(e: WhereExpression): (i: number) => boolean {
    switch (e.kind) {
      case 'and': { const l = this.compile(e.left); const r = this.compile(e.right); return (i) => l(i) && r(i); }
      case 'or': { const l = this.compile(e.left); const r = this.compile(e.right); return (i) => l(i) || r(i); }
      case 'not': { const o = this.compile(e.operand); return (i) => !o(i); }
      case 'number': {
        const col = this.num[e.field];
        const v = e.value;
        switch (e.op) {
          case '=': return (i) => col[i] === v;
          case '!=': return (i) => col[i] !== v;
          case '<': return (i) => col[i]! < v;
          case '<=': return (i) => col[i]! <= v;
          case '>': return (i) => col[i]! > v;
          case '>=': return (i) => col[i]! >= v;
        }
      }
      // falls through: every numeric op returned above
      case 'text': {
        const t = e as Extract<WhereExpression, { kind: 'text' }>;
        const col = this.txt[t.field];
        const d = this.dict[t.field];
        // Resolve the value to the set of codes once; rows then compare integers.
        const codes = new Uint8Array(d.values.length + 1);
        d.values.forEach((s, c) => { if (t.prefix ? s.startsWith(t.value) : s === t.value) codes[c] = 1; });
        const eq = t.op === '=';
        return (i) => (codes[col[i]!] === 1) === eq;
      }
    }
  }
}

export type { Field };
