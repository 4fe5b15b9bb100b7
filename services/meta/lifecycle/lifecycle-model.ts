// One bucket lifecycle configuration as both dialects mean it (pure, no I/O). The gateway parses
// S3's and OSS's XML into this (lifecycle-xml.ts), meta stores it as JSON in the bucket config
// kind "lifecycle", and the evaluator and the worker read it back with lifecycleOf().

export const LIFECYCLE_CONFIG_KIND = 'lifecycle';

/** Both S3 and OSS allow at most 1000 rules per bucket. */
export const MAX_LIFECYCLE_RULES = 1000;
export const MAX_RULE_ID_LENGTH = 255;
export const MAX_RULE_TAGS = 10;
/** Longest "days" accepted anywhere (about 100 years), so arithmetic never overflows. */
export const MAX_LIFECYCLE_DAYS = 36_500;
export const MAX_NEWER_NONCURRENT_VERSIONS = 100;

/** Stored storage classes a transition can reach; STANDARD is where everything starts. */
export type TransitionClass = 'IA' | 'Archive';
export const IA_STORAGE_CLASS: TransitionClass = 'IA';
export const ARCHIVE_STORAGE_CLASS: TransitionClass = 'Archive';

export interface LifecycleFilter {
  /** '' matches every key. */
  readonly prefix: string;
  /** Every tag must be on the object with this value. */
  readonly tags: Readonly<Record<string, string>>;
  readonly sizeGreaterThan?: number;
  readonly sizeLessThan?: number;
}

/** When an action is due for a current version: `days` after its last modification, or from `dateMs` on. */
export interface AgeOrDate {
  readonly days?: number;
  /** S3 Date: due for every matching object from this time on. */
  readonly dateMs?: number;
  /** OSS CreatedBeforeDate: due (at once) for objects last modified (uploads initiated) before it. */
  readonly createdBeforeMs?: number;
}

export interface LifecycleTransition extends AgeOrDate {
  readonly storageClass: TransitionClass;
}

export interface NoncurrentTransition {
  readonly noncurrentDays: number;
  readonly storageClass: TransitionClass;
}

export interface LifecycleRule {
  readonly id: string;
  readonly enabled: boolean;
  readonly filter: LifecycleFilter;
  readonly expiration?: AgeOrDate & { readonly expiredObjectDeleteMarker?: boolean };
  readonly noncurrentExpiration?: { readonly noncurrentDays: number; readonly newerNoncurrentVersions?: number };
  /** Abort multipart uploads initiated this many days ago (or before dateMs, OSS CreatedBeforeDate). */
  readonly abortIncompleteUpload?: AgeOrDate;
  readonly transitions: readonly LifecycleTransition[];
  readonly noncurrentTransitions: readonly NoncurrentTransition[];
}

export interface LifecycleConfiguration {
  readonly rules: readonly LifecycleRule[];
}

/** A configuration the protocol refuses; code is the S3/OSS error code (MalformedXML, InvalidArgument, InvalidRequest). */
export class LifecycleConfigError extends Error {
  constructor(readonly code: 'MalformedXML' | 'InvalidArgument' | 'InvalidRequest', message: string) {
    super(message);
    this.name = 'LifecycleConfigError';
  }
}

function invalid(message: string): LifecycleConfigError {
  return new LifecycleConfigError('InvalidArgument', message);
}

function checkDays(what: string, n: number | undefined, min: number): void {
  if (n === undefined) return;
  if (!Number.isInteger(n) || n < min || n > MAX_LIFECYCLE_DAYS) {
    throw invalid(`${what} must be an integer from ${min} to ${MAX_LIFECYCLE_DAYS}, not ${n}`);
  }
}

