// The Condition element: `{ "<Operator>": { "<key>": value | [values] } }`, compiled into
// clauses. Rules (IAM's, which RAM shares):
// - every operator and every key under it must hold (AND); the values of one key are
//   alternatives (OR); for a negated operator (…NotEquals, …NotLike, NotIpAddress) the key's
//   value must match none of them;
// - a key absent from the request makes a positive operator false and a negated one true;
//   `…IfExists` makes the clause true when the key is absent; `Null: {key: "true"}` tests absence;
// - `ForAnyValue:` / `ForAllValues:` quantify over a multi-valued key; every key here has one
//   value, so they reduce to the plain operator, except that ForAllValues holds when the key is
//   absent and ForAnyValue does not.
import { conditionKey, type ConditionKey, type ContextValue } from './condition-keys.ts';
import { cidrContains, parseCidr, type CidrBlock } from './ip-address.ts';
import { MAX_POLICY_STRING_LENGTH } from './authz-limits.ts';
import { PolicySyntaxError } from './policy-syntax-error.ts';
import type { EvaluationRequest } from './request-context.ts';
import { compileWildcard, type StringMatcher } from './wildcard.ts';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'IpAddress' | 'Null';

export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The base operator without qualifiers: `StringLike`, `NotIpAddress`, `Null`. */
  readonly base: string;
  readonly family: OperatorFamily;
  readonly negated: boolean;
  readonly ifExists: boolean;
  readonly set: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly key: ConditionKey;
  /** The policy's values as text. */
  readonly values: readonly string[];
  /** Whether the present value matches any of the policy's values (before negation). */
  readonly matchAny: (value: ContextValue, r: EvaluationRequest) => boolean;
}

interface OperatorSpec {
  readonly family: OperatorFamily;
  readonly negated: boolean;
  readonly build: (values: readonly string[], key: ConditionKey) => ConditionClause['matchAny'];
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH_SECONDS = /^\d{1,12}$/;

function parseNumber(v: string): number {
  if (!NUMBER_TEXT.test(v.trim())) throw new PolicySyntaxError(`${JSON.stringify(v)} is not a number`);
  return Number(v);
}

/** ISO 8601 (a time without an offset is UTC) or epoch seconds → epoch milliseconds. */
export function parsePolicyDate(v: string): number {
  const t = v.trim();
  let ms = NaN;
  if (EPOCH_SECONDS.test(t)) ms = Number(t) * 1000;
  else if (ISO_DATE.test(t)) {
    const withZone = t.includes('T') && !/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
    ms = Date.parse(withZone.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  }
  if (!Number.isFinite(ms)) throw new PolicySyntaxError(`${JSON.stringify(v)} is not a date (ISO 8601 or epoch seconds)`);
  return ms;
}

function asText(value: ContextValue, key: ConditionKey): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return key.type === 'date' ? new Date(value).toISOString() : String(value);
}

function asNumber(value: ContextValue, key: ConditionKey): number {
  if (typeof value === 'number') return key.type === 'date' ? Math.floor(value / 1000) : value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value);
  return NaN;
}

const stringEquals = (ignoreCase: boolean): OperatorSpec['build'] => (values, key) => {
  const set = new Set(ignoreCase ? values.map((v) => v.toLowerCase()) : values);
  return ignoreCase ? (v) => set.has(asText(v, key).toLowerCase()) : (v) => set.has(asText(v, key));
};
const stringLike = (ignoreCase: boolean): OperatorSpec['build'] => (values, key) => {
  const matchers: StringMatcher[] = values.map((v) => compileWildcard(v, { ignoreCase }));
  return (v) => {
    const text = asText(v, key);
    for (const m of matchers) if (m(text)) return true;
    return false;
  };
};
const numeric = (cmp: (a: number, b: number) => boolean): OperatorSpec['build'] => (values, key) => {
  const nums = values.map(parseNumber);
  return (v) => {
    const n = asNumber(v, key);
    return !Number.isNaN(n) && nums.some((b) => cmp(n, b));
  };
};
const date = (cmp: (a: number, b: number) => boolean): OperatorSpec['build'] => (values) => {
  const times = values.map(parsePolicyDate);
  return (v) => typeof v === 'number' && times.some((b) => cmp(v, b));
};
const bool: OperatorSpec['build'] = (values) => {
  const wanted = values.map((v) => {
    const t = v.toLowerCase();
    if (t !== 'true' && t !== 'false') throw new PolicySyntaxError(`Bool value ${JSON.stringify(v)} is neither true nor false`);
    return t === 'true';
  });
  return (v) => typeof v === 'boolean' && wanted.includes(v);
};
const ipAddress: OperatorSpec['build'] = (values) => {
  const blocks: CidrBlock[] = values.map((v) => {
    const b = parseCidr(v.trim());
    if (!b) throw new PolicySyntaxError(`${JSON.stringify(v)} is not an IP address or CIDR block`);
    return b;
  });
  return (_v, r) => {
    const ip = r.sourceIp();
    return ip !== undefined && blocks.some((b) => cidrContains(b, ip));
  };
};

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

