// Meta's data-protection commands applied on a real state machine: the WORM policy's life
// (initiate, complete, abort, extend, 24-hour expiry by command time) and its enforcement on
// delete / overwrite / bucket deletion; object lock (default retention, COMPLIANCE never
// removable, GOVERNANCE only with the bypass flag, legal hold), and the config back doors closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  CreateBucketRequestSchema, DeleteBucketRequestSchema, DeleteObjectRequestSchema, GetObjectRequestSchema,
  PutBucketConfigRequestSchema, PutObjectRequestSchema, type PutObjectResponse,
} from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import {
  AbortBucketWormRequestSchema, CompleteBucketWormRequestSchema, ExtendBucketWormRequestSchema, InitiateBucketWormRequestSchema,
  ObjectLockConfigRecordSchema, PutObjectLegalHoldRequestSchema, PutObjectRetentionRequestSchema, VersionLockSchema,
  type BucketWormResponse,
} from '../../../services/common/gen/zonestore/meta/v1/protection_pb.ts';
import { VersioningState } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { getObject } from '../../../services/meta/queries/object-queries.ts';
import { objectLockConfigDocument } from '../../../services/meta/rules/protection-records.ts';
import { DAY_MS, WORM_LOCK_WINDOW_MS } from '../../../services/meta/rules/retention.ts';
import { openHarness, type MetaHarness } from './meta-harness.ts';
import { manifestOf, op } from './records-fixture.ts';

const T0 = 1_800_000_000_000;
const at = async (h: MetaHarness, timeMs: number, o: Command['op']) => h.run(o, { timeMs });
const okAt = async <T>(h: MetaHarness, timeMs: number, o: Command['op']): Promise<T> => {
  const r = await at(h, timeMs, o);
  if (!r.ok) throw new Error(`${o.case} refused: ${r.error.message}`);
  return r.value as T;
};
const codeAt = async (h: MetaHarness, timeMs: number, o: Command['op']): Promise<string> => {
  const r = await at(h, timeMs, o);
  return r.ok ? 'ok' : r.error.code;
};
const put = (bucket: string, key: string, etag: string, lock?: { mode?: string; retainUntilMs?: number; legalHold?: boolean }): Command['op'] => ({
  case: 'putObject',
  value: create(PutObjectRequestSchema, {
    bucket, key, size: 10n, etag, manifest: manifestOf([`c-${etag}`]),
    lock: lock ? create(VersionLockSchema, { mode: lock.mode ?? '', retainUntilMs: BigInt(lock.retainUntilMs ?? 0), legalHold: lock.legalHold ?? false }) : undefined,
  }),
});
const del = (bucket: string, key: string, versionId = '', bypassGovernance = false): Command['op'] =>
  ({ case: 'deleteObject', value: create(DeleteObjectRequestSchema, { bucket, key, versionId, bypassGovernance }) });
const etagOf = async (h: MetaHarness, bucket: string, key: string, versionId = '') =>
  (await getObject(h.store, create(GetObjectRequestSchema, { bucket, key, versionId }))).version?.etag;
const initiate = (bucket: string, retentionDays: number): Command['op'] => ({ case: 'initiateBucketWorm', value: create(InitiateBucketWormRequestSchema, { bucket, retentionDays }) });
const complete = (bucket: string, wormId: string): Command['op'] => ({ case: 'completeBucketWorm', value: create(CompleteBucketWormRequestSchema, { bucket, wormId }) });
const abort = (bucket: string): Command['op'] => ({ case: 'abortBucketWorm', value: create(AbortBucketWormRequestSchema, { bucket }) });
const extend = (bucket: string, wormId: string, retentionDays: number): Command['op'] => ({ case: 'extendBucketWorm', value: create(ExtendBucketWormRequestSchema, { bucket, wormId, retentionDays }) });

