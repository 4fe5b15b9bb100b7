// `*` (any run, also empty) and `?` (exactly one UTF-16 unit) patterns as used by actions,
// resources, StringLike conditions and Referer lists. A pattern is compiled once into the
// cheapest matcher that fits it (equality, prefix, suffix, anything); the general case is the
// greedy glob walk, O(pattern × input) at worst and without a RegExp, so a hostile policy
// (`*a*a*a*…`) cannot make matching backtrack exponentially.

export type StringMatcher = (input: string) => boolean;

export interface WildcardOptions {
  readonly ignoreCase?: boolean;
}

const matchAll: StringMatcher = () => true;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function compileWildcard(pattern: string, options: WildcardOptions = {}): StringMatcher {
  const ignoreCase = options.ignoreCase === true;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const fold = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (!hasWildcard(p)) return ignoreCase ? (s) => s.toLowerCase() === p : (s) => s === p;
  if (/^\*+$/.test(p)) return matchAll;
  const firstWild = p.search(/[*?]/);
  if (firstWild === p.length - 1 && p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (s) => fold(s).startsWith(prefix);
  }
  if (p.startsWith('*') && !hasWildcard(p.slice(1))) {
    const suffix = p.slice(1);
    return (s) => fold(s).endsWith(suffix);
  }
  return (s) => globMatch(p, fold(s));
}

/** The greedy glob walk: on a mismatch, retry from just after the last `*` with one more input unit consumed by it. */
export function globMatch(pattern: string, input: string): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < input.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === input.charCodeAt(s))) {
      p++;
      s++;
    } else if (p < pattern.length && c === 42 /* * */) {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}
