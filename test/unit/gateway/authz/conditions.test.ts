// Condition operators and keys, one rule per test: AND across operators and keys, OR across
// values, NOR for negated operators, absent keys, IfExists, Null, ForAnyValue / ForAllValues.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestFacts } from '../../../../services/gateway/authz/index.ts';
import { alice, anonymous, ask, iam, mallory, NOW, policy, type Ask } from './authz-fixtures.ts';

/** Does a user policy allowing GetObject under this Condition allow the request? */
function holds(condition: unknown, f: Partial<RequestFacts> = {}, a: Ask = {}): boolean {
  const p = policy(iam({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: '*', Condition: condition }), 'user');
  return ask({ principal: alice, userPolicies: [p], facts: f, ...a }).allowed;
}

describe('combining', () => {
  test('several operators must all hold (AND)', () => {
    const c = { Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    assert.equal(holds(c), true);
    assert.equal(holds(c, { secureTransport: false }), false);
    assert.equal(holds(c, { sourceIp: '192.168.0.1' }), false);
  });
  test('several keys under one operator must all hold (AND)', () => {
    const c = { StringEquals: { 'aws:UserAgent': 'sdk', 'aws:Referer': 'https://a.test/' } };
    assert.equal(holds(c, { userAgent: 'sdk', referer: 'https://a.test/' }), true);
    assert.equal(holds(c, { userAgent: 'sdk', referer: 'https://b.test/' }), false);
  });
  test('several values of one key are alternatives (OR)', () => {
    const c = { StringEquals: { 'aws:UserAgent': ['a', 'b'] } };
    assert.equal(holds(c, { userAgent: 'b' }), true);
    assert.equal(holds(c, { userAgent: 'c' }), false);
  });
  test('a negated operator must match none of the values (NOR)', () => {
    const c = { StringNotEquals: { 'aws:UserAgent': ['a', 'b'] } };
    assert.equal(holds(c, { userAgent: 'c' }), true);
    assert.equal(holds(c, { userAgent: 'a' }), false);
  });
  test('operator and key names: operators exact, keys case-insensitive', () => {
    assert.equal(holds({ Bool: { 'AWS:securetransport': 'TRUE' } }), true);
  });
});

describe('absent keys', () => {
  test('a positive operator on an absent key is false', () => {
    assert.equal(holds({ StringEquals: { 'aws:Referer': 'x' } }), false);
  });
  test('a negated operator on an absent key is true', () => {
    assert.equal(holds({ StringNotEquals: { 'aws:Referer': 'x' } }), true);
    assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { sourceIp: undefined }), true);
  });
  test('…IfExists is true on an absent key and tests a present one', () => {
    const c = { StringEqualsIfExists: { 'aws:Referer': 'https://a.test/' } };
    assert.equal(holds(c), true);
    assert.equal(holds(c, { referer: 'https://a.test/' }), true);
    assert.equal(holds(c, { referer: 'https://b.test/' }), false);
  });
  test('Null true tests absence, Null false presence', () => {
    assert.equal(holds({ Null: { 's3:x-amz-server-side-encryption': 'true' } }), true);
    assert.equal(holds({ Null: { 's3:x-amz-server-side-encryption': 'true' } }, { serverSideEncryption: 'AES256' }), false);
    assert.equal(holds({ Null: { 's3:x-amz-server-side-encryption': 'false' } }, { serverSideEncryption: 'AES256' }), true);
  });
  test('ForAllValues holds on an absent key, ForAnyValue does not', () => {
    assert.equal(holds({ 'ForAllValues:StringEquals': { 'aws:Referer': 'x' } }), true);
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:Referer': 'x' } }), false);
  });
  test('ForAnyValue / ForAllValues on a present single value test it like the plain operator', () => {
    assert.equal(holds({ 'ForAnyValue:StringLike': { 'aws:Referer': '*a.test*' } }, { referer: 'https://a.test/' }), true);
    assert.equal(holds({ 'ForAllValues:StringLike': { 'aws:Referer': '*a.test*' } }, { referer: 'https://b.test/' }), false);
  });
});

