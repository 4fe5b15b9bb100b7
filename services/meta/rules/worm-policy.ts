// The OSS WORM retention policy's state machine: Initiate → InProgress, Complete → Locked,
// Abort only while InProgress, Extend only lengthens. An InProgress policy past its 24-hour
// lock window counts as absent. Pure: the caller passes the command's time.
import {
  WORM_MAX_DAYS, WORM_MIN_DAYS, wormExpired, type WormPolicy,
} from './retention.ts';

/** Codes as OSS answers them; the gateway maps them to status and XML. */
export type WormErrorCode = 'InvalidArgument' | 'NoSuchWORMConfiguration' | 'WORMConfigurationLocked' | 'InvalidWORMConfiguration';

export class WormRuleError extends Error {
  constructor(readonly code: WormErrorCode, message: string) { super(message); }
}

export function checkRetentionDays(days: number): void {
  if (!Number.isInteger(days) || days < WORM_MIN_DAYS || days > WORM_MAX_DAYS) {
    throw new WormRuleError('InvalidArgument', `RetentionPeriodInDays must be an integer from ${WORM_MIN_DAYS} to ${WORM_MAX_DAYS}, got ${days}`);
  }
}

/** The policy as it stands at `nowMs`: an expired InProgress one is gone. */
export function livePolicy(policy: WormPolicy | undefined, nowMs: number): WormPolicy | undefined {
  return policy && !wormExpired(policy, nowMs) ? policy : undefined;
}

export function initiateWorm(current: WormPolicy | undefined, days: number, wormId: string, nowMs: number): WormPolicy {
  checkRetentionDays(days);
  const live = livePolicy(current, nowMs);
  if (live?.state === 'Locked') throw new WormRuleError('WORMConfigurationLocked', 'the bucket has a locked retention policy');
  if (live) throw new WormRuleError('InvalidWORMConfiguration', 'the bucket already has a retention policy in progress; abort or complete it first');
  return { wormId, state: 'InProgress', retentionDays: days, createdMs: nowMs };
}

function requirePolicy(current: WormPolicy | undefined, wormId: string, nowMs: number): WormPolicy {
  const live = livePolicy(current, nowMs);
  if (!live || live.wormId !== wormId) throw new WormRuleError('NoSuchWORMConfiguration', `no retention policy with id ${wormId}`);
  return live;
}

export function completeWorm(current: WormPolicy | undefined, wormId: string, nowMs: number): WormPolicy {
  const live = requirePolicy(current, wormId, nowMs);
  if (live.state === 'Locked') return live; // completing twice changes nothing
  return { ...live, state: 'Locked' };
}

/** Returns undefined: the policy is removed. Only an InProgress policy can be aborted. */
export function abortWorm(current: WormPolicy | undefined, nowMs: number): undefined {
  const live = livePolicy(current, nowMs);
  if (!live) throw new WormRuleError('NoSuchWORMConfiguration', 'the bucket has no retention policy');
  if (live.state === 'Locked') throw new WormRuleError('WORMConfigurationLocked', 'a locked retention policy cannot be removed');
  return undefined;
}

export function extendWorm(current: WormPolicy | undefined, wormId: string, days: number, nowMs: number): WormPolicy {
  checkRetentionDays(days);
  const live = requirePolicy(current, wormId, nowMs);
  if (live.state !== 'Locked') throw new WormRuleError('InvalidWORMConfiguration', 'only a locked retention policy can be extended');
  if (days <= live.retentionDays) {
    throw new WormRuleError('InvalidArgument', `the retention period can only be lengthened (now ${live.retentionDays} days, asked ${days})`);
  }
  return { ...live, retentionDays: days };
}
