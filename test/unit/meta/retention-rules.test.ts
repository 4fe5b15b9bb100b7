// The pure protection rules: retention arithmetic, the WORM policy's state machine (expiry of an
// unlocked policy after 24 hours), COMPLIANCE / GOVERNANCE / legal hold decisions, and the
// property that no sequence of operations shortens a locked retention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DAY_MS, WORM_LOCK_WINDOW_MS, defaultRetainUntilMs, isVersionProtected, protectionOf, retentionChangeAllowed,
  wormInForce, wormRetainUntilMs, type VersionLock, type WormPolicy,
} from '../../../services/meta/rules/retention.ts';
import {
  WormRuleError, abortWorm, completeWorm, extendWorm, initiateWorm, livePolicy,
} from '../../../services/meta/rules/worm-policy.ts';

const T0 = Date.UTC(2026, 0, 1);
const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof WormRuleError) return e.code; throw e; }
  return 'ok';
};

test('retention arithmetic: WORM from last-modified, default retention in days and 365-day years', () => {
  assert.equal(wormRetainUntilMs(T0, 1), T0 + DAY_MS);
  assert.equal(wormRetainUntilMs(BigInt(T0), 25_550), T0 + 25_550 * DAY_MS);
  assert.equal(defaultRetainUntilMs(T0, { days: 3 }), T0 + 3 * DAY_MS);
  assert.equal(defaultRetainUntilMs(T0, { years: 2 }), T0 + 730 * DAY_MS);
});

test('WORM state machine: initiate, complete, extend only lengthens, abort only while InProgress', () => {
  assert.equal(codeOf(() => initiateWorm(undefined, 0, 'w', T0)), 'InvalidArgument');
  assert.equal(codeOf(() => initiateWorm(undefined, 25_551, 'w', T0)), 'InvalidArgument');
  assert.equal(codeOf(() => initiateWorm(undefined, 1.5, 'w', T0)), 'InvalidArgument');
  const p = initiateWorm(undefined, 10, 'w1', T0);
  assert.deepEqual(p, { wormId: 'w1', state: 'InProgress', retentionDays: 10, createdMs: T0 });
  assert.equal(codeOf(() => initiateWorm(p, 5, 'w2', T0 + 1)), 'InvalidWORMConfiguration');
  assert.equal(codeOf(() => extendWorm(p, 'w1', 20, T0 + 1)), 'InvalidWORMConfiguration');
  assert.equal(codeOf(() => completeWorm(p, 'nope', T0 + 1)), 'NoSuchWORMConfiguration');
  assert.equal(abortWorm(p, T0 + 1), undefined);
  const locked = completeWorm(p, 'w1', T0 + 1000);
  assert.equal(locked.state, 'Locked');
  assert.equal(codeOf(() => abortWorm(locked, T0 + 2000)), 'WORMConfigurationLocked');
  assert.equal(codeOf(() => initiateWorm(locked, 1, 'w3', T0 + 2000)), 'WORMConfigurationLocked');
  assert.equal(codeOf(() => extendWorm(locked, 'w1', 10, T0 + 2000)), 'InvalidArgument');
  assert.equal(codeOf(() => extendWorm(locked, 'w1', 9, T0 + 2000)), 'InvalidArgument');
  assert.equal(extendWorm(locked, 'w1', 11, T0 + 2000).retentionDays, 11);
  // Locked stays locked forever, whatever the time.
  assert.equal(livePolicy(locked, T0 + 100 * 365 * DAY_MS), locked);
});

test('an InProgress WORM policy protects for 24 hours and then expires (complete and abort find nothing)', () => {
  const p = initiateWorm(undefined, 30, 'w1', T0);
  const v = { lastModifiedMs: T0 };
  assert.equal(isVersionProtected(v, p, T0 + WORM_LOCK_WINDOW_MS - 1), true);
  assert.equal(wormInForce(p, T0 + WORM_LOCK_WINDOW_MS), undefined);
  assert.equal(isVersionProtected(v, p, T0 + WORM_LOCK_WINDOW_MS), false);
  assert.equal(codeOf(() => completeWorm(p, 'w1', T0 + WORM_LOCK_WINDOW_MS)), 'NoSuchWORMConfiguration');
  assert.equal(codeOf(() => abortWorm(p, T0 + WORM_LOCK_WINDOW_MS)), 'NoSuchWORMConfiguration');
  // A new policy may be initiated once the old one expired.
  assert.equal(initiateWorm(p, 2, 'w2', T0 + WORM_LOCK_WINDOW_MS).wormId, 'w2');
});

test('WORM protects each object until its last-modified time plus the period; delete markers never', () => {
  const p: WormPolicy = { wormId: 'w', state: 'Locked', retentionDays: 2, createdMs: T0 };
  const v = { lastModifiedMs: T0 + DAY_MS };
  assert.deepEqual(protectionOf(v, p, T0 + 2 * DAY_MS), [{ reason: 'worm', untilMs: T0 + 3 * DAY_MS }]);
  assert.equal(isVersionProtected(v, p, T0 + 3 * DAY_MS), false);
  assert.equal(isVersionProtected({ ...v, deleteMarker: true }, p, T0 + 2 * DAY_MS), false);
  // The bypass header lifts GOVERNANCE only: never WORM.
  assert.equal(isVersionProtected(v, p, T0 + 2 * DAY_MS, { bypassGovernance: true }), true);
});