describe('string operators', () => {
  test('StringEquals is case-sensitive, StringEqualsIgnoreCase is not', () => {
    assert.equal(holds({ StringEquals: { 'aws:UserAgent': 'SDK' } }, { userAgent: 'sdk' }), false);
    assert.equal(holds({ StringEqualsIgnoreCase: { 'aws:UserAgent': 'SDK' } }, { userAgent: 'sdk' }), true);
    assert.equal(holds({ StringNotEqualsIgnoreCase: { 'aws:UserAgent': 'SDK' } }, { userAgent: 'sdk' }), false);
  });
  test('StringLike / StringNotLike use * and ?', () => {
    assert.equal(holds({ StringLike: { 'aws:UserAgent': 'aws-sdk-js/?.*' } }, { userAgent: 'aws-sdk-js/3.1175.0' }), true);
    assert.equal(holds({ StringNotLike: { 'aws:UserAgent': 'curl*' } }, { userAgent: 'curl/8' }), false);
    assert.equal(holds({ StringLikeIgnoreCase: { 'aws:UserAgent': 'CURL*' } }, { userAgent: 'curl/8' }), true);
    assert.equal(holds({ StringNotLikeIgnoreCase: { 'aws:UserAgent': 'CURL*' } }, { userAgent: 'curl/8' }), false);
  });
  test('s3:prefix / oss:Prefix restrict listings', () => {
    const c = { StringLike: { 's3:prefix': ['home/alice/*', ''] } };
    assert.equal(holds(c, { prefix: 'home/alice/docs' }, { action: 'ListBucket' }), true);
    assert.equal(holds(c, { prefix: 'home/bob/' }, { action: 'ListBucket' }), false);
    assert.equal(holds({ StringEquals: { 'oss:Prefix': 'a/' } }, { prefix: 'a/' }, { action: 'ListBucket' }), true);
  });
  test('requiring encryption: Deny PutObject when x-amz-server-side-encryption is absent or not AES256', () => {
    const p = policy(iam(
      { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } } },
    ), 'user');
    const put = (f: Partial<RequestFacts>) => ask({ principal: alice, action: 'PutObject', userPolicies: [p], facts: f }).reason;
    assert.equal(put({}), 'ExplicitDeny');
    assert.equal(put({ serverSideEncryption: 'aws:kms' }), 'ExplicitDeny');
    assert.equal(put({ serverSideEncryption: 'AES256' }), 'UserPolicy');
  });
  test('a Bool key tested with StringEquals compares its text', () => {
    assert.equal(holds({ StringEquals: { 'aws:SecureTransport': 'true' } }), true);
  });
  test('principal keys: aws:username, aws:userid, aws:PrincipalAccount, aws:PrincipalType', () => {
    assert.equal(holds({ StringEquals: { 'aws:username': 'alice', 'aws:userid': 'u-alice', 'aws:PrincipalType': 'User' } }), true);
    assert.equal(holds({ StringEquals: { 'aws:username': 'alice' } }, {}, { principal: mallory }), false);
  });
  test('s3:authType, s3:signatureversion, s3:x-amz-acl, s3:VersionId read their facts', () => {
    assert.equal(holds({ StringEquals: { 's3:authType': 'REST-HEADER' } }), true);
    assert.equal(holds({ StringEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } }, { signatureVersion: 'AWS4-HMAC-SHA256' }), true);
    assert.equal(holds({ StringEquals: { 's3:x-amz-acl': 'public-read' } }, { acl: 'private' }), false);
    assert.equal(holds({ StringEquals: { 's3:VersionId': 'v1' } }, { versionId: 'v1' }), true);
  });
});

describe('numeric and date operators', () => {
  test('Numeric* compare numbers', () => {
    const f = { maxKeys: 100 };
    assert.equal(holds({ NumericLessThanEquals: { 's3:max-keys': '100' } }, f), true);
    assert.equal(holds({ NumericLessThan: { 's3:max-keys': 100 } }, f), false);
    assert.equal(holds({ NumericGreaterThan: { 's3:max-keys': '99.5' } }, f), true);
    assert.equal(holds({ NumericGreaterThanEquals: { 's3:max-keys': '101' } }, f), false);
    assert.equal(holds({ NumericEquals: { 's3:max-keys': '1e2' } }, f), true);
    assert.equal(holds({ NumericNotEquals: { 's3:max-keys': '100' } }, f), false);
  });
  test('Date* compare aws:CurrentTime with ISO 8601 or epoch seconds', () => {
    assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }), true);
    assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2027-01-01' } }), false);
    assert.equal(holds({ DateGreaterThanEquals: { 'acs:CurrentTime': String(NOW / 1000) } }), true);
    assert.equal(holds({ DateLessThanEquals: { 'aws:CurrentTime': '2026-12-07T12:00:00Z' } }), true);
    assert.equal(holds({ DateEquals: { 'aws:CurrentTime': '2026-12-07T13:00:00+01:00' } }), true);
    assert.equal(holds({ DateNotEquals: { 'aws:CurrentTime': '2026-12-07T12:00:00.000Z' } }), false);
  });
  test('a time without an offset is UTC, whatever the process time zone', () => {
    assert.equal(holds({ DateEquals: { 'aws:CurrentTime': '2026-12-07T12:00:00' } }), true);
  });
  test('aws:EpochTime compares as seconds under Numeric*', () => {
    assert.equal(holds({ NumericGreaterThan: { 'aws:EpochTime': NOW / 1000 - 1 } }), true);
    assert.equal(holds({ NumericLessThan: { 'aws:EpochTime': NOW / 1000 } }), false);
  });
});

describe('Bool and IP operators', () => {
  test('Bool aws:SecureTransport / acs:SecureTransport', () => {
    assert.equal(holds({ Bool: { 'acs:SecureTransport': 'false' } }, { secureTransport: false }), true);
    assert.equal(holds({ Bool: { 'aws:SecureTransport': true } }, { secureTransport: false }), false);
  });
  test('IpAddress / NotIpAddress with IPv4 CIDRs and single addresses', () => {
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '10.1.2.3'] } }), true);
    assert.equal(holds({ IpAddress: { 'acs:SourceIp': '10.1.2.4/32' } }), false);
    assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), false);
  });
  test('IPv6 CIDRs, and IPv4-mapped sources match IPv4 blocks', () => {
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { sourceIp: '2001:db8:1::7' }), true);
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { sourceIp: '2001:db9::1' }), false);
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { sourceIp: '::ffff:10.9.9.9' }), true);
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { sourceIp: '2001:db8::1' }), false);
  });
  test('an unparseable source address matches no block (NotIpAddress then holds)', () => {
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { sourceIp: 'garbage' }), false);
    assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { sourceIp: 'garbage' }), true);
  });
  test('a Referer condition in a bucket policy protects S3 clients from hotlinking', () => {
    const p = policy(iam({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringLike: { 'aws:Referer': ['https://www.example.com/*'] } } }));
    const get = (referer?: string) => ask({ principal: anonymous, bucketAccess: { owner: '111122223333', acl: { owner: '111122223333', grants: [] }, policy: p }, facts: referer ? { referer } : {} }).allowed;
    assert.equal(get('https://www.example.com/page'), true);
    assert.equal(get('https://evil.test/'), false);
    assert.equal(get(), false);
  });
});