/** Cross-field rules both dialects share; throws LifecycleConfigError. */
export function validateLifecycle(config: LifecycleConfiguration): LifecycleConfiguration {
  if (config.rules.length === 0) throw new LifecycleConfigError('MalformedXML', 'a lifecycle configuration needs at least one rule');
  if (config.rules.length > MAX_LIFECYCLE_RULES) throw invalid(`at most ${MAX_LIFECYCLE_RULES} rules are allowed, not ${config.rules.length}`);
  const ids = new Set<string>();
  for (const r of config.rules) {
    if (r.id.length > MAX_RULE_ID_LENGTH) throw invalid(`rule ID is longer than ${MAX_RULE_ID_LENGTH} characters`);
    if (ids.has(r.id)) throw invalid(`rule ID ${JSON.stringify(r.id)} is used twice`);
    ids.add(r.id);
    const tagCount = Object.keys(r.filter.tags).length;
    if (tagCount > MAX_RULE_TAGS) throw invalid(`rule ${r.id} filters on ${tagCount} tags; at most ${MAX_RULE_TAGS}`);
    const { sizeGreaterThan: gt, sizeLessThan: lt } = r.filter;
    for (const [name, v] of [['ObjectSizeGreaterThan', gt], ['ObjectSizeLessThan', lt]] as const) {
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw invalid(`${name} must be a non-negative integer`);
    }
    if (gt !== undefined && lt !== undefined && lt <= gt) throw invalid(`rule ${r.id}: ObjectSizeLessThan must be greater than ObjectSizeGreaterThan`);
    const hasAction = r.expiration || r.noncurrentExpiration || r.abortIncompleteUpload || r.transitions.length > 0 || r.noncurrentTransitions.length > 0;
    if (!hasAction) throw new LifecycleConfigError('MalformedXML', `rule ${r.id} has no action`);
    for (const [what, ad] of [['Expiration', r.expiration], ['AbortIncompleteMultipartUpload', r.abortIncompleteUpload]] as const) {
      if (!ad) continue;
      checkDays(`${what} Days`, ad.days, 1);
      if ([ad.days, ad.dateMs, ad.createdBeforeMs].filter((x) => x !== undefined).length > 1) throw invalid(`${what} takes Days or a date, not both`);
    }
    const e = r.expiration;
    if (e && e.days === undefined && e.dateMs === undefined && e.createdBeforeMs === undefined && !e.expiredObjectDeleteMarker) {
      throw new LifecycleConfigError('MalformedXML', `rule ${r.id}: Expiration needs Days, a date or ExpiredObjectDeleteMarker`);
    }
    if (e?.expiredObjectDeleteMarker && (e.days !== undefined || e.dateMs !== undefined || e.createdBeforeMs !== undefined)) {
      throw invalid(`rule ${r.id}: ExpiredObjectDeleteMarker cannot be combined with Days or a date`);
    }
    if (e?.expiredObjectDeleteMarker && tagCount > 0) throw invalid(`rule ${r.id}: ExpiredObjectDeleteMarker cannot be used with a tag filter`);
    if (r.abortIncompleteUpload && tagCount > 0) throw invalid(`rule ${r.id}: AbortIncompleteMultipartUpload cannot be used with a tag filter`);
    if (r.abortIncompleteUpload && r.abortIncompleteUpload.days === undefined && r.abortIncompleteUpload.dateMs === undefined && r.abortIncompleteUpload.createdBeforeMs === undefined) {
      throw new LifecycleConfigError('MalformedXML', `rule ${r.id}: AbortIncompleteMultipartUpload needs DaysAfterInitiation`);
    }
    if (r.noncurrentExpiration) {
      checkDays('NoncurrentDays', r.noncurrentExpiration.noncurrentDays, 1);
      const n = r.noncurrentExpiration.newerNoncurrentVersions;
      if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > MAX_NEWER_NONCURRENT_VERSIONS)) {
        throw invalid(`NewerNoncurrentVersions must be from 1 to ${MAX_NEWER_NONCURRENT_VERSIONS}`);
      }
    }
    const seen = new Set<string>();
    for (const t of r.transitions) {
      checkDays('Transition Days', t.days, 0);
      if ([t.days, t.dateMs, t.createdBeforeMs].filter((x) => x !== undefined).length !== 1) throw invalid(`rule ${r.id}: a Transition takes exactly one of Days or a date`);
      if (seen.has(t.storageClass)) throw invalid(`rule ${r.id}: two transitions to ${t.storageClass}`);
      seen.add(t.storageClass);
      if (e?.days !== undefined && t.days !== undefined && t.days >= e.days) {
        throw invalid(`rule ${r.id}: the transition to ${t.storageClass} (day ${t.days}) must come before the expiration (day ${e.days})`);
      }
    }
    const ia = r.transitions.find((t) => t.storageClass === 'IA');
    const ar = r.transitions.find((t) => t.storageClass === 'Archive');
    if (ia?.days !== undefined && ar?.days !== undefined && ar.days <= ia.days) {
      throw invalid(`rule ${r.id}: the transition to Archive must come after the transition to IA`);
    }
    for (const t of r.noncurrentTransitions) checkDays('NoncurrentVersionTransition NoncurrentDays', t.noncurrentDays, 0);
  }
  return config;
}

/** The stored document (JSON of the model). */
export function lifecycleDocument(config: LifecycleConfiguration): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(config));
}

/** The bucket's lifecycle configuration, if it has one (a document that fails to decode counts as none). */
export function lifecycleOf(configs: Readonly<Record<string, Uint8Array>>): LifecycleConfiguration | undefined {
  const doc = configs[LIFECYCLE_CONFIG_KIND];
  if (!doc || doc.length === 0) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(doc)) as LifecycleConfiguration;
    return Array.isArray(parsed.rules) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
