// Whether a stored version may be removed or overwritten yet: the OSS WORM retention policy of
// its bucket and the S3 Object Lock settings of the version itself. Pure and clock-free (the
// caller passes `nowMs`, in meta's apply the command's time), so every replica and every
// caller (deletes, overwrites, bucket deletion, the lifecycle worker) decides the same way.

export const DAY_MS = 86_400_000;
/** S3 counts an Object Lock "year" as 365 days. */
export const LOCK_YEAR_DAYS = 365;
/** OSS: an InProgress WORM policy not locked within 24 hours stops applying. */
export const WORM_LOCK_WINDOW_MS = 24 * 3_600_000;
export const WORM_MIN_DAYS = 1;
export const WORM_MAX_DAYS = 25_550;

export type WormState = 'InProgress' | 'Locked';

/** The bucket's WORM retention policy (OSS), stored as the bucket config kind "worm". */
export interface WormPolicy {
  wormId: string;
  state: WormState;
  retentionDays: number;
  /** When InitiateBucketWorm was applied; the 24-hour lock window runs from here. */
  createdMs: number;
}

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

/** S3 Object Lock settings of one version (mode and date together, or neither). */
export interface VersionLock {
  mode?: LockMode;
  retainUntilMs?: number;
  legalHold?: boolean;
}

/** The fields of a stored version the decision reads. */
export interface ProtectableVersion {
  lastModifiedMs: number | bigint;
  deleteMarker?: boolean;
  lock?: VersionLock;
}

export type ProtectionReason = 'worm' | 'compliance' | 'governance' | 'legal-hold';

export interface Protection {
  reason: ProtectionReason;
  /** Until when (ms); absent for a legal hold, which lasts until it is turned off. */
  untilMs?: number;
}

/**
 * The policy that applies at `nowMs`, or undefined: a Locked policy always, an InProgress one
 * only within 24 hours of its creation (OSS protects data while the policy waits to be locked).
 */
export function wormInForce(policy: WormPolicy | undefined, nowMs: number): WormPolicy | undefined {
  if (!policy) return undefined;
  if (policy.state === 'Locked') return policy;
  return nowMs < policy.createdMs + WORM_LOCK_WINDOW_MS ? policy : undefined;
}

/** An InProgress policy past its lock window is gone for every purpose (Get answers 404). */
export function wormExpired(policy: WormPolicy, nowMs: number): boolean {
  return policy.state === 'InProgress' && nowMs >= policy.createdMs + WORM_LOCK_WINDOW_MS;
}

/** Last modified time plus the retention period: until then the object can't be removed or overwritten. */
export function wormRetainUntilMs(lastModifiedMs: number | bigint, retentionDays: number): number {
  return Number(lastModifiedMs) + retentionDays * DAY_MS;
}

/** The retain-until date a bucket's default retention gives an object written at `writtenMs`. */
export function defaultRetainUntilMs(writtenMs: number, period: { days?: number; years?: number }): number {
  const days = (period.days ?? 0) + (period.years ?? 0) * LOCK_YEAR_DAYS;
  return writtenMs + days * DAY_MS;
}

/**
 * Every reason the version is protected at `nowMs` (empty: it may go). Delete markers carry no
 * data and are never protected (S3 and OSS alike let them be removed).
 */
export function protectionOf(version: ProtectableVersion, bucketWorm: WormPolicy | undefined, nowMs: number): Protection[] {
  if (version.deleteMarker) return [];
  const out: Protection[] = [];
  const worm = wormInForce(bucketWorm, nowMs);
  if (worm) {
    const until = wormRetainUntilMs(version.lastModifiedMs, worm.retentionDays);
    if (nowMs < until) out.push({ reason: 'worm', untilMs: until });
  }
  const lock = version.lock;
  if (lock?.mode && lock.retainUntilMs !== undefined && nowMs < lock.retainUntilMs) {
    out.push({ reason: lock.mode === 'COMPLIANCE' ? 'compliance' : 'governance', untilMs: lock.retainUntilMs });
  }
  if (lock?.legalHold) out.push({ reason: 'legal-hold' });
  return out;
}

/**
 * Whether the version may not be removed at `nowMs`. `bypassGovernance` is true only when the
 * caller both holds s3:BypassGovernanceRetention and sent the bypass header; it lifts GOVERNANCE
 * retention and nothing else. The lifecycle worker passes no options: it never bypasses.
 */
export function isVersionProtected(
  version: ProtectableVersion, bucketWorm: WormPolicy | undefined, nowMs: number,
  options: { bypassGovernance?: boolean } = {},
): boolean {
  return protectionOf(version, bucketWorm, nowMs).some((p) => !(p.reason === 'governance' && options.bypassGovernance));
}

/** Whether a new retention setting may replace the version's current one at `nowMs`. */
export function retentionChangeAllowed(
  current: VersionLock | undefined, next: { mode?: LockMode; retainUntilMs?: number }, nowMs: number,
  options: { bypassGovernance?: boolean } = {},
): { ok: true } | { ok: false; why: string } {
  const active = current?.mode && current.retainUntilMs !== undefined && nowMs < current.retainUntilMs;
  if (!active) return { ok: true };
  const shortens = next.mode === undefined || next.retainUntilMs === undefined || next.retainUntilMs < current.retainUntilMs!;
  if (current.mode === 'COMPLIANCE') {
    if (next.mode !== 'COMPLIANCE') return { ok: false, why: 'COMPLIANCE retention cannot be changed to another mode or removed' };
    if (shortens) return { ok: false, why: 'COMPLIANCE retention can be extended but never shortened' };
    return { ok: true };
  }
  // GOVERNANCE: lengthening (or hardening to COMPLIANCE) is always fine; weakening needs the bypass.
  if (!shortens) return { ok: true };
  return options.bypassGovernance ? { ok: true } : { ok: false, why: 'shortening or removing GOVERNANCE retention needs s3:BypassGovernanceRetention and x-amz-bypass-governance-retention: true' };
}
