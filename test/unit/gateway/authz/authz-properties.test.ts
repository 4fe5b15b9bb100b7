// Properties over random policies and requests (seeded; the seed is in the failure report):
// - adding statements that cannot apply to a request never changes its decision;
// - the parser, fed arbitrary text, near-valid documents and random JSON, only ever returns a
//   Policy or a MalformedPolicy error value, and whatever it accepts evaluates without throwing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  authorize, cannedAcl, checkReferer, compileRefererConfiguration, parseCidr, parseGrantHeaders, parseIpAddress, parsePolicy, PERMISSIONS, permissionId,
  type AuthorizationRequest, type BucketCannedAcl, type Policy, type RequestPrincipal,
} from '../../../../services/gateway/authz/index.ts';
import { alice, anonymous, facts, mallory, OTHER, otherAccount, owner, OWNER, policy } from './authz-fixtures.ts';

const SEED = 20261107;
const UNINVOLVED = '999988887777';

const ACTIONS = ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketAcl'] as const;
const principals: RequestPrincipal[] = [owner, alice, otherAccount, mallory, anonymous];

// A base statement: anything that may or may not apply.
const actionArb = fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:List*', 'oss:DeleteObject', 's3:*', 'oss:GetBucketAcl', '*');
const resourceArb = fc.constantFrom('arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/photos/*', 'acs:oss:*:*:b/*', 'acs:oss:*:*:*', '*', 'arn:aws:s3:::other/*');
const principalArb = fc.constantFrom<unknown>('*', { AWS: OWNER }, { AWS: OTHER }, { AWS: `arn:aws:iam::${OWNER}:user/alice` }, ['u-mallory'], { RAM: [`acs:ram::${OTHER}:root`] });
const conditionArb = fc.constantFrom<unknown>(
  undefined,
  { Bool: { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/9' } },
  { NotIpAddress: { 'aws:SourceIp': '10.128.0.0/9' } },
  { StringLike: { 'aws:Referer': 'https://a.test/*' } },
  { StringNotEqualsIfExists: { 'aws:Referer': 'https://b.test/' } },
  { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
);
const statementArb = (withPrincipal: boolean) => fc.record({
  effect: fc.constantFrom('Allow', 'Deny'), actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }),
  notAction: fc.boolean(), resources: fc.array(resourceArb, { minLength: 1, maxLength: 2 }), notResource: fc.boolean(),
  principal: principalArb, notPrincipal: fc.boolean(), condition: conditionArb,
}).map((s): Record<string, unknown> => ({
  Effect: s.effect,
  [s.notAction && s.effect === 'Deny' ? 'NotAction' : 'Action']: s.actions,
  [s.notResource && s.effect === 'Deny' ? 'NotResource' : 'Resource']: s.resources,
  ...(withPrincipal ? { [s.notPrincipal && s.effect === 'Deny' ? 'NotPrincipal' : 'Principal']: s.principal } : {}),
  ...(s.condition ? { Condition: s.condition } : {}),
}));

/** A statement that cannot apply to a request for `action` on bucket b from 10.x.x.x, and that keeps a bucket policy as public as it was. */
const irrelevantArb = (action: string, withPrincipal: boolean) => fc.record({
  why: fc.constantFrom(...(withPrincipal ? ['resource', 'action', 'principal', 'condition'] : ['resource', 'action', 'condition'])),
  effect: fc.constantFrom('Allow', 'Deny'),
  other: fc.constantFrom(...PERMISSIONS.filter((p) => p.name !== action)),
  ram: fc.boolean(),
  base: statementArb(withPrincipal),
}).map(({ why, effect, other, ram, base }) => {
  const st: Record<string, unknown> = { ...base, Effect: effect };
  delete st['NotAction']; delete st['NotResource']; delete st['NotPrincipal'];
  st['Action'] = base['Action'] ?? ['s3:*'];
  st['Resource'] = base['Resource'] ?? ['*'];
  // An Allow to "*" would make a bucket policy public (RestrictPublicBuckets then changes decisions): not irrelevant.
  if (withPrincipal && (why === 'principal' || base['Principal'] === undefined || (effect === 'Allow' && base['Principal'] === '*'))) {
    st['Principal'] = { AWS: UNINVOLVED };
  }
  if (why === 'resource') st['Resource'] = ram ? 'acs:oss:*:*:zz-unrelated/*' : ['arn:aws:s3:::zz-unrelated', 'arn:aws:s3:::zz-unrelated/*'];
  if (why === 'action') st['Action'] = ram && other.oss ? `oss:${other.oss}` : other.s3 ? `s3:${other.s3}` : `oss:${other.oss}`;
  if (why === 'condition') st['Condition'] = { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } };
  return st;
});

