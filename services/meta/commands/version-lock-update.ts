// Rewriting one version's object lock in place (PutObjectRetention, PutObjectLegalHold): like
// tags, lock settings are not content, so no new version and the same sequence; the c/ copy
// of the current version is kept equal.
import { create } from '@bufbuild/protobuf';
import type { VersionLock } from '../../common/gen/zonestore/meta/v1/protection_pb.ts';
import { ChangeKind, ObjectVersionSchema, type ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';
import { currentVersion, summaryOf } from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { taggedVersion } from './tagging-commands.ts';

export async function replaceVersionAttributesWith(
  ctx: ApplyContext, bucket: string, objectKey: string, versionId: string, change: (v: ObjectVersion) => VersionLock,
): Promise<{ versionId: string; lock: VersionLock }> {
  assertObjectKey(bucket, objectKey);
  const target = await taggedVersion(ctx, bucket, objectKey, versionId);
  const lock = change(target);
  const updated = create(ObjectVersionSchema, { ...summaryOf(target), lock });
  ctx.put(key.version(bucket, objectKey, Number(target.sequence)), ObjectVersionSchema, updated);
  const cur = await currentVersion(ctx, bucket, objectKey);
  if (cur?.sequence === target.sequence) ctx.put(key.current(bucket, objectKey), ObjectVersionSchema, updated);
  ctx.change({ kind: ChangeKind.BUCKET_CONFIG_CHANGED, bucket, key: objectKey, versionId: target.versionId, detail: 'object-lock' });
  return { versionId: target.versionId, lock };
}
