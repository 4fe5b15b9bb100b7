// The authorization core (issue #11): pure, no I/O. The gateway parses policies when they are
// stored (parsePolicy), keeps the parsed Policy with the bucket or user, and for each request
// runs authorize() once per requiredPermissions() check. See README.md and docs/authorization.md.
export { authorize, accessDeniedError, type AuthorizationRequest, type BucketAccess, type Decision, type DecisionReason, type ObjectOwnership } from './authorize.ts';
export { parsePolicy, maxPolicyBytes, type PolicyParseResult } from './policy-parser.ts';
export type { Policy, PolicyKind, PolicySyntax, Statement, Effect } from './policy-model.ts';
export { evaluatePolicy, type PolicyOutcome } from './policy-evaluation.ts';
export { PERMISSIONS, permissionId, permissionInfo, type PermissionId, type PermissionInfo, type AclPermission } from './permissions.ts';
export { requiredPermissions, type PermissionCheck, type CheckTarget, type OperationFacts } from './operation-permissions.ts';
export type { RequestFacts, RequestPrincipal, AuthType } from './request-context.ts';
export { requestFacts, type RequestFactsInput } from './request-facts.ts';
export {
  cannedAcl, parseCannedAcl, parseGrantHeaders, aclGrants, isPublicAcl, effectiveObjectAcl, cannedAclName,
  BUCKET_CANNED_ACLS, OBJECT_CANNED_ACLS, GROUP_URIS,
  type AccessControlList, type ObjectAcl, type Grant, type Grantee, type AclGroup, type BucketCannedAcl, type ObjectCannedAcl, type GrantHeaders,
} from './acl.ts';
export {
  isPublicPolicy, isPublicStatement, refusePublicPolicy, refusePublicAcl, combinePublicAccessBlocks, NO_PUBLIC_ACCESS_BLOCK,
  type PublicAccessBlock,
} from './block-public-access.ts';
export {
  compileRefererConfiguration, checkReferer, truncateReferer, DEFAULT_REFERER_CONFIGURATION,
  type RefererConfiguration, type CompiledRefererConfiguration, type RefererVerdict,
} from './referer.ts';
export { parseIpAddress, parseCidr, cidrContains, type IpAddress, type CidrBlock } from './ip-address.ts';
export { compileWildcard, globMatch } from './wildcard.ts';
export * from './authz-limits.ts';
export { authorizeKms, kmsPermissionId, type KmsAuthorizationRequest, type KmsDecision, type KmsKeyTarget } from './kms-authorize.ts';
export { KMS_ACTIONS, KMS_PERMISSIONS, isKmsPermission } from './permissions.ts';
