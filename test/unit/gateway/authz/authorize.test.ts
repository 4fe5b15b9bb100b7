// The decision order of docs/authorization.md, one test per row of its table (and per rule
// between rows): sandbox, Referer, explicit deny, account root, grants by principal kind, block
// public access, default deny.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accessDeniedError, authorize, cannedAcl, compileRefererConfiguration, type CompiledRefererConfiguration, type RefererConfiguration,
} from '../../../../services/gateway/authz/index.ts';
import {
  alice, allowAllUser, anonymous, ask, bucketAccess, facts, iam, mallory, OTHER, otherAccount, owner, OWNER, perm, policy,
} from './authz-fixtures.ts';

const publicRead = () => policy(iam({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
const referer = (c: Partial<RefererConfiguration>): CompiledRefererConfiguration => {
  const r = compileRefererConfiguration({ allowEmptyReferer: false, allowTruncateQueryString: true, truncatePath: false, whitelist: ['*.example.com'], blacklist: [], ...c });
  if (!('config' in r)) throw r;
  return r;
};

describe('default deny', () => {
  test('a user with no policies, no bucket policy and a private ACL is denied', () => {
    assert.deepEqual(ask({ principal: alice }), { allowed: false, reason: 'ImplicitDeny' });
  });
  test('anonymous with nothing granting it is denied', () => {
    assert.equal(ask({ principal: anonymous }).reason, 'ImplicitDeny');
  });
  test('another account with nothing granting it is denied', () => {
    assert.equal(ask({ principal: otherAccount }).allowed, false);
  });
  test('anonymous is denied where no bucket exists (nothing can grant it)', () => {
    assert.equal(ask({ principal: anonymous, bucketAccess: null }).allowed, false);
  });
});

describe('account root', () => {
  test('the owning account may do anything to its bucket without any policy', () => {
    for (const action of ['GetObject', 'PutObject', 'DeleteBucket', 'PutBucketPolicy', 'PutBucketAcl']) {
      assert.deepEqual(ask({ action }), { allowed: true, reason: 'AccountRoot' }, action);
    }
  });
  test('an account may list its buckets and create buckets (no bucket to own yet)', () => {
    assert.equal(ask({ action: 'ListAllMyBuckets', principal: otherAccount }).reason, 'AccountRoot');
    assert.equal(ask({ action: 'CreateBucket', principal: otherAccount, bucketAccess: null }).reason, 'AccountRoot');
  });
  test('the owner is still refused by an explicit Deny in its bucket policy', () => {
    const p = policy(iam({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::b' }));
    assert.equal(ask({ action: 'DeleteBucket', bucketAccess: bucketAccess({ policy: p }) }).reason, 'ExplicitDeny');
  });
  test('the owner account\'s users are not the owner: they need a grant', () => {
    assert.equal(ask({ principal: alice, action: 'PutObject' }).allowed, false);
  });
});

describe('explicit deny beats allow', () => {
  test('a Deny in the user\'s policy beats an Allow in the same policy', () => {
    const p = policy(iam(
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    ), 'user');
    const d = ask({ principal: alice, action: 'DeleteObject', userPolicies: [p] });
    assert.equal(d.reason, 'ExplicitDeny');
    assert.deepEqual(d.statement, { policy: 0, index: 1, sid: 'NoDeletes' });
  });
  test('a Deny in the bucket policy beats an Allow in the user\'s policy', () => {
    const p = policy(iam({ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${OWNER}:user/alice` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(ask({ principal: alice, userPolicies: [allowAllUser()], bucketAccess: bucketAccess({ policy: p }) }).reason, 'ExplicitDeny');
  });
  test('a Deny in one user policy beats an Allow in another', () => {
    const deny = policy(iam({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/photos/*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [allowAllUser(), deny] }).reason, 'ExplicitDeny');
  });
  test('a bucket policy Deny beats a public ACL', () => {
    const p = policy(iam({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/photos/*' }));
    const d = ask({ principal: anonymous, bucketAccess: bucketAccess({ policy: p, acl: cannedAcl('public-read', OWNER) }) });
    assert.equal(d.reason, 'ExplicitDeny');
  });
  test('a Deny whose condition does not hold does not deny', () => {
    const p = policy(iam({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    assert.equal(ask({ bucketAccess: bucketAccess({ policy: p }) }).allowed, true);
    assert.equal(ask({ bucketAccess: bucketAccess({ policy: p }), facts: { secureTransport: false } }).reason, 'ExplicitDeny');
  });
});

describe('same-account users: either side suffices', () => {
  test('a user policy Allow alone allows', () => {
    assert.equal(ask({ principal: alice, userPolicies: [allowAllUser()] }).reason, 'UserPolicy');
  });
  test('a bucket policy naming the user alone allows', () => {
    const p = policy(iam({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:user/alice` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(ask({ principal: alice, bucketAccess: bucketAccess({ policy: p }) }).reason, 'BucketPolicy');
  });
  test('a bucket policy naming only the account delegates: the user still needs its own Allow', () => {
    const p = policy(iam({ Effect: 'Allow', Principal: { AWS: OWNER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(ask({ principal: alice, bucketAccess: bucketAccess({ policy: p }) }).allowed, false);
  });
  test('a user policy for another resource does not allow', () => {
    const p = policy(iam({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }), 'user');
    assert.equal(ask({ principal: alice, userPolicies: [p] }).allowed, false);
  });
  test('the owner\'s FULL_CONTROL ACL grant does not extend to the account\'s users', () => {
    assert.equal(ask({ principal: alice, action: 'PutObject' }).allowed, false);
  });
  test('a RAM policy with a bare user id as principal allows that user', () => {
    const p = policy({ Version: '1', Statement: [{ Effect: 'Allow', Principal: ['u-alice'], Action: 'oss:GetObject', Resource: 'acs:oss:*:*:b/*' }] });
    assert.equal(ask({ principal: alice, bucketAccess: bucketAccess({ policy: p }) }).reason, 'BucketPolicy');
  });
});

describe('other accounts', () => {
  const grantOther = () => policy(iam({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
  test('another account\'s root is allowed by a bucket policy naming its account', () => {
    assert.equal(ask({ principal: otherAccount, bucketAccess: bucketAccess({ policy: grantOther() }) }).reason, 'BucketPolicy');
  });
  test('another account\'s user needs both the bucket policy grant and its own Allow', () => {
    const ba = bucketAccess({ policy: grantOther() });
    assert.equal(ask({ principal: mallory, bucketAccess: ba }).allowed, false);
    assert.equal(ask({ principal: mallory, userPolicies: [allowAllUser()] }).allowed, false);
    assert.equal(ask({ principal: mallory, bucketAccess: ba, userPolicies: [allowAllUser()] }).reason, 'BucketPolicy');
  });
  test('another account\'s user with its own Allow and a public-read ACL is allowed', () => {
    const d = ask({ principal: mallory, userPolicies: [allowAllUser()], bucketAccess: bucketAccess({ acl: cannedAcl('public-read', OWNER) }) });
    assert.equal(d.reason, 'Acl');
  });
  test('an ACL grant to another account lets its root in, and its users with their own Allow', () => {
    const acl = { owner: OWNER, grants: [...cannedAcl('private', OWNER).grants, { grantee: { type: 'CanonicalUser', id: OTHER } as const, permission: 'READ' as const }] };
    assert.equal(ask({ principal: otherAccount, action: 'ListBucket', bucketAccess: bucketAccess({ acl }) }).reason, 'Acl');
    assert.equal(ask({ principal: mallory, action: 'ListBucket', bucketAccess: bucketAccess({ acl }) }).allowed, false);
    assert.equal(ask({ principal: mallory, action: 'ListBucket', bucketAccess: bucketAccess({ acl }), userPolicies: [allowAllUser()] }).reason, 'Acl');
  });
});

describe('anonymous', () => {
  test('a bucket policy with Principal "*" lets anonymous in', () => {
    assert.equal(ask({ principal: anonymous, bucketAccess: bucketAccess({ policy: publicRead() }) }).reason, 'BucketPolicy');
  });
  test('a bucket policy naming an account does not let anonymous in', () => {
    const p = policy(iam({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    assert.equal(ask({ principal: anonymous, bucketAccess: bucketAccess({ policy: p }) }).allowed, false);
  });
  test('a public-read bucket ACL lets anonymous list and read default-ACL objects, not write', () => {
    const ba = bucketAccess({ acl: cannedAcl('public-read', OWNER) });
    assert.equal(ask({ principal: anonymous, action: 'ListBucket', bucketAccess: ba }).reason, 'Acl');
    assert.equal(ask({ principal: anonymous, bucketAccess: ba, objectAcl: 'default' }).reason, 'Acl');
    assert.equal(ask({ principal: anonymous, action: 'PutObject', bucketAccess: ba }).allowed, false);
  });
  test('a public-read-write bucket ACL lets anonymous write', () => {
    assert.equal(ask({ principal: anonymous, action: 'PutObject', bucketAccess: bucketAccess({ acl: cannedAcl('public-read-write', OWNER) }) }).reason, 'Acl');
  });
  test('an object\'s own ACL overrides the bucket\'s: private object in a public-read bucket', () => {
    const ba = bucketAccess({ acl: cannedAcl('public-read', OWNER) });
    assert.equal(ask({ principal: anonymous, bucketAccess: ba, objectAcl: cannedAcl('private', OWNER) }).allowed, false);
  });
  test('a public-read object in a private bucket is readable, its bucket not listable', () => {
    assert.equal(ask({ principal: anonymous, objectAcl: cannedAcl('public-read', OWNER) }).reason, 'Acl');
    assert.equal(ask({ principal: anonymous, action: 'ListBucket' }).allowed, false);
  });
  test('a public-read-write object can be overwritten anonymously (OSS)', () => {
    assert.equal(ask({ principal: anonymous, action: 'PutObject', objectAcl: cannedAcl('public-read-write', OWNER) }).reason, 'Acl');
  });
  test('authenticated-read lets every signed principal read, not anonymous', () => {
    const ba = bucketAccess({ acl: cannedAcl('authenticated-read', OWNER) });
    assert.equal(ask({ principal: otherAccount, action: 'ListBucket', bucketAccess: ba }).reason, 'Acl');
    assert.equal(ask({ principal: anonymous, action: 'ListBucket', bucketAccess: ba }).allowed, false);
  });
  test('user policies are ignored for anonymous requests', () => {
    assert.equal(ask({ principal: anonymous, userPolicies: [allowAllUser()] }).allowed, false);
  });
});

describe('ACL permissions per action', () => {
  test('READ_ACP / WRITE_ACP grants give GetBucketAcl / PutBucketAcl, nothing else', () => {
    const acl = { owner: OWNER, grants: [{ grantee: { type: 'CanonicalUser', id: OTHER } as const, permission: 'READ_ACP' as const }] };
    assert.equal(ask({ principal: otherAccount, action: 'GetBucketAcl', bucketAccess: bucketAccess({ acl }) }).reason, 'Acl');
    assert.equal(ask({ principal: otherAccount, action: 'PutBucketAcl', bucketAccess: bucketAccess({ acl }) }).allowed, false);
    assert.equal(ask({ principal: otherAccount, action: 'ListBucket', bucketAccess: bucketAccess({ acl }) }).allowed, false);
  });
  test('no ACL gives policy or configuration permissions', () => {
    const ba = bucketAccess({ acl: cannedAcl('public-read-write', OWNER) });
    for (const action of ['PutBucketPolicy', 'DeleteBucket', 'PutBucketReferer', 'GetBucketPolicy']) {
      assert.equal(ask({ principal: anonymous, action, bucketAccess: ba }).allowed, false, action);
    }
  });
  test('BucketOwnerEnforced object ownership disables ACLs', () => {
    const ba = bucketAccess({ acl: cannedAcl('public-read', OWNER), objectOwnership: 'BucketOwnerEnforced' });
    assert.equal(ask({ principal: anonymous, bucketAccess: ba }).allowed, false);
    assert.equal(ask({ principal: anonymous, bucketAccess: { ...ba, policy: publicRead() } }).reason, 'BucketPolicy');
  });
});

describe('block public access', () => {
  test('IgnorePublicAcls drops AllUsers grants at decision time', () => {
    const ba = bucketAccess({ acl: cannedAcl('public-read', OWNER), publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false } });
    assert.equal(ask({ principal: anonymous, action: 'ListBucket', bucketAccess: ba }).allowed, false);
    assert.equal(ask({ principal: anonymous, bucketAccess: ba, objectAcl: cannedAcl('public-read', OWNER) }).allowed, false);
  });
  test('RestrictPublicBuckets: a public policy grants nothing outside the owner\'s account', () => {
    const block = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true };
    const ba = bucketAccess({ policy: publicRead(), publicAccessBlock: block });
    assert.equal(ask({ principal: anonymous, bucketAccess: ba }).allowed, false);
    assert.equal(ask({ principal: otherAccount, bucketAccess: ba }).allowed, false);
    assert.equal(ask({ principal: alice, bucketAccess: ba }).reason, 'BucketPolicy');
  });
  test('RestrictPublicBuckets leaves a non-public policy alone', () => {
    const p = policy(iam({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }));
    const ba = bucketAccess({ policy: p, publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true } });
    assert.equal(ask({ principal: otherAccount, bucketAccess: ba }).reason, 'BucketPolicy');
  });
});

describe('sandbox', () => {
  test('a sandboxed bucket refuses anonymous and other accounts even when granted', () => {
    const ba = bucketAccess({ sandboxed: true, policy: publicRead(), acl: cannedAcl('public-read', OWNER) });
    assert.equal(ask({ principal: anonymous, bucketAccess: ba }).reason, 'Sandbox');
    assert.equal(ask({ principal: otherAccount, bucketAccess: ba }).reason, 'Sandbox');
    assert.equal(ask({ principal: mallory, bucketAccess: ba, userPolicies: [allowAllUser()] }).reason, 'Sandbox');
  });
  test('the owner and its users keep their access in the sandbox', () => {
    const ba = bucketAccess({ sandboxed: true });
    assert.equal(ask({ principal: owner, bucketAccess: ba }).reason, 'AccountRoot');
    assert.equal(ask({ principal: alice, bucketAccess: ba, userPolicies: [allowAllUser()] }).reason, 'UserPolicy');
  });
});

describe('Referer hotlink protection in the decision', () => {
  const publicBucket = (c: Partial<RefererConfiguration>) => bucketAccess({ acl: cannedAcl('public-read', OWNER), referer: referer(c) });
  test('anonymous object reads from a Referer off the whitelist are refused before any grant', () => {
    const d = ask({ principal: anonymous, bucketAccess: publicBucket({}), facts: { referer: 'https://evil.test/page' } });
    assert.deepEqual(d, { allowed: false, reason: 'RefererDenied', referer: 'not-whitelisted' });
    assert.equal(ask({ principal: anonymous, bucketAccess: publicBucket({}), facts: { referer: 'https://www.example.com/page' } }).reason, 'Acl');
  });
  test('signed-URL requests are checked, even the owner\'s', () => {
    assert.equal(ask({ bucketAccess: publicBucket({}), facts: { authType: 'REST-QUERY-STRING' } }).reason, 'RefererDenied');
  });
  test('requests signed in the header are not checked', () => {
    assert.equal(ask({ bucketAccess: publicBucket({}), facts: { authType: 'REST-HEADER' } }).reason, 'AccountRoot');
  });
  test('bucket-level requests are not checked', () => {
    assert.equal(ask({ principal: anonymous, action: 'ListBucket', bucketAccess: publicBucket({}) }).reason, 'Acl');
  });
});

test('a caller that leaves out the key of an object permission is a programming error, not a decision', () => {
  assert.throws(() => authorize({ principal: owner, permission: perm('GetObject'), bucket: 'b', facts: facts() }), TypeError);
  assert.throws(() => authorize({ principal: owner, permission: perm('ListBucket'), facts: facts() }), TypeError);
});

test('accessDeniedError is a 403 AccessDenied StoreError', () => {
  const e = accessDeniedError(ask({ principal: anonymous }), { bucket: 'b' });
  assert.equal(e.code, 'AccessDenied');
  assert.equal(e.status, 403);
});