test('object lock decisions: COMPLIANCE never bypassed, GOVERNANCE with bypass only, legal hold until off', () => {
  const until = T0 + DAY_MS;
  const compliance = { lastModifiedMs: T0, lock: { mode: 'COMPLIANCE', retainUntilMs: until } as VersionLock };
  const governance = { lastModifiedMs: T0, lock: { mode: 'GOVERNANCE', retainUntilMs: until } as VersionLock };
  const held = { lastModifiedMs: T0, lock: { legalHold: true } };
  assert.equal(isVersionProtected(compliance, undefined, T0, { bypassGovernance: true }), true);
  assert.equal(isVersionProtected(compliance, undefined, until), false);
  assert.equal(isVersionProtected(governance, undefined, T0), true);
  assert.equal(isVersionProtected(governance, undefined, T0, { bypassGovernance: true }), false);
  assert.equal(isVersionProtected(held, undefined, T0 + 1000 * DAY_MS, { bypassGovernance: true }), true);
  assert.equal(isVersionProtected({ ...governance, lock: { ...governance.lock, legalHold: true } }, undefined, T0, { bypassGovernance: true }), true);
  assert.deepEqual(protectionOf({ lastModifiedMs: T0 }, undefined, T0), []);
});

test('retention changes: COMPLIANCE only lengthens; GOVERNANCE weakening needs the bypass; expired retention is free', () => {
  const c: VersionLock = { mode: 'COMPLIANCE', retainUntilMs: T0 + DAY_MS };
  const g: VersionLock = { mode: 'GOVERNANCE', retainUntilMs: T0 + DAY_MS };
  assert.equal(retentionChangeAllowed(c, { mode: 'COMPLIANCE', retainUntilMs: T0 + 2 * DAY_MS }, T0).ok, true);
  assert.equal(retentionChangeAllowed(c, { mode: 'COMPLIANCE', retainUntilMs: T0 + 1 }, T0, { bypassGovernance: true }).ok, false);
  assert.equal(retentionChangeAllowed(c, { mode: 'GOVERNANCE', retainUntilMs: T0 + 9 * DAY_MS }, T0, { bypassGovernance: true }).ok, false);
  assert.equal(retentionChangeAllowed(c, {}, T0, { bypassGovernance: true }).ok, false);
  assert.equal(retentionChangeAllowed(g, { mode: 'COMPLIANCE', retainUntilMs: T0 + DAY_MS }, T0).ok, true);
  assert.equal(retentionChangeAllowed(g, { mode: 'GOVERNANCE', retainUntilMs: T0 + 1 }, T0).ok, false);
  assert.equal(retentionChangeAllowed(g, {}, T0, { bypassGovernance: true }).ok, true);
  assert.equal(retentionChangeAllowed(c, {}, T0 + DAY_MS).ok, true);
});

test('property: no sequence of WORM operations shortens or removes a locked policy', () => {
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('initiate' as const), days: fc.integer({ min: -5, max: 30_000 }) }),
    fc.record({ kind: fc.constant('complete' as const), right: fc.boolean() }),
    fc.record({ kind: fc.constant('abort' as const) }),
    fc.record({ kind: fc.constant('extend' as const), days: fc.integer({ min: -5, max: 30_000 }), right: fc.boolean() }),
  );
  fc.assert(fc.property(fc.array(fc.record({ op: opArb, dt: fc.integer({ min: 0, max: 3 * WORM_LOCK_WINDOW_MS }) }), { maxLength: 40 }), (steps) => {
    let policy: WormPolicy | undefined;
    let now = T0;
    let n = 0;
    let lockedDays = 0;
    for (const { op, dt } of steps) {
      now += dt;
      try {
        if (op.kind === 'initiate') policy = initiateWorm(policy, op.days, `w${++n}`, now);
        else if (op.kind === 'complete') policy = completeWorm(policy, op.right ? policy?.wormId ?? 'x' : 'x', now);
        else if (op.kind === 'abort') policy = abortWorm(policy, now);
        else policy = extendWorm(policy, op.right ? policy?.wormId ?? 'x' : 'x', op.days, now);
      } catch (e) {
        if (!(e instanceof WormRuleError)) throw e;
      }
      if (lockedDays > 0) {
        const live = livePolicy(policy, now);
        assert.ok(live && live.state === 'Locked' && live.retentionDays >= lockedDays, 'a locked policy stays and never shortens');
      }
      if (policy?.state === 'Locked') lockedDays = policy.retentionDays;
    }
  }), { seed: 1313, numRuns: 300 });
});

test('property: no sequence of COMPLIANCE retention changes shortens its retain-until date', () => {
  const change = fc.record({
    mode: fc.constantFrom<'GOVERNANCE' | 'COMPLIANCE' | undefined>('GOVERNANCE', 'COMPLIANCE', undefined),
    delta: fc.integer({ min: -10 * DAY_MS, max: 10 * DAY_MS }), bypass: fc.boolean(), dt: fc.integer({ min: 0, max: DAY_MS }),
  });
  fc.assert(fc.property(fc.array(change, { maxLength: 30 }), (changes) => {
    let lock: VersionLock = { mode: 'COMPLIANCE', retainUntilMs: T0 + 5 * DAY_MS };
    let now = T0;
    for (const c of changes) {
      now += c.dt;
      const next = c.mode ? { mode: c.mode, retainUntilMs: lock.retainUntilMs! + c.delta } : {};
      const before = lock;
      if (retentionChangeAllowed(lock, next, now, { bypassGovernance: c.bypass }).ok) lock = { ...next };
      if (before.mode === 'COMPLIANCE' && now < before.retainUntilMs!) {
        assert.equal(lock.mode, 'COMPLIANCE');
        assert.ok(lock.retainUntilMs! >= before.retainUntilMs!);
      }
    }
  }), { seed: 1314, numRuns: 300 });
});
