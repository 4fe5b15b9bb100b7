// What is due when: days, dates, tags, sizes, noncurrent days and counts, delete markers,
// incomplete uploads, transitions — on a 1000 ms "day".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueUploadAbort, dueVersionAction, type VersionFacts } from '../../../../services/meta/lifecycle/lifecycle-evaluator.ts';
import { validateLifecycle, type LifecycleRule } from '../../../../services/meta/lifecycle/lifecycle-model.ts';

const DAY = 1000;
const rule = (r: Partial<LifecycleRule> & { id: string }): LifecycleRule => ({ enabled: true, filter: { prefix: '', tags: {} }, transitions: [], noncurrentTransitions: [], ...r });
const version = (v: Partial<VersionFacts> = {}): VersionFacts => ({
  key: 'k', size: 10, tags: {}, lastModifiedMs: 0, deleteMarker: false, isLatest: true, storageClass: '', otherVersions: 0, versioned: false, ...v,
});

test('expiration by days: due exactly at lastModified + days', () => {
  const c = validateLifecycle({ rules: [rule({ id: 'e', expiration: { days: 2 } })] });
  assert.equal(dueVersionAction(c, version({ lastModifiedMs: 500 }), 2499, DAY), undefined);
  assert.deepEqual(dueVersionAction(c, version({ lastModifiedMs: 500 }), 2500, DAY), { kind: 'expire-current', ruleId: 'e' });
});

test('expiration by S3 date and OSS created-before date', () => {
  const date = validateLifecycle({ rules: [rule({ id: 'd', expiration: { dateMs: 5000 } })] });
  assert.equal(dueVersionAction(date, version(), 4999, DAY), undefined);
  assert.equal(dueVersionAction(date, version({ lastModifiedMs: 6000 }), 7000, DAY)?.kind, 'expire-current');
  const before = validateLifecycle({ rules: [rule({ id: 'b', expiration: { createdBeforeMs: 5000 } })] });
  assert.equal(dueVersionAction(before, version({ lastModifiedMs: 4000 }), 4500, DAY)?.kind, 'expire-current');
  assert.equal(dueVersionAction(before, version({ lastModifiedMs: 5000 }), 99_000, DAY), undefined);
});

test('prefix, tags, sizes and disabled rules filter', () => {
  const c = validateLifecycle({ rules: [
    rule({ id: 'p', filter: { prefix: 'logs/', tags: { t: '1' }, sizeGreaterThan: 5, sizeLessThan: 100 }, expiration: { days: 1 } }),
    rule({ id: 'off', enabled: false, expiration: { days: 1 } }),
  ] });
  const now = 10 * DAY;
  assert.equal(dueVersionAction(c, version({ key: 'logs/a', tags: { t: '1' } }), now, DAY)?.ruleId, 'p');
  assert.equal(dueVersionAction(c, version({ key: 'other/a', tags: { t: '1' } }), now, DAY), undefined);
  assert.equal(dueVersionAction(c, version({ key: 'logs/a', tags: { t: '2' } }), now, DAY), undefined);
  assert.equal(dueVersionAction(c, version({ key: 'logs/a', tags: { t: '1' }, size: 5 }), now, DAY), undefined);
  assert.equal(dueVersionAction(c, version({ key: 'logs/a', tags: { t: '1' }, size: 100 }), now, DAY), undefined);
});

test('noncurrent versions: days since they became noncurrent, NewerNoncurrentVersions kept', () => {
  const c = validateLifecycle({ rules: [rule({ id: 'n', noncurrentExpiration: { noncurrentDays: 1, newerNoncurrentVersions: 1 } })] });
  const nc = (newer: number): VersionFacts => version({ isLatest: false, noncurrentSinceMs: 3000, newerNoncurrentVersions: newer, otherVersions: 2, versioned: true });
  assert.equal(dueVersionAction(c, nc(1), 3999, DAY), undefined);
  assert.deepEqual(dueVersionAction(c, nc(1), 4000, DAY), { kind: 'delete-version', ruleId: 'n' });
  assert.equal(dueVersionAction(c, nc(0), 99_000, DAY), undefined); // the newest noncurrent one is kept
  // A current version is not touched by a noncurrent rule.
  assert.equal(dueVersionAction(c, version({ versioned: true }), 99_000, DAY), undefined);
});

test('expired delete markers: only when nothing else is left of the key', () => {
  const c = validateLifecycle({ rules: [rule({ id: 'm', expiration: { expiredObjectDeleteMarker: true } })] });
  assert.deepEqual(dueVersionAction(c, version({ deleteMarker: true, versioned: true }), 0, DAY), { kind: 'delete-version', ruleId: 'm' });
  assert.equal(dueVersionAction(c, version({ deleteMarker: true, versioned: true, otherVersions: 1 }), 0, DAY), undefined);
  assert.equal(dueVersionAction(c, version({ versioned: true }), 99_000, DAY), undefined);
});

test('transitions: coldest due class, never warmer, expiration wins', () => {
  const c = validateLifecycle({ rules: [rule({ id: 't', transitions: [{ days: 1, storageClass: 'IA' }, { days: 2, storageClass: 'Archive' }], expiration: { days: 4 }, noncurrentTransitions: [{ noncurrentDays: 1, storageClass: 'Archive' }] })] });
  assert.equal(dueVersionAction(c, version(), 999, DAY), undefined);
  assert.deepEqual(dueVersionAction(c, version(), 1000, DAY), { kind: 'transition', ruleId: 't', storageClass: 'IA' });
  assert.deepEqual(dueVersionAction(c, version(), 2500, DAY), { kind: 'transition', ruleId: 't', storageClass: 'Archive' });
  assert.equal(dueVersionAction(c, version({ storageClass: 'Archive' }), 2500, DAY), undefined);
  assert.equal(dueVersionAction(c, version({ storageClass: 'IA' }), 4000, DAY)?.kind, 'expire-current');
  assert.deepEqual(dueVersionAction(c, version({ isLatest: false, noncurrentSinceMs: 0 }), 1000, DAY), { kind: 'transition', ruleId: 't', storageClass: 'Archive' });
});

test('incomplete multipart uploads: days after initiation, by prefix', () => {
  const c = validateLifecycle({ rules: [rule({ id: 'a', filter: { prefix: 'up/', tags: {} }, abortIncompleteUpload: { days: 1 } })] });
  assert.equal(dueUploadAbort(c, { key: 'up/x', initiatedMs: 100 }, 1099, DAY), undefined);
  assert.equal(dueUploadAbort(c, { key: 'up/x', initiatedMs: 100 }, 1100, DAY), 'a');
  assert.equal(dueUploadAbort(c, { key: 'other', initiatedMs: 0 }, 99_000, DAY), undefined);
});
