// The policy grammar, both syntaxes into one model, and every way a document is refused as
// MalformedPolicy (never a throw).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_BUCKET_POLICY_BYTES, MAX_USER_POLICY_BYTES, parsePolicy, PERMISSIONS } from '../../../../services/gateway/authz/index.ts';
import { alice, anonymous, ask, bucketAccess, iam, malformed, OTHER, otherAccount, OWNER, policy, ram } from './authz-fixtures.ts';

describe('both syntaxes parse into one model', () => {
  test('RAM and IAM spellings of the same grant decide alike', () => {
    const r = policy(ram({ Effect: 'Allow', Principal: ['*'], Action: ['oss:GetObject', 'oss:ListObjects'], Resource: ['acs:oss:*:*:b', 'acs:oss:*:*:b/*'] }));
    const i = policy(iam({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] }));
    assert.equal(r.syntax, 'ram');
    assert.equal(i.syntax, 'iam');
    assert.deepEqual([...r.statements[0]!.actions], [...i.statements[0]!.actions]);
    for (const p of [r, i]) {
      assert.equal(ask({ principal: anonymous, bucketAccess: bucketAccess({ policy: p }) }).allowed, true);
      assert.equal(ask({ principal: anonymous, action: 'ListBucket', bucketAccess: bucketAccess({ policy: p }) }).allowed, true);
      assert.equal(ask({ principal: anonymous, action: 'PutObject', bucketAccess: bucketAccess({ policy: p }) }).allowed, false);
    }
  });
  test('a single Statement object, a string Action and Resource are accepted', () => {
    const p = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' } });
    assert.equal(p.statements.length, 1);
  });
  test('Version 2008-10-17 is IAM syntax too', () => {
    assert.equal(policy({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, 'user').syntax, 'iam');
  });
  test('action names compare case-insensitively; wildcards expand in their namespace', () => {
    const p = policy(iam({ Effect: 'Allow', Action: 'S3:getobj*', Resource: '*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, action: 'GetObjectAcl', userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, action: 'PutObject', userPolicies: [p] }).allowed, false);
  });
  test('`?` in an action matches one character', () => {
    const p = policy(iam({ Effect: 'Allow', Action: 's3:?etObject', Resource: '*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, true);
  });
  test('oss:* and s3:* cover every object-store permission, kms:* every key-service one, * all', () => {
    const storeCount = PERMISSIONS.length;
    for (const a of ['oss:*', 's3:*', 'kms:*', '*']) {
      const p = policy(ram({ Effect: 'Allow', Action: a, Resource: '*' }), 'user');
      const covered = p.statements[0]!.actions;
      const want = (i: number) => a === '*' || (a === 'kms:*' ? i >= storeCount : i < storeCount);
      assert.ok(covered.every((x, i) => x === (want(i) ? 1 : 0)), a);
    }
  });
  test('NotAction covers every other permission', () => {
    const p = policy(iam({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' }), 'user');
    assert.equal(ask({ principal: alice, action: 'PutObject', userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, action: 'DeleteObject', userPolicies: [p] }).allowed, false);
  });
  test('NotResource covers every other resource', () => {
    const p = policy(iam({ Effect: 'Deny', NotResource: 'arn:aws:s3:::b/photos/*', Action: 's3:GetObject' }, { Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, key: 'secret/x', userPolicies: [p] }).reason, 'ExplicitDeny');
  });
  test('NotPrincipal applies to everyone but the named principals', () => {
    const p = policy(iam({ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(ask({ bucketAccess: bucketAccess({ policy: p }) }).allowed, true);
    assert.equal(ask({ principal: otherAccount, bucketAccess: bucketAccess({ policy: p }) }).reason, 'ExplicitDeny');
  });
  test('resource wildcards: `*` spans slashes, `?` one character, ARNs are case-sensitive', () => {
    const p = policy(iam({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/photos/??t*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p], key: 'photos/cat.jpg' }).allowed, true);
    assert.equal(ask({ principal: alice, userPolicies: [p], key: 'photos/dog/cat.jpg' }).allowed, false);
    assert.equal(ask({ principal: alice, userPolicies: [p], key: 'Photos/cat.jpg' }).allowed, false);
  });
  test('a bucket ARN does not cover its objects, nor an object ARN its bucket', () => {
    const p = policy(iam({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }), 'user');
    assert.equal(ask({ principal: alice, action: 'ListBucket', userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, false);
  });
  test('RAM resources check the owner account and the region', () => {
    const p = policy(ram({ Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:us-east-1:${OWNER}:b/*` }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, true);
    assert.equal(ask({ principal: alice, userPolicies: [p], facts: { region: 'eu-west-1' } }).allowed, false);
    assert.equal(ask({ principal: alice, userPolicies: [p], bucketAccess: bucketAccess({ owner: OTHER }) }).allowed, false);
  });
  test('where no bucket exists yet, a RAM ARN\'s account field is matched against the caller\'s account', () => {
    const own = policy(ram({ Effect: 'Allow', Action: 'oss:PutBucket', Resource: `acs:oss:*:${OWNER}:*` }), 'user');
    const other = policy(ram({ Effect: 'Allow', Action: 'oss:PutBucket', Resource: `acs:oss:*:${OTHER}:*` }), 'user');
    assert.equal(ask({ principal: alice, action: 'CreateBucket', userPolicies: [own], bucketAccess: null }).allowed, true);
    assert.equal(ask({ principal: alice, action: 'CreateBucket', userPolicies: [other], bucketAccess: null }).allowed, false);
  });
  test('the service resource "" is matched by "*" only', () => {
    const any = policy(iam({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' }), 'user');
    const one = policy(iam({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::b*' }), 'user');
    assert.equal(ask({ principal: alice, action: 'ListAllMyBuckets', userPolicies: [any] }).allowed, true);
    assert.equal(ask({ principal: alice, action: 'ListAllMyBuckets', userPolicies: [one] }).allowed, false);
  });
  test('principal forms: account id, root ARN, user ARN with a path, RAM ARNs, CanonicalUser; Service never matches', () => {
    const p = policy(iam({
      Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*',
      Principal: { AWS: [`arn:aws:iam::${OTHER}:user/team/mallory`], RAM: [`acs:ram::${OTHER}:root`], CanonicalUser: 'c-1', Service: 'logging.s3.amazonaws.com' },
    }));
    const kinds = p.statements[0]!.principals!.map((e) => e.kind);
    assert.deepEqual(kinds, ['user', 'account', 'id', 'never']);
  });
});

describe('MalformedPolicy', () => {
  const ok = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"Version":', /not valid JSON/],
    ['not an object', '[1,2]', /JSON object/],
    ['missing Version', { Statement: [ok] }, /Version/],
    ['unknown Version', { Version: '2020-01-01', Statement: [ok] }, /Version/],
    ['no Statement', { Version: '1' }, /no Statement/],
    ['empty Statement list', { Version: '1', Statement: [] }, /no Statement/],
    ['unknown top-level member', { ...iam(ok), Extra: 1 }, /unknown member "Extra"/],
    ['unknown statement member', iam({ ...ok, Effects: 'Allow' }), /unknown member/],
    ['Effect lowercase', iam({ ...ok, Effect: 'allow' }), /Effect/],
    ['no Action', iam({ Effect: 'Allow', Principal: '*', Resource: '*' }), /neither Action nor NotAction/],
    ['Action and NotAction', iam({ ...ok, NotAction: 's3:PutObject' }), /both Action and NotAction/],
    ['unknown action', iam({ ...ok, Action: 's3:GetObjects' }), /unknown action "s3:GetObjects"/],
    ['unknown service prefix', iam({ ...ok, Action: 'ec2:RunInstances' }), /not s3:… or oss:…/],
    ['wildcard matching nothing', iam({ ...ok, Action: 'oss:Frob*' }), /unknown action/],
    ['empty Action list', iam({ ...ok, Action: [] }), /non-empty list/],
    ['non-string action', iam({ ...ok, Action: [1] }), /non-empty list/],
    ['no Resource', iam({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), /neither Resource/],
    ['foreign ARN', iam({ ...ok, Resource: 'arn:aws:ec2:::x' }), /neither arn:aws:s3/],
    ['ARN without bucket', iam({ ...ok, Resource: 'arn:aws:s3:::' }), /names no bucket/],
    ['bucket policy without Principal', iam({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), /neither Principal nor NotPrincipal/],
    ['unknown principal type', iam({ ...ok, Principal: { Users: ['x'] } }), /unknown principal type/],
    ['unknown condition operator', iam({ ...ok, Condition: { StringSortOf: { 'aws:Referer': 'x' } } }), /unknown condition operator/],
    ['unknown condition qualifier', iam({ ...ok, Condition: { 'ForSomeValues:StringEquals': { 'aws:Referer': 'x' } } }), /qualifier/],
    ['unknown condition key', iam({ ...ok, Condition: { StringEquals: { 'aws:NoSuchKey': 'x' } } }), /unknown condition key "aws:NoSuchKey"/],
    ['operator without keys', iam({ ...ok, Condition: { StringEquals: {} } }), /at least one key/],
    ['IpAddress on a string key', iam({ ...ok, Condition: { IpAddress: { 'aws:Referer': '1.2.3.4' } } }), /cannot test/],
    ['bad CIDR', iam({ ...ok, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), /CIDR/],
    ['bad number', iam({ ...ok, Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } }), /not a number/],
    ['bad date', iam({ ...ok, Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }), /not a date/],
    ['bad Bool', iam({ ...ok, Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }), /neither true nor false/],
    ['NullIfExists', iam({ ...ok, Condition: { NullIfExists: { 'aws:Referer': 'true' } } }), /unknown condition operator/],
    ['duplicate Sid', iam({ ...ok, Sid: 'a' }, { ...ok, Sid: 'a' }), /share a Sid/],
    ['policy variable in a resource', iam({ ...ok, Resource: 'arn:aws:s3:::b/home/${aws:username}/*' }), /policy variables/],
    ['policy variable in a condition value', iam({ ...ok, Condition: { StringLike: { 's3:prefix': 'home/${aws:username}/*' } } }), /policy variables/],
    ['object condition value', iam({ ...ok, Condition: { StringEquals: { 'aws:Referer': { a: 1 } } } }), /values must be/],
  ];
  for (const [name, doc, message] of cases) {
    test(name, () => assert.match(malformed(doc), message));
  }
  test('Version 2008-10-17 has no policy variables: `${` is literal there', () => {
    const p = policy({ Version: '2008-10-17', Statement: [{ ...ok, Resource: 'arn:aws:s3:::b/${x}/*' }] });
    assert.equal(ask({ principal: anonymous, key: '${x}/a', bucketAccess: bucketAccess({ policy: p }) }).allowed, true);
  });
  test('a user policy may not name a Principal', () => {
    assert.match(malformed(iam(ok), 'user'), /user policy names no Principal/);
  });
  test(`a bucket policy over ${MAX_BUCKET_POLICY_BYTES} bytes is refused, one at the limit accepted`, () => {
    const base = JSON.stringify(iam(ok));
    const atLimit = base + ' '.repeat(MAX_BUCKET_POLICY_BYTES - base.length);
    assert.equal(parsePolicy(atLimit, 'bucket').ok, true);
    assert.match(malformed(atLimit + ' '), /over 16384 bytes/);
  });
  test('the limit counts UTF-8 bytes, not characters', () => {
    const doc = (ch: string) => JSON.stringify(iam({ ...ok, Resource: `arn:aws:s3:::b/${ch.repeat(2000)}` }));
    const pad = (t: string) => t + ' '.repeat(MAX_BUCKET_POLICY_BYTES - 100 - t.length);
    assert.equal(parsePolicy(pad(doc('e')), 'bucket').ok, true);
    assert.match(malformed(pad(doc('\u00e9'))), /over 16384 bytes/);
  });
  test(`a user policy over ${MAX_USER_POLICY_BYTES} bytes is refused`, () => {
    const base = JSON.stringify(iam({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    assert.match(malformed(base + ' '.repeat(MAX_USER_POLICY_BYTES), 'user'), /over 6144 bytes/);
  });
  test('the error is a value: parsePolicy returns it and never throws', () => {
    const r = parsePolicy('nope', 'bucket');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.name, 'StoreError');
  });
});