const scenarioArb = fc.record({
  principal: fc.constantFrom(...principals),
  action: fc.constantFrom(...ACTIONS),
  key: fc.constantFrom('photos/cat.jpg', 'docs/a.txt'),
  secure: fc.boolean(),
  ip: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  referer: fc.option(fc.constantFrom('https://a.test/x', 'https://b.test/', 'https://evil.test/'), { nil: undefined }),
  acl: fc.constantFrom<BucketCannedAcl>('private', 'public-read', 'public-read-write', 'authenticated-read'),
  objectAcl: fc.constantFrom<'default' | BucketCannedAcl | undefined>(undefined, 'default', 'private', 'public-read'),
  restrict: fc.boolean(), ignoreAcls: fc.boolean(), sandboxed: fc.boolean(),
  bucketPolicy: fc.option(fc.array(statementArb(true), { minLength: 1, maxLength: 5 }), { nil: undefined }),
  userPolicies: fc.array(fc.array(statementArb(false), { minLength: 1, maxLength: 4 }), { maxLength: 2 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
const doc = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

function decide(s: Scenario, bucketPolicy: unknown[] | undefined, userPolicies: unknown[][]) {
  const req: AuthorizationRequest = {
    principal: s.principal, permission: permissionId(s.action)!, bucket: 'b',
    ...(s.action === 'ListBucket' || s.action === 'GetBucketAcl' ? {} : { key: s.key }),
    facts: facts({ secureTransport: s.secure, sourceIp: s.ip, ...(s.referer ? { referer: s.referer } : {}) }),
    userPolicies: userPolicies.map((p): Policy => policy(doc(p), 'user')),
    bucketAccess: {
      owner: OWNER, acl: cannedAcl(s.acl, OWNER), sandboxed: s.sandboxed,
      publicAccessBlock: { blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: s.ignoreAcls, restrictPublicBuckets: s.restrict },
      ...(bucketPolicy ? { policy: policy(doc(bucketPolicy)) } : {}),
    },
    ...(s.objectAcl === undefined ? {} : { objectAcl: s.objectAcl === 'default' ? 'default' : cannedAcl(s.objectAcl, OWNER) }),
  };
  const d = authorize(req);
  return { allowed: d.allowed, reason: d.reason };
}

describe('properties', () => {
  test('adding irrelevant statements anywhere never changes the decision', () => {
    const arb = scenarioArb.chain((s) => fc.record({
      s: fc.constant(s),
      forBucket: fc.array(fc.tuple(irrelevantArb(s.action, true), fc.nat()), { maxLength: 6 }),
      forUsers: fc.array(fc.tuple(irrelevantArb(s.action, false), fc.nat(), fc.nat()), { maxLength: 6 }),
    }));
    let allowedSeen = 0;
    fc.assert(fc.property(arb, ({ s, forBucket, forUsers }) => {
      const before = decide(s, s.bucketPolicy, s.userPolicies);
      if (before.allowed) allowedSeen++;
      const bucket = s.bucketPolicy ? [...s.bucketPolicy] : forBucket.length > 0 ? [] : undefined;
      for (const [st, at] of forBucket) bucket!.splice(at % (bucket!.length + 1), 0, st);
      const users = s.userPolicies.map((p) => [...p]);
      for (const [st, which, at] of forUsers) {
        if (which % (users.length + 1) === users.length) users.push([st]);
        else users[which % users.length]!.splice(at % (users[which % users.length]!.length + 1), 0, st);
      }
      assert.deepEqual(decide(s, bucket, users), before);
    }), { seed: SEED, numRuns: 800 });
    assert.ok(allowedSeen > 100, `the generator reaches allowed decisions too (${allowedSeen})`);
  });

  test('the parser never throws: arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.json()), fc.constantFrom('bucket', 'user'), (text, kind) => {
      checkParse(text, kind as 'bucket' | 'user');
    }), { seed: SEED, numRuns: 2000 });
  });

  test('the parser never throws: near-valid documents with random members', () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('*', 's3:GetObject', 'oss:*', 'arn:aws:s3:::b/*', 'acs:oss:*:*:b', 'Allow', 'Deny', '1', '2012-10-17'));
    const member = fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Bogus');
    const conditionArbitrary = fc.dictionary(
      fc.constantFrom('StringEquals', 'ForAnyValue:StringLike', 'NumericLessThanIfExists', 'DateGreaterThan', 'Bool', 'IpAddress', 'NotIpAddress', 'Null', 'Nope'),
      fc.dictionary(fc.constantFrom('aws:SourceIp', 'aws:SecureTransport', 'aws:CurrentTime', 's3:max-keys', 'aws:Referer', 'oss:Prefix', 'x:y'), value),
    );
    const statement = fc.oneof(
      statementArb(true),
      fc.tuple(statementArb(true), fc.dictionary(member, value, { maxKeys: 2 })).map(([valid, random]) => ({ ...valid, ...random })),
      fc.tuple(statementArb(true), conditionArbitrary).map(([valid, Condition]) => ({ ...valid, Condition })),
    );
    const docArb = fc.record({
      Version: fc.oneof(fc.constantFrom<unknown>('1', '2012-10-17'), fc.constantFrom<unknown>('2008-10-17', 1, null, '')),
      Statement: fc.oneof(fc.array(statement, { maxLength: 4 }), statement, value),
    }, { requiredKeys: ['Statement'] });
    let accepted = 0;
    fc.assert(fc.property(docArb, fc.constantFrom('bucket', 'user'), (d, kind) => {
      if (checkParse(JSON.stringify(d), kind as 'bucket' | 'user')) accepted++;
    }), { seed: SEED, numRuns: 1000 });
    assert.ok(accepted > 20, `some generated documents are valid (${accepted})`);
  });

  test('the parser never throws: deep nesting and oversize text', () => {
    for (const text of ['['.repeat(16_000), '{"a":'.repeat(3000), ' '.repeat(20_000), '\ud800', '{"Version":"1","Statement":[' + '{},'.repeat(5000) + '{}]}']) {
      for (const kind of ['bucket', 'user'] as const) checkParse(text, kind);
    }
  });
});

