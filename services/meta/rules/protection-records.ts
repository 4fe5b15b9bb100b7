// The stored protection records (protection.proto) read as the pure rules' shapes: the bucket's
// "worm" and "object-lock" config documents and a version's lock. Pure decoding, no I/O; the
// lifecycle worker and meta's apply read them the same way.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ObjectLockConfigRecordSchema, WormPolicyRecordSchema, VersionLockSchema,
  type ObjectLockConfigRecord, type VersionLock as VersionLockRecord,
} from '../../common/gen/zonestore/meta/v1/protection_pb.ts';
import type { Bucket, ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { LockMode, ProtectableVersion, VersionLock, WormPolicy } from './retention.ts';

/** Bucket config kinds only meta's protection commands (and CreateBucket, for object-lock) write. */
export const WORM_CONFIG_KIND = 'worm';
export const OBJECT_LOCK_CONFIG_KIND = 'object-lock';
export const PROTECTED_CONFIG_KINDS: ReadonlySet<string> = new Set([WORM_CONFIG_KIND, OBJECT_LOCK_CONFIG_KIND]);

export function wormPolicyOf(bucket: Pick<Bucket, 'configs'>): WormPolicy | undefined {
  const doc = bucket.configs[WORM_CONFIG_KIND];
  if (!doc || doc.length === 0) return undefined;
  const r = fromBinary(WormPolicyRecordSchema, doc);
  return { wormId: r.wormId, state: r.state === 'Locked' ? 'Locked' : 'InProgress', retentionDays: r.retentionDays, createdMs: Number(r.createdMs) };
}

export function wormPolicyDocument(p: WormPolicy): Uint8Array {
  return toBinary(WormPolicyRecordSchema, create(WormPolicyRecordSchema, {
    wormId: p.wormId, state: p.state, retentionDays: p.retentionDays, createdMs: BigInt(p.createdMs),
  }));
}

export function objectLockConfigOf(bucket: Pick<Bucket, 'configs'>): ObjectLockConfigRecord | undefined {
  const doc = bucket.configs[OBJECT_LOCK_CONFIG_KIND];
  if (!doc || doc.length === 0) return undefined;
  return fromBinary(ObjectLockConfigRecordSchema, doc);
}

export function objectLockConfigDocument(c: ObjectLockConfigRecord): Uint8Array {
  return toBinary(ObjectLockConfigRecordSchema, c);
}

export function lockModeOf(mode: string): LockMode | undefined {
  return mode === 'GOVERNANCE' || mode === 'COMPLIANCE' ? mode : undefined;
}

export function versionLockOf(record: VersionLockRecord | undefined): VersionLock | undefined {
  if (!record) return undefined;
  const mode = lockModeOf(record.mode);
  return {
    ...(mode ? { mode, retainUntilMs: Number(record.retainUntilMs) } : {}),
    ...(record.legalHold ? { legalHold: true } : {}),
  };
}

export function versionLockRecord(lock: VersionLock): VersionLockRecord {
  return create(VersionLockSchema, {
    mode: lock.mode ?? '', retainUntilMs: BigInt(lock.mode ? lock.retainUntilMs ?? 0 : 0), legalHold: lock.legalHold ?? false,
  });
}

/** A stored version as the rules see it. */
export function protectableOf(v: Pick<ObjectVersion, 'lastModifiedMs' | 'deleteMarker' | 'lock'>): ProtectableVersion {
  return { lastModifiedMs: Number(v.lastModifiedMs), deleteMarker: v.deleteMarker, lock: versionLockOf(v.lock) };
}
