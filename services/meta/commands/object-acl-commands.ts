// Applying PutObjectAcl: the ACL of one version is replaced in place, like its tag set (an ACL
// is not content: no new version, the same last-modified time and sequence). An unset ACL is
// OSS's "default": the object follows its bucket's ACL. The ACL's meaning is the gateway's
// (services/gateway/authz); here it is only checked for shape and size.
import { create } from '@bufbuild/protobuf';
import { ChangeKind, ObjectAttributesSchema, type AccessControlList } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  PutObjectAclResponseSchema, type PutObjectAclRequest, type PutObjectAclResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_ACL_GRANTS } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { replaceVersionAttributes } from './tagging-commands.ts';

const ACL_PERMISSIONS: ReadonlySet<string> = new Set(['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL']);
const ACL_GROUPS: ReadonlySet<string> = new Set(['AllUsers', 'AuthenticatedUsers', 'LogDelivery']);

/** InvalidArgument unless every grant names a grantee and a known permission, within the limit. */
export function checkAccessControlList(acl: AccessControlList | undefined, where: Record<string, string>): void {
  if (!acl) return;
  if (acl.grants.length > MAX_ACL_GRANTS) {
    throw new MetaError('InvalidArgument', `an ACL has at most ${MAX_ACL_GRANTS} grants`, where);
  }
  for (const g of acl.grants) {
    const grantee = g.grantee;
    const ok = ACL_PERMISSIONS.has(g.permission)
      && ((grantee.case === 'canonicalUser' && grantee.value !== '') || (grantee.case === 'group' && ACL_GROUPS.has(grantee.value)));
    if (!ok) throw new MetaError('InvalidArgument', `bad ACL grant ${JSON.stringify({ grantee: grantee.value, permission: g.permission })}`, where);
  }
}

export async function applyPutObjectAcl(ctx: ApplyContext, req: PutObjectAclRequest): Promise<PutObjectAclResponse> {
  checkAccessControlList(req.acl, { bucket: req.bucket, key: req.key });
  const acl = req.acl;
  const versionId = await replaceVersionAttributes(ctx, req.bucket, req.key, req.versionId, ChangeKind.OBJECT_ACL_CHANGED,
    (attributes) => (attributes ? { ...attributes, acl } : create(ObjectAttributesSchema, { acl })));
  return create(PutObjectAclResponseSchema, { versionId });
}