describe('the other parsers never throw either', () => {
  test('grant headers, Referer configurations and checks, addresses', () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('id="a", uri="http://acs.amazonaws.com/groups/global/AllUsers"', 'id=', '=', '"', ','));
    fc.assert(fc.property(text, text, fc.array(text, { maxLength: 5 }), fc.array(text, { maxLength: 5 }), fc.option(text), fc.boolean(), fc.boolean(), fc.boolean(),
      (a, b, white, black, referer, empty, query, path) => {
        const acl = parseGrantHeaders({ read: a, fullControl: b }, OWNER);
        assert.ok('grants' in acl || acl.code === 'InvalidArgument');
        const c = compileRefererConfiguration({ allowEmptyReferer: empty, allowTruncateQueryString: query, truncatePath: path, whitelist: white, blacklist: black });
        if ('config' in c) checkReferer(c, referer ?? undefined);
        else assert.equal(c.code, 'InvalidArgument');
        parseIpAddress(a);
        parseCidr(b);
      }), { seed: SEED, numRuns: 1000 });
  });
});

/** Parses; the answer must be a Policy (which then evaluates without throwing) or MalformedPolicy. Returns whether it parsed. */
function checkParse(text: string, kind: 'bucket' | 'user'): boolean {
  const r = parsePolicy(text, kind);
  if (!r.ok) {
    assert.equal(r.error.code, 'MalformedPolicy');
    return false;
  }
  for (const p of principals) {
    authorize({
      principal: p, permission: permissionId('GetObject')!, bucket: 'b', key: 'k', facts: facts(),
      ...(kind === 'user' ? { userPolicies: [r.policy] } : { bucketAccess: { owner: OWNER, acl: cannedAcl('private', OWNER), policy: r.policy } }),
    });
  }
  return true;
}
