// The benchmark's 20-statement bucket policy and the requests run against it. Most statements
// cover GetObject on resources that match, so evaluation cannot skip them on the action flag
// alone: principals and conditions get evaluated, as in a busy shared bucket's policy.
import {
  cannedAcl, parsePolicy, permissionId,
  type AuthorizationRequest, type BucketAccess, type Policy, type RequestFacts, type RequestPrincipal,
} from '../../services/gateway/authz/index.ts';

export const OWNER = '111122223333';
const partner = (i: number) => String(200000000000 + i);

const statements: unknown[] = [
  { Sid: 'DenyPlainHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  { Sid: 'SecretOnlyFromOffice', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/secret/*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } },
  { Sid: 'RequireEncryption', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': ['AES256', 'aws:kms'] } } },
  ...Array.from({ length: 8 }, (_, i) => ({
    Sid: `Partner${i}`, Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${partner(i)}:root`] },
    Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::b/team-${i}/*`,
    Condition: { IpAddress: { 'aws:SourceIp': [`10.${i}.0.0/16`, `2001:db8:${i}::/48`] } },
  })),
  { Sid: 'PublicAssets', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*', Condition: { StringLike: { 'aws:Referer': ['https://www.example.com/*', 'https://*.example.org/*'] } } },
  { Sid: 'HomeListing', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:user/alice` }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['home/alice/*', ''] } } },
  { Sid: 'NoDeletesButOwner', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: 'arn:aws:s3:::b/*' },
  { Sid: 'RamShared', Effect: 'Allow', Principal: { RAM: [`acs:ram::${partner(50)}:root`, `acs:ram::${partner(51)}:user/bob`] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/shared/*' },
  { Sid: 'Campaign', Effect: 'Allow', Principal: { AWS: partner(60) }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/campaign/*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' }, DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } } },
  { Sid: 'UploadsWithAgent', Effect: 'Allow', Principal: { AWS: partner(61) }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/uploads/*', Condition: { StringLike: { 'aws:UserAgent': 'aws-sdk-*' } } },
  { Sid: 'Auditors', Effect: 'Allow', Principal: { AWS: [partner(70), partner(71), partner(72)] }, Action: ['s3:GetObject', 's3:GetObjectAcl', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/logs/*'], Condition: { IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } } },
  { Sid: 'AnyGet', Effect: 'Allow', Principal: { AWS: partner(80) }, Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:UserAgent': 'reader/1.0' } } },
  { Sid: 'Mirror', Effect: 'Allow', Principal: { AWS: partner(81) }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/mirror/*', Condition: { NumericLessThanEquals: { 's3:max-keys': '1000' } } },
];

export function benchPolicy(): Policy {
  const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'bucket');
  if (!r.ok) throw r.error;
  if (r.policy.statements.length !== 20) throw new Error(`the benchmark policy has ${r.policy.statements.length} statements, not 20`);
  return r.policy;
}

export function bucketAccess(policy: Policy): BucketAccess {
  return { owner: OWNER, policy, acl: cannedAcl('private', OWNER) };
}

const NOW = Date.UTC(2026, 11, 7, 12);
const facts = (over: Partial<RequestFacts>): RequestFacts => ({
  currentTime: NOW, secureTransport: true, sourceIp: '10.3.7.9', authType: 'REST-HEADER', userAgent: 'aws-sdk-js/3.1175.0', ...over,
});
const account = (id: string): RequestPrincipal => ({ type: 'account', accountId: id });

export interface BenchRequest {
  readonly name: string;
  readonly expect: boolean;
  readonly request: AuthorizationRequest;
}

/** Requests whose decision takes every kind of path through the policy; `expect` is checked before timing. */
export function benchRequests(access: BucketAccess): BenchRequest[] {
  const get = permissionId('GetObject')!;
  const put = permissionId('PutObject')!;
  const req = (name: string, expect: boolean, principal: RequestPrincipal, permission: number, key: string, f: Partial<RequestFacts> = {}): BenchRequest => ({
    name, expect, request: { principal, permission, bucket: 'b', key, facts: facts(f), bucketAccess: access },
  });
  return [
    req('partner 3 reads its prefix (allowed by statement 7)', true, account(partner(3)), get, 'team-3/report.csv'),
    req('partner 3 outside its prefix (all 20 statements, denied)', false, account(partner(3)), get, 'team-4/report.csv'),
    req('anonymous public asset with Referer (allowed by statement 12)', true, { type: 'anonymous' }, get, 'public/logo.png', { referer: 'https://www.example.com/index.html' }),
    req('anonymous over plain HTTP (Deny at statement 1)', false, { type: 'anonymous' }, get, 'public/logo.png', { secureTransport: false }),
    req('stranger, IPv6 source (all 20 statements, denied)', false, account('999988887777'), get, 'mirror/a', { sourceIp: '2001:db8:9::1' }),
    req('partner 61 uploads encrypted (allowed by statement 17)', true, account(partner(61)), put, 'uploads/x.bin', { serverSideEncryption: 'AES256' }),
    req('partner 80 reads with its agent (allowed by statement 19)', true, account(partner(80)), get, 'any/thing', { userAgent: 'reader/1.0' }),
    req('the owner (account root, after the Deny scan)', true, account(OWNER), get, 'secret/plans.txt'),
  ];
}