test('WORM: InProgress and Locked policies refuse delete and overwrite until last-modified + period; reads and new keys stay allowed', async () => {
  const h = await openHarness();
  try {
    await okAt(h, T0, op.createBucket('wbk'));
    await okAt(h, T0, put('wbk', 'k', 'e1'));
    const p = (await okAt<BucketWormResponse>(h, T0 + 1, initiate('wbk', 1))).policy!;
    assert.equal(p.state, 'InProgress');
    assert.equal(await codeAt(h, T0 + 2, del('wbk', 'k')), 'ObjectLocked', 'InProgress protects');
    assert.equal(await codeAt(h, T0 + 3, complete('wbk', 'wrong')), 'NoSuchWORMConfiguration');
    assert.equal((await okAt<BucketWormResponse>(h, T0 + 3, complete('wbk', p.wormId))).policy?.state, 'Locked');
    assert.equal(await codeAt(h, T0 + 4, del('wbk', 'k')), 'ObjectLocked');
    assert.equal(await codeAt(h, T0 + 4, del('wbk', 'k', 'null', true)), 'ObjectLocked', 'the bypass flag does nothing for WORM');
    assert.equal(await codeAt(h, T0 + 5, put('wbk', 'k', 'e2')), 'ObjectLocked', 'overwrite refused');
    assert.equal(await etagOf(h, 'wbk', 'k'), 'e1');
    assert.equal(await codeAt(h, T0 + 6, put('wbk', 'other', 'e3')), 'ok', 'new objects may be uploaded');
    assert.equal(await codeAt(h, T0 + 7, { case: 'deleteBucket', value: create(DeleteBucketRequestSchema, { name: 'wbk' }) }), 'BucketNotEmpty');
    assert.equal(await codeAt(h, T0 + 8, abort('wbk')), 'WORMConfigurationLocked');
    assert.equal(await codeAt(h, T0 + 8, { case: 'putBucketConfig', value: create(PutBucketConfigRequestSchema, { bucket: 'wbk', kind: 'worm', document: new Uint8Array() }) }), 'InvalidArgument');
    assert.equal(await codeAt(h, T0 + 9, extend('wbk', p.wormId, 1)), 'InvalidArgument', 'never shortened or kept');
    assert.equal(await codeAt(h, T0 + 9, extend('wbk', p.wormId, 2)), 'ok');
    // One day after writing, still protected (2 days now); after two days it may go.
    assert.equal(await codeAt(h, T0 + DAY_MS + 10, del('wbk', 'k')), 'ObjectLocked');
    assert.equal(await codeAt(h, T0 + 2 * DAY_MS, del('wbk', 'k')), 'ok');
    assert.equal(await codeAt(h, T0 + 2 * DAY_MS, abort('wbk')), 'WORMConfigurationLocked', 'the policy itself stays');
  } finally {
    await h.close();
  }
});

test('WORM: appending to a protected appendable object is refused; a new appendable object may be created', async () => {
  const h = await openHarness();
  try {
    await okAt(h, T0, op.createBucket('wap'));
    await okAt(h, T0, op.append('wap', 'log', 0n));
    const p = (await okAt<BucketWormResponse>(h, T0 + 1, initiate('wap', 1))).policy!;
    await okAt(h, T0 + 2, complete('wap', p.wormId));
    assert.equal(await codeAt(h, T0 + 3, op.append('wap', 'log', 10n)), 'ObjectLocked');
    assert.equal(await etagOf(h, 'wap', 'log'), 'whole-10', 'the object is as it was');
    assert.equal(await codeAt(h, T0 + 4, op.append('wap', 'new-log', 0n)), 'ok');
    assert.equal(await codeAt(h, T0 + DAY_MS + 1, op.append('wap', 'log', 10n)), 'ok', 'after the period it may grow');
  } finally {
    await h.close();
  }
});

test('WORM: an InProgress policy may be aborted, and expires 24 hours after it was initiated', async () => {
  const h = await openHarness();
  try {
    await okAt(h, T0, op.createBucket('wbk'));
    await okAt(h, T0, put('wbk', 'k', 'e1'));
    await okAt(h, T0 + 1, initiate('wbk', 30));
    assert.equal(await codeAt(h, T0 + 2, initiate('wbk', 30)), 'InvalidWORMConfiguration');
    assert.equal(await codeAt(h, T0 + 3, abort('wbk')), 'ok');
    assert.equal(await codeAt(h, T0 + 4, abort('wbk')), 'NoSuchWORMConfiguration');
    assert.equal(await codeAt(h, T0 + 5, del('wbk', 'k')), 'ok');
    await okAt(h, T0 + 6, put('wbk', 'k', 'e2'));
    const p = (await okAt<BucketWormResponse>(h, T0 + 7, initiate('wbk', 30))).policy!;
    assert.equal(await codeAt(h, T0 + 7 + WORM_LOCK_WINDOW_MS - 1, del('wbk', 'k')), 'ObjectLocked');
    assert.equal(await codeAt(h, T0 + 7 + WORM_LOCK_WINDOW_MS, complete('wbk', p.wormId)), 'NoSuchWORMConfiguration', 'too late to lock');
    assert.equal(await codeAt(h, T0 + 7 + WORM_LOCK_WINDOW_MS, del('wbk', 'k')), 'ok', 'an expired policy protects nothing');
    assert.equal(await codeAt(h, T0, initiate('wbk', 0)), 'InvalidArgument');
    assert.equal(await codeAt(h, T0, initiate('wbk', 25_551)), 'InvalidArgument');
  } finally {
    await h.close();
  }
});

