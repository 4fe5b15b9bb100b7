// Enforcement of WORM retention and object lock in apply, where no gateway (or second gateway,
// or race between them) can get around it: every path that removes or replaces a stored data
// version asks here first, with the command's own time.
import { BucketSchema, type ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaError } from '../meta-error.ts';
import { protectableOf, wormPolicyOf } from '../rules/protection-records.ts';
import { protectionOf } from '../rules/retention.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { key } from '../state/meta-keys.ts';

export interface RemovalOptions {
  /** s3:BypassGovernanceRetention held and the bypass header sent (checked by the gateway). */
  bypassGovernance?: boolean;
}

/** Refuses with ObjectLocked when `v` is protected at the command's time. */
export async function assertVersionRemovable(ctx: ApplyContext, bucketName: string, v: ObjectVersion, options: RemovalOptions = {}): Promise<void> {
  if (v.deleteMarker) return;
  const bucket = await ctx.get(BucketSchema, key.bucket(bucketName));
  const worm = bucket ? wormPolicyOf(bucket) : undefined;
  const blocking = protectionOf(protectableOf(v), worm, Number(ctx.stamp.timeMs))
    .filter((p) => !(p.reason === 'governance' && options.bypassGovernance));
  if (blocking.length === 0) return;
  const first = blocking[0]!;
  const why = first.reason === 'worm'
    ? `the bucket's retention policy protects it until ${new Date(first.untilMs!).toISOString()}`
    : first.reason === 'legal-hold'
      ? 'it is under legal hold'
      : `its ${first.reason.toUpperCase()} retention runs until ${new Date(first.untilMs!).toISOString()}`;
  throw new MetaError('ObjectLocked', `version ${v.versionId} of ${v.key} cannot be removed or overwritten: ${why}`,
    { bucket: bucketName, key: v.key, versionId: v.versionId, protection: first.reason });
}
