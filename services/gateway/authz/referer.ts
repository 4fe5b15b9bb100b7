// OSS hotlink protection (Put/GetBucketReferer) as a pure check. OSS applies it to object
// requests that are anonymous or signed in the URL, never to ones signed in a header. Order:
//   1. empty Referer: allowed if AllowEmptyReferer, else only when the whitelist is empty;
//   2. a blacklist match denies;
//   3. an empty whitelist allows; otherwise the Referer must match a whitelist entry.
// The Referer is cut before matching: always at `#`; at `?` when AllowTruncateQueryString (the
// default); after `scheme://host[:port]` when TruncatePath. Entries use `*` and `?`, are
// prefixes of the (cut) Referer as in OSS's console rules (`www.example.com` accepts
// `www.example.com/a` and `www.example.com.cn`), compare case-insensitively, and an entry
// without `://` is also tried on the Referer with its scheme removed (`*.example.com` accepts
// `https://www.example.com/page`).
import { StoreError } from '../errors/store-error.ts';
import { MAX_REFERER_ENTRIES, MAX_REFERER_ENTRY_LENGTH } from './authz-limits.ts';
import { compileWildcard, type StringMatcher } from './wildcard.ts';

export interface RefererConfiguration {
  readonly allowEmptyReferer: boolean;
  readonly allowTruncateQueryString: boolean;
  readonly truncatePath: boolean;
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
}

/** OSS's answer for a bucket that never had a Referer configuration: everything passes. */
export const DEFAULT_REFERER_CONFIGURATION: RefererConfiguration = {
  allowEmptyReferer: true, allowTruncateQueryString: true, truncatePath: false, whitelist: [], blacklist: [],
};

export interface CompiledRefererConfiguration {
  readonly config: RefererConfiguration;
  readonly whitelist: readonly RefererEntry[];
  readonly blacklist: readonly RefererEntry[];
}

interface RefererEntry {
  readonly match: StringMatcher;
  readonly schemeless: boolean;
}

/** Checks the limits and compiles the entries; InvalidArgument when over them (PutBucketReferer). */
export function compileRefererConfiguration(config: RefererConfiguration): CompiledRefererConfiguration | StoreError {
  const all = [...config.whitelist, ...config.blacklist];
  if (all.length > MAX_REFERER_ENTRIES) return new StoreError('InvalidArgument', `at most ${MAX_REFERER_ENTRIES} Referer entries`);
  const bad = all.find((e) => e.trim() === '' || e.length > MAX_REFERER_ENTRY_LENGTH);
  if (bad !== undefined) return new StoreError('InvalidArgument', `a Referer entry must be 1 to ${MAX_REFERER_ENTRY_LENGTH} characters`);
  const compile = (e: string): RefererEntry => {
    const t = e.trim();
    return { match: compileWildcard(t.endsWith('*') ? t : `${t}*`, { ignoreCase: true }), schemeless: !t.includes('://') };
  };
  return { config, whitelist: config.whitelist.map(compile), blacklist: config.blacklist.map(compile) };
}

/** The Referer as it is matched under the configuration. */
export function truncateReferer(referer: string, config: Pick<RefererConfiguration, 'allowTruncateQueryString' | 'truncatePath'>): string {
  let r = referer.trim();
  const hash = r.indexOf('#');
  if (hash >= 0) r = r.slice(0, hash);
  if (config.allowTruncateQueryString || config.truncatePath) {
    const q = r.indexOf('?');
    if (q >= 0) r = r.slice(0, q);
  }
  if (config.truncatePath) {
    const scheme = r.indexOf('://');
    const slash = r.indexOf('/', scheme >= 0 ? scheme + 3 : 0);
    if (slash >= 0) r = r.slice(0, slash);
  }
  return r;
}

function withoutScheme(r: string): string {
  const i = r.indexOf('://');
  return i >= 0 ? r.slice(i + 3) : r;
}

function matchesAny(entries: readonly RefererEntry[], referer: string): boolean {
  const bare = withoutScheme(referer);
  return entries.some((e) => e.match(referer) || (e.schemeless && e.match(bare)));
}

export type RefererVerdict = 'allowed' | 'empty-referer-denied' | 'blacklisted' | 'not-whitelisted';

export function checkReferer(compiled: CompiledRefererConfiguration, referer: string | undefined): RefererVerdict {
  const { config } = compiled;
  if (referer === undefined || referer.trim() === '') {
    return config.allowEmptyReferer || compiled.whitelist.length === 0 ? 'allowed' : 'empty-referer-denied';
  }
  const cut = truncateReferer(referer, config);
  if (matchesAny(compiled.blacklist, cut)) return 'blacklisted';
  if (compiled.whitelist.length === 0) return 'allowed';
  return matchesAny(compiled.whitelist, cut) ? 'allowed' : 'not-whitelisted';
}