// StringLikeIgnoreCase / StringNotLikeIgnoreCase are ours (IAM and RAM have neither); the rest are IAM's.
const OPERATORS = new Map<string, OperatorSpec>([
  ['StringEquals', { family: 'String', negated: false, build: stringEquals(false) }],
  ['StringNotEquals', { family: 'String', negated: true, build: stringEquals(false) }],
  ['StringEqualsIgnoreCase', { family: 'String', negated: false, build: stringEquals(true) }],
  ['StringNotEqualsIgnoreCase', { family: 'String', negated: true, build: stringEquals(true) }],
  ['StringLike', { family: 'String', negated: false, build: stringLike(false) }],
  ['StringNotLike', { family: 'String', negated: true, build: stringLike(false) }],
  ['StringLikeIgnoreCase', { family: 'String', negated: false, build: stringLike(true) }],
  ['StringNotLikeIgnoreCase', { family: 'String', negated: true, build: stringLike(true) }],
  ['NumericEquals', { family: 'Numeric', negated: false, build: numeric(eq) }],
  ['NumericNotEquals', { family: 'Numeric', negated: true, build: numeric(eq) }],
  ['NumericLessThan', { family: 'Numeric', negated: false, build: numeric(lt) }],
  ['NumericLessThanEquals', { family: 'Numeric', negated: false, build: numeric(le) }],
  ['NumericGreaterThan', { family: 'Numeric', negated: false, build: numeric(gt) }],
  ['NumericGreaterThanEquals', { family: 'Numeric', negated: false, build: numeric(ge) }],
  ['DateEquals', { family: 'Date', negated: false, build: date(eq) }],
  ['DateNotEquals', { family: 'Date', negated: true, build: date(eq) }],
  ['DateLessThan', { family: 'Date', negated: false, build: date(lt) }],
  ['DateLessThanEquals', { family: 'Date', negated: false, build: date(le) }],
  ['DateGreaterThan', { family: 'Date', negated: false, build: date(gt) }],
  ['DateGreaterThanEquals', { family: 'Date', negated: false, build: date(ge) }],
  ['Bool', { family: 'Bool', negated: false, build: bool }],
  ['IpAddress', { family: 'IpAddress', negated: false, build: ipAddress }],
  ['NotIpAddress', { family: 'IpAddress', negated: true, build: ipAddress }],
]);

/** Which key types each family may test: strings compare any key's text form. */
const FAMILY_KEY_TYPES: Record<Exclude<OperatorFamily, 'Null'>, ReadonlySet<string>> = {
  String: new Set(['string', 'bool', 'date', 'numeric', 'ip']),
  Numeric: new Set(['numeric', 'date']),
  Date: new Set(['date']),
  Bool: new Set(['bool']),
  IpAddress: new Set(['ip']),
};

function conditionValues(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new PolicySyntaxError(`${where} has no values`);
  return list.map((v) => {
    if (typeof v === 'string') {
      if (v.length > MAX_POLICY_STRING_LENGTH) throw new PolicySyntaxError(`${where} has a value over ${MAX_POLICY_STRING_LENGTH} characters`);
      return v;
    }
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    throw new PolicySyntaxError(`${where} values must be strings, numbers or booleans`);
  });
}

export function parseConditionBlock(block: unknown): ConditionClause[] {
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    throw new PolicySyntaxError('Condition must be an object of operators');
  }
  const clauses: ConditionClause[] = [];
  for (const [operator, keys] of Object.entries(block as Record<string, unknown>)) {
    let rest = operator;
    let set: ConditionClause['set'];
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      const q = rest.slice(0, colon);
      if (q !== 'ForAnyValue' && q !== 'ForAllValues') throw new PolicySyntaxError(`unknown condition qualifier ${JSON.stringify(q)}`);
      set = q;
      rest = rest.slice(colon + 1);
    }
    const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
    const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
    const spec = OPERATORS.get(base);
    if (base === 'Null' ? ifExists || set !== undefined : !spec) {
      throw new PolicySyntaxError(`unknown condition operator ${JSON.stringify(operator)}`);
    }
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
      throw new PolicySyntaxError(`condition operator ${operator} must map at least one key to values`);
    }
    for (const [keyName, raw] of Object.entries(keys as Record<string, unknown>)) {
      const key = conditionKey(keyName);
      if (!key) throw new PolicySyntaxError(`unknown condition key ${JSON.stringify(keyName)}`);
      const values = conditionValues(raw, `${operator} ${keyName}`);
      if (base === 'Null') {
        clauses.push(nullClause(operator, key, values));
        continue;
      }
      if (!FAMILY_KEY_TYPES[spec!.family as Exclude<OperatorFamily, 'Null'>].has(key.type)) {
        throw new PolicySyntaxError(`${operator} cannot test ${key.name} (a ${key.type} key)`);
      }
      clauses.push({
        operator, base, family: spec!.family, negated: spec!.negated, ifExists, set, key, values,
        matchAny: spec!.build(values, key),
      });
    }
  }
  return clauses;
}

function nullClause(operator: string, key: ConditionKey, values: readonly string[]): ConditionClause {
  const wantAbsent = values.map((v) => {
    const t = v.toLowerCase();
    if (t !== 'true' && t !== 'false') throw new PolicySyntaxError(`Null value ${JSON.stringify(v)} is neither true nor false`);
    return t === 'true';
  });
  // evaluateClause handles absence itself; a present value satisfies `Null: false`.
  return {
    operator, base: 'Null', family: 'Null', negated: false, ifExists: false, set: undefined, key, values,
    matchAny: () => wantAbsent.includes(false),
  };
}

export function evaluateClause(c: ConditionClause, r: EvaluationRequest): boolean {
  const value = c.key.get(r);
  if (value === undefined) {
    if (c.family === 'Null') return c.values.some((v) => v.toLowerCase() === 'true');
    if (c.ifExists || c.set === 'ForAllValues') return true;
    if (c.set === 'ForAnyValue') return false;
    return c.negated;
  }
  const m = c.matchAny(value, r);
  return c.negated ? !m : m;
}

export function evaluateConditions(clauses: readonly ConditionClause[], r: EvaluationRequest): boolean {
  for (let i = 0; i < clauses.length; i++) if (!evaluateClause(clauses[i]!, r)) return false;
  return true;
}
