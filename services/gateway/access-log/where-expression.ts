// The `--where` language of `logs query` (pure): comparisons joined by and / or / not, with
// parentheses. `status>=400 and operation=GetObject`, `remoteIp='127.0.0.1' or not (status<300)`.
// Numeric fields take = != < <= > >=; text fields take = and != (a trailing * is a prefix match).
// Errors name the position and what was expected.

export const NUMERIC_FIELDS = ['status', 'bytesSent', 'requestTimeMs', 'objectSize'] as const;
export const TEXT_FIELDS = ['operation', 'bucket', 'key', 'remoteIp', 'errorCode', 'requester', 'method', 'kind'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export type TextField = (typeof TEXT_FIELDS)[number];
export type Field = NumericField | TextField;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type WhereExpression =
  | { kind: 'and' | 'or'; left: WhereExpression; right: WhereExpression }
  | { kind: 'not'; operand: WhereExpression }
  | { kind: 'number'; field: NumericField; op: CompareOp; value: number }
  | { kind: 'text'; field: TextField; op: '=' | '!='; value: string; prefix: boolean };

export class WhereSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} (at character ${position + 1})`);
    this.name = 'WhereSyntaxError';
  }
}

type Token = { type: 'word' | 'string' | 'op' | '(' | ')'; text: string; pos: number };

const OPERATORS = ['>=', '<=', '!=', '=', '<', '>'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '(' || c === ')') { out.push({ type: c, text: c, pos: i }); i += 1; continue; }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ type: 'op', text: op, pos: i }); i += op.length; continue; }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new WhereSyntaxError(`unterminated ${c}quoted${c} value`, i);
      out.push({ type: 'string', text: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    const m = /^[^\s()=!<>'"]+/.exec(src.slice(i));
    if (!m) throw new WhereSyntaxError(`unexpected character '${c}'`, i);
    out.push({ type: 'word', text: m[0], pos: i });
    i += m[0].length;
  }
  return out;
}

const FIELD_NAMES: ReadonlyMap<string, Field> = new Map(
  [...NUMERIC_FIELDS, ...TEXT_FIELDS].map((f) => [f.toLowerCase(), f] as const),
);

export function parseWhere(src: string): WhereExpression {
  const tokens = tokenize(src);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const keyword = (word: string): boolean => {
    const t = peek();
    if (t?.type === 'word' && t.text.toLowerCase() === word) { at += 1; return true; }
    return false;
  };
  const endPos = (): number => (peek()?.pos ?? src.length);

  const orExpr = (): WhereExpression => {
    let left = andExpr();
    while (keyword('or')) left = { kind: 'or', left, right: andExpr() };
    return left;
  };
  const andExpr = (): WhereExpression => {
    let left = unary();
    while (keyword('and')) left = { kind: 'and', left, right: unary() };
    return left;
  };
  const unary = (): WhereExpression => {
    if (keyword('not')) return { kind: 'not', operand: unary() };
    const t = peek();
    if (t?.type === '(') {
      at += 1;
      const inner = orExpr();
      if (peek()?.type !== ')') throw new WhereSyntaxError("expected ')'", endPos());
      at += 1;
      return inner;
    }
    return comparison();
  };
  const comparison = (): WhereExpression => {
    const f = peek();
    if (!f || f.type !== 'word') throw new WhereSyntaxError(f ? `expected a field name, found '${f.text}'` : 'expected a field name, found the end', endPos());
    const field = FIELD_NAMES.get(f.text.toLowerCase());
    if (!field) throw new WhereSyntaxError(`unknown field '${f.text}' (fields: ${[...NUMERIC_FIELDS, ...TEXT_FIELDS].join(', ')})`, f.pos);
    at += 1;
    const o = peek();
    if (!o || o.type !== 'op') throw new WhereSyntaxError(`expected a comparison (${OPERATORS.join(' ')}) after '${f.text}'`, endPos());
    at += 1;
    const v = peek();
    if (!v || (v.type !== 'word' && v.type !== 'string')) throw new WhereSyntaxError(`expected a value after '${f.text}${o.text}'`, endPos());
    at += 1;
    const op = o.text as CompareOp;
    if ((NUMERIC_FIELDS as readonly string[]).includes(field)) {
      const value = Number(v.text);
      if (v.text === '' || !Number.isFinite(value)) throw new WhereSyntaxError(`'${f.text}' is a number; '${v.text}' is not`, v.pos);
      return { kind: 'number', field: field as NumericField, op, value };
    }
    if (op !== '=' && op !== '!=') throw new WhereSyntaxError(`'${f.text}' is text: only = and != apply, not ${op}`, o.pos);
    const prefix = v.type === 'word' && v.text.endsWith('*');
    return { kind: 'text', field: field as TextField, op, value: prefix ? v.text.slice(0, -1) : v.text, prefix };
  };

  if (tokens.length === 0) throw new WhereSyntaxError('empty expression', 0);
  const expr = orExpr();
  if (at < tokens.length) throw new WhereSyntaxError(`unexpected '${tokens[at]!.text}'`, tokens[at]!.pos);
  return expr;
}

/** `90s`, `30m`, `1h`, `2d` → milliseconds; undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
