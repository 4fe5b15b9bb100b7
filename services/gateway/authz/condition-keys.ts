// The condition keys the evaluator knows, under their IAM and RAM names (compared
// case-insensitively, as both services do), each with its type and where its value comes from.
// A key a policy names that is not here makes the policy MalformedPolicy: an unknown key would
// otherwise silently be "absent" and turn a Deny into a no-op.
import type { EvaluationRequest } from './request-context.ts';

export type ConditionKeyType = 'string' | 'bool' | 'date' | 'numeric' | 'ip';
export type ContextValue = string | number | boolean;

export interface ConditionKey {
  /** The first name below, as documentation spells it. */
  readonly name: string;
  readonly type: ConditionKeyType;
  /** The request's value; undefined when the key is absent from the request context. For `ip` keys, the text. */
  readonly get: (r: EvaluationRequest) => ContextValue | undefined;
}

type Row = readonly [names: readonly string[], type: ConditionKeyType, get: ConditionKey['get']];

const ROWS: readonly Row[] = [
  [['aws:SourceIp', 'acs:SourceIp'], 'ip', (r) => r.facts.sourceIp],
  [['aws:SecureTransport', 'acs:SecureTransport'], 'bool', (r) => r.facts.secureTransport],
  [['aws:CurrentTime', 'acs:CurrentTime'], 'date', (r) => r.facts.currentTime],
  [['aws:EpochTime'], 'date', (r) => r.facts.currentTime],
  [['aws:Referer', 'acs:Referer'], 'string', (r) => r.facts.referer],
  [['aws:UserAgent', 'acs:UserAgent'], 'string', (r) => r.facts.userAgent],
  [['aws:username'], 'string', (r) => (r.principal.type === 'user' ? r.principal.userName : undefined)],
  [['aws:userid'], 'string', (r) => {
    const p = r.principal;
    return p.type === 'user' ? p.userId : p.type === 'account' ? p.accountId : 'anonymous';
  }],
  [['aws:PrincipalAccount'], 'string', (r) => (r.principal.type === 'anonymous' ? undefined : r.principal.accountId)],
  [['aws:PrincipalType'], 'string', (r) => ({ anonymous: 'Anonymous', account: 'Account', user: 'User' })[r.principal.type]],
  [['s3:prefix', 'oss:Prefix'], 'string', (r) => r.facts.prefix],
  [['s3:delimiter', 'oss:Delimiter'], 'string', (r) => r.facts.delimiter],
  [['s3:max-keys'], 'numeric', (r) => r.facts.maxKeys],
  [['s3:x-amz-server-side-encryption', 'oss:x-oss-server-side-encryption'], 'string', (r) => r.facts.serverSideEncryption],
  [['s3:x-amz-server-side-encryption-aws-kms-key-id', 'oss:x-oss-server-side-encryption-key-id'], 'string', (r) => r.facts.sseKmsKeyId],
  [['s3:x-amz-acl', 'oss:x-oss-object-acl'], 'string', (r) => r.facts.acl],
  [['s3:VersionId', 'oss:VersionId'], 'string', (r) => r.facts.versionId],
  [['s3:signatureversion'], 'string', (r) => r.facts.signatureVersion],
  [['s3:authType'], 'string', (r) => r.facts.authType],
];

const BY_LOWER_NAME = new Map<string, ConditionKey>();
for (const [names, type, get] of ROWS) {
  const key: ConditionKey = { name: names[0]!, type, get };
  for (const n of names) BY_LOWER_NAME.set(n.toLowerCase(), key);
}

export function conditionKey(name: string): ConditionKey | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export const CONDITION_KEY_NAMES: readonly string[] = ROWS.flatMap(([names]) => names);
