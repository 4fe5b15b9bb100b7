// Applying the lifecycle worker's own command: a storage-class transition of one version, in
// place. Deletions and upload aborts due by lifecycle are ordinary DeleteObject /
// AbortMultipartUpload commands (their apply runs the protection guard).
import { create } from '@bufbuild/protobuf';
import { ChangeKind, ObjectAttributesSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  TransitionObjectResponseSchema, type TransitionObjectRequest, type TransitionObjectResponse,
} from '../../common/gen/zonestore/meta/v1/lifecycle_pb.ts';
import { MetaError } from '../meta-error.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { replaceVersionAttributes, taggedVersion } from './tagging-commands.ts';

/** Stored classes a transition may set (S3 names, as every stored class is). */
export const TRANSITION_STORAGE_CLASSES: ReadonlySet<string> = new Set(['STANDARD_IA', 'GLACIER']);

export async function applyTransitionObject(ctx: ApplyContext, req: TransitionObjectRequest): Promise<TransitionObjectResponse> {
  if (!TRANSITION_STORAGE_CLASSES.has(req.storageClass)) {
    throw new MetaError('InvalidArgument', `a transition goes to STANDARD_IA or GLACIER, not ${JSON.stringify(req.storageClass)}`, { bucket: req.bucket, key: req.key });
  }
  const target = await taggedVersion(ctx, req.bucket, req.key, req.versionId);
  const now = target.attributes?.storageClass ?? '';
  const same = (a: string, b: string): boolean => (a || 'STANDARD') === (b || 'STANDARD');
  // A stale decision (the version moved to another class since the listing) changes nothing.
  if (!same(now, req.fromStorageClass)) return create(TransitionObjectResponseSchema, { versionId: target.versionId, transitioned: false });
  const versionId = await replaceVersionAttributes(ctx, req.bucket, req.key, req.versionId, ChangeKind.OBJECT_STORAGE_CLASS_CHANGED,
    (attributes) => (attributes ? { ...attributes, storageClass: req.storageClass } : create(ObjectAttributesSchema, { storageClass: req.storageClass })));
  return create(TransitionObjectResponseSchema, { versionId, transitioned: true });
}
