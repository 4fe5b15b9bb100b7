// What a lifecycle configuration says is due for one version or one multipart upload at a given
// time (pure). "A day" is a parameter: production passes 86 400 000 ms, tests shorten it. Ages
// count from the exact last-modified (initiated, became-noncurrent) time, not from the next UTC
// midnight as S3 rounds: a day-long rounding would make shortened-day tests meaningless.
import type { AgeOrDate, LifecycleConfiguration, LifecycleRule, TransitionClass } from './lifecycle-model.ts';

export const DEFAULT_DAY_LENGTH_MS = 86_400_000;

/** What the evaluator needs to know about one stored version. */
export interface VersionFacts {
  readonly key: string;
  readonly size: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly lastModifiedMs: number;
  readonly deleteMarker: boolean;
  /** The newest version of its key. */
  readonly isLatest: boolean;
  /** Stored class: '' / STANDARD, IA or Archive. */
  readonly storageClass: string;
  /** For a noncurrent version: when the version after it was written. */
  readonly noncurrentSinceMs?: number;
  /** For a noncurrent version: how many noncurrent versions of the key are newer than it. */
  readonly newerNoncurrentVersions?: number;
  /** Versions of the key other than this one (an expired delete marker has none). */
  readonly otherVersions: number;
  /** The bucket has (or had) versioning on: expiring a current version adds a delete marker. */
  readonly versioned: boolean;
}

export type LifecycleAction =
  /** Current data version: unversioned → remove it; versioned → put a delete marker on top. */
  | { readonly kind: 'expire-current'; readonly ruleId: string }
  /** Remove this exact version (noncurrent version, or an expired delete marker). */
  | { readonly kind: 'delete-version'; readonly ruleId: string }
  | { readonly kind: 'transition'; readonly ruleId: string; readonly storageClass: TransitionClass };

export interface UploadFacts {
  readonly key: string;
  readonly initiatedMs: number;
}

// Stored classes are S3-named (STANDARD_IA, GLACIER); the model's names rank the same.
const CLASS_RANK: Readonly<Record<string, number>> = { '': 0, STANDARD: 0, REPLICATED: 0, IA: 1, STANDARD_IA: 1, Archive: 2, GLACIER: 2 };

/** The stored (S3-named) class a transition to `c` writes. */
export function storedTransitionClass(c: TransitionClass): string {
  return c === 'IA' ? 'STANDARD_IA' : 'GLACIER';
}

export function ruleMatches(rule: LifecycleRule, key: string, size: number | undefined, tags: Readonly<Record<string, string>> | undefined): boolean {
  if (!rule.enabled || !key.startsWith(rule.filter.prefix)) return false;
  for (const [k, v] of Object.entries(rule.filter.tags)) if (tags?.[k] !== v) return false;
  if (size !== undefined) {
    if (rule.filter.sizeGreaterThan !== undefined && !(size > rule.filter.sizeGreaterThan)) return false;
    if (rule.filter.sizeLessThan !== undefined && !(size < rule.filter.sizeLessThan)) return false;
  }
  return true;
}

/** Whether an age-or-date condition holds for something that started at `sinceMs`. */
export function isDue(cond: AgeOrDate, sinceMs: number, nowMs: number, dayLengthMs: number): boolean {
  if (cond.days !== undefined) return nowMs >= sinceMs + cond.days * dayLengthMs;
  if (cond.dateMs !== undefined) return nowMs >= cond.dateMs;
  if (cond.createdBeforeMs !== undefined) return sinceMs < cond.createdBeforeMs;
  return false;
}

/**
 * The action due for `v` now, if any. Removal wins over transition; among transitions the
 * coldest due class wins, and a version never moves to a warmer class than it is in.
 */
export function dueVersionAction(config: LifecycleConfiguration, v: VersionFacts, nowMs: number, dayLengthMs = DEFAULT_DAY_LENGTH_MS): LifecycleAction | undefined {
  let transition: { ruleId: string; storageClass: TransitionClass } | undefined;
  const rank = CLASS_RANK[v.storageClass] ?? 0;
  const consider = (ruleId: string, storageClass: TransitionClass): void => {
    if (CLASS_RANK[storageClass]! <= rank) return;
    if (!transition || CLASS_RANK[storageClass]! > CLASS_RANK[transition.storageClass]!) transition = { ruleId, storageClass };
  };
  for (const rule of config.rules) {
    if (!ruleMatches(rule, v.key, v.deleteMarker ? undefined : v.size, v.deleteMarker ? undefined : v.tags)) continue;
    if (v.deleteMarker) {
      // A delete marker only goes when it is the last thing left of its key.
      if (v.isLatest && v.otherVersions === 0 && rule.expiration?.expiredObjectDeleteMarker) return { kind: 'delete-version', ruleId: rule.id };
      continue;
    }
    if (v.isLatest) {
      if (rule.expiration && !rule.expiration.expiredObjectDeleteMarker && isDue(rule.expiration, v.lastModifiedMs, nowMs, dayLengthMs)) {
        return { kind: 'expire-current', ruleId: rule.id };
      }
      for (const t of rule.transitions) if (isDue(t, v.lastModifiedMs, nowMs, dayLengthMs)) consider(rule.id, t.storageClass);
      continue;
    }
    const since = v.noncurrentSinceMs ?? v.lastModifiedMs;
    const nc = rule.noncurrentExpiration;
    if (nc && isDue({ days: nc.noncurrentDays }, since, nowMs, dayLengthMs)
      && (nc.newerNoncurrentVersions === undefined || (v.newerNoncurrentVersions ?? 0) >= nc.newerNoncurrentVersions)) {
      return { kind: 'delete-version', ruleId: rule.id };
    }
    for (const t of rule.noncurrentTransitions) if (isDue({ days: t.noncurrentDays }, since, nowMs, dayLengthMs)) consider(rule.id, t.storageClass);
  }
  return transition ? { kind: 'transition', ...transition } : undefined;
}

/** The id of the rule that aborts this incomplete multipart upload now, if any (tags and sizes do not apply to uploads). */
export function dueUploadAbort(config: LifecycleConfiguration, u: UploadFacts, nowMs: number, dayLengthMs = DEFAULT_DAY_LENGTH_MS): string | undefined {
  for (const rule of config.rules) {
    if (!rule.abortIncompleteUpload || !rule.enabled || !u.key.startsWith(rule.filter.prefix)) continue;
    if (isDue(rule.abortIncompleteUpload, u.initiatedMs, nowMs, dayLengthMs)) return rule.id;
  }
  return undefined;
}