test('object lock: created versioning-enabled, default retention applied, COMPLIANCE never removed, GOVERNANCE with bypass only', async () => {
  const h = await openHarness();
  try {
    const lockDoc = (mode = '', days = 0) => objectLockConfigDocument(create(ObjectLockConfigRecordSchema, { enabled: true, defaultMode: mode, defaultDays: days }));
    assert.equal(await codeAt(h, T0, { case: 'createBucket', value: create(CreateBucketRequestSchema, { name: 'badbk', owner: 'a', configs: { 'object-lock': lockDoc() } }) }), 'InvalidBucketState');
    await okAt(h, T0, { case: 'createBucket', value: create(CreateBucketRequestSchema, { name: 'lbk', owner: 'a', versioning: VersioningState.ENABLED, configs: { 'object-lock': lockDoc('COMPLIANCE', 1) } }) });
    assert.equal(await codeAt(h, T0, op.versioning('lbk', VersioningState.SUSPENDED)), 'InvalidBucketState');
    const v1 = (await okAt<PutObjectResponse>(h, T0, put('lbk', 'k', 'e1'))).version!;
    assert.equal(v1.lock?.mode, 'COMPLIANCE');
    assert.equal(Number(v1.lock?.retainUntilMs), T0 + DAY_MS);
    assert.equal(await codeAt(h, T0 + 1, del('lbk', 'k', v1.versionId, true)), 'ObjectLocked');
    const marker = await okAt<{ versionId: string; deleteMarker: boolean }>(h, T0 + 2, del('lbk', 'k'));
    assert.equal(marker.deleteMarker, true, 'a plain delete only adds a delete marker');
    assert.equal(await codeAt(h, T0 + 3, del('lbk', 'k', marker.versionId)), 'ok', 'delete markers are never protected');
    const retention = (mode: string, until: number, bypassGovernance = false, versionId = v1.versionId): Command['op'] =>
      ({ case: 'putObjectRetention', value: create(PutObjectRetentionRequestSchema, { bucket: 'lbk', key: 'k', versionId, mode, retainUntilMs: BigInt(until), bypassGovernance }) });
    assert.equal(await codeAt(h, T0 + 4, retention('COMPLIANCE', T0 + DAY_MS - 1, true)), 'AccessDenied', 'never shortened');
    assert.equal(await codeAt(h, T0 + 4, retention('GOVERNANCE', T0 + 9 * DAY_MS, true)), 'AccessDenied', 'never weakened');
    assert.equal(await codeAt(h, T0 + 4, retention('', 0, true)), 'AccessDenied', 'never removed');
    assert.equal(await codeAt(h, T0 + 4, retention('COMPLIANCE', T0 + 2 * DAY_MS)), 'ok', 'extended');
    assert.equal(await codeAt(h, T0 + DAY_MS + 1, del('lbk', 'k', v1.versionId)), 'ObjectLocked', 'the extension holds');
    assert.equal(await codeAt(h, T0 + 2 * DAY_MS, del('lbk', 'k', v1.versionId)), 'ok', 'gone once retention ended');

    const g = (await okAt<PutObjectResponse>(h, T0, put('lbk', 'g', 'g1', { mode: 'GOVERNANCE', retainUntilMs: T0 + DAY_MS }))).version!;
    assert.equal(g.lock?.mode, 'GOVERNANCE');
    assert.equal(await codeAt(h, T0 + 1, del('lbk', 'g', g.versionId)), 'ObjectLocked');
    assert.equal(await codeAt(h, T0 + 1, { case: 'putObjectRetention', value: create(PutObjectRetentionRequestSchema, { bucket: 'lbk', key: 'g', versionId: g.versionId, mode: 'GOVERNANCE', retainUntilMs: BigInt(T0 + 5) }) }),
      'AccessDenied', 'shortening GOVERNANCE needs the bypass');
    const hold = (on: boolean): Command['op'] => ({ case: 'putObjectLegalHold', value: create(PutObjectLegalHoldRequestSchema, { bucket: 'lbk', key: 'g', versionId: g.versionId, on }) });
    assert.equal(await codeAt(h, T0 + 2, hold(true)), 'ok');
    assert.equal(await codeAt(h, T0 + 3, del('lbk', 'g', g.versionId, true)), 'ObjectLocked', 'legal hold is not bypassable');
    assert.equal(await codeAt(h, T0 + 4, hold(false)), 'ok');
    assert.equal(await etagOf(h, 'lbk', 'g', g.versionId), 'g1');
    assert.equal(await codeAt(h, T0 + 5, del('lbk', 'g', g.versionId, true)), 'ok', 'GOVERNANCE bypassed with the flag');

    assert.equal(await codeAt(h, T0, put('lbk', 'p', 'p1', { mode: 'COMPLIANCE', retainUntilMs: T0 - 1 })), 'InvalidArgument', 'retain-until in the past');
    await okAt(h, T0, op.createBucket('plain'));
    assert.equal(await codeAt(h, T0, put('plain', 'p', 'p1', { mode: 'COMPLIANCE', retainUntilMs: T0 + 1 })), 'InvalidRequest', 'lock headers need an object-lock bucket');
    assert.equal(await codeAt(h, T0, { case: 'putBucketConfig', value: create(PutBucketConfigRequestSchema, { bucket: 'lbk', kind: 'object-lock', document: new Uint8Array() }) }), 'InvalidArgument');
  } finally {
    await h.close();
  }
});
