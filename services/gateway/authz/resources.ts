// Resource / NotResource patterns, both syntaxes, compiled to one shape: a pattern over the
// request's resource path (`bucket` or `bucket/key`; `''` for service-level requests such as
// ListBuckets) plus, for RAM ARNs, patterns over the region and the resource owner's account.
//   IAM: "*", "arn:aws:s3:::<bucket>[/<key>]" (partition aws, aws-cn or aws-us-gov)
//   RAM: "*", "acs:oss:<region>:<account>:<bucket>[/<key>]"  (region and account may be `*`)
// `*` and `?` work in every field; S3 and OSS resource names are case-sensitive.
import { MAX_POLICY_STRING_LENGTH } from './authz-limits.ts';
import { PolicySyntaxError } from './policy-syntax-error.ts';
import type { EvaluationRequest } from './request-context.ts';
import { isKmsPermission } from './permissions.ts';
import { compileWildcard, type StringMatcher } from './wildcard.ts';

export interface ResourcePattern {
  /** What the pattern is over: the object store's resources, the key service's, or (`*`) both. */
  readonly service?: 'kms' | 'any';
  /** The policy's text, for messages and GetBucketPolicy-style round trips. */
  readonly source: string;
  readonly path: StringMatcher;
  /** Absent: any region / any account (IAM ARNs carry neither). */
  readonly region?: StringMatcher;
  readonly account?: StringMatcher;
}

const IAM_S3_ARN = /^arn:(aws|aws-cn|aws-us-gov|\*):s3:::(.*)$/s;
const RAM_OSS_ARN = /^acs:oss:([^:]*):([^:]*):(.*)$/s;
// Key service (issue #12): arn:aws:kms:<region>:<account>:key/<id> | alias/<name> | *, and acs:kms:… alike.
const KMS_ARN = /^(?:arn:(?:aws|aws-cn|aws-us-gov|\*)|acs):kms:([^:]*):([^:]*):(.*)$/s;

export function parseResource(text: string): ResourcePattern {
  if (text.length === 0 || text.length > MAX_POLICY_STRING_LENGTH) {
    throw new PolicySyntaxError(`resource must be 1 to ${MAX_POLICY_STRING_LENGTH} characters`);
  }
  if (text === '*') return { source: text, service: 'any', path: compileWildcard('*') };
  const kms = KMS_ARN.exec(text);
  if (kms) {
    const [, region, account, path] = kms as unknown as [string, string, string, string];
    if (path === '') throw new PolicySyntaxError(`resource ${JSON.stringify(text)} names no key`);
    return {
      source: text, service: 'kms',
      path: compileWildcard(path),
      ...(region === '' || region === '*' ? {} : { region: compileWildcard(region) }),
      ...(account === '' || account === '*' ? {} : { account: compileWildcard(account) }),
    };
  }
  const iam = IAM_S3_ARN.exec(text);
  if (iam) {
    if (iam[2] === '') throw new PolicySyntaxError(`resource ${JSON.stringify(text)} names no bucket`);
    return { source: text, path: compileWildcard(iam[2]!) };
  }
  const ram = RAM_OSS_ARN.exec(text);
  if (ram) {
    const [, region, account, path] = ram as unknown as [string, string, string, string];
    if (path === '') throw new PolicySyntaxError(`resource ${JSON.stringify(text)} names no bucket`);
    return {
      source: text,
      path: compileWildcard(path),
      ...(region === '' || region === '*' ? {} : { region: compileWildcard(region) }),
      ...(account === '' || account === '*' ? {} : { account: compileWildcard(account) }),
    };
  }
  throw new PolicySyntaxError(`resource ${JSON.stringify(text)} is neither arn:aws:s3:::…, acs:oss:…, nor a kms key ARN`);
}

export function resourceMatches(pattern: ResourcePattern, r: EvaluationRequest): boolean {
  if (pattern.service !== 'any' && (pattern.service === 'kms') !== isKmsPermission(r.permission)) return false;
  if (!pattern.path(r.resourcePath)) return false;
  if (pattern.region && r.facts.region !== undefined && !pattern.region(r.facts.region)) return false;
  if (pattern.account && (r.resourceOwner === undefined || !pattern.account(r.resourceOwner))) return false;
  return true;
}

/** The resource path of a request: `''` (service), `bucket`, or `bucket/key`. */
export function resourcePath(bucket: string | undefined, key: string | undefined): string {
  if (bucket === undefined) return '';
  return key === undefined ? bucket : `${bucket}/${key}`;
}
