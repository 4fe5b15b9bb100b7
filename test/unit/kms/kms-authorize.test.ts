// Who may use a key (services/gateway/authz/kms-authorize.ts): the account root its own keys;
// a user through its IAM policy when the key policy delegates to the account (the default),
// or through the key policy naming it; another account only through the key policy (its users
// also need their own policies); a Deny anywhere wins; kms:/s3: actions and resources never mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeKms, parsePolicy, requestFacts, type Policy, type RequestPrincipal } from '../../../services/gateway/authz/index.ts';

const A = '111111111111';
const B = '222222222222';
const KEY = { accountId: A, keyId: 'k1' };
const facts = requestFacts({ currentTime: Date.now(), secureTransport: false, headers: {}, query: new Map() });
const rootA: RequestPrincipal = { type: 'account', accountId: A };
const rootB: RequestPrincipal = { type: 'account', accountId: B };
const alice: RequestPrincipal = { type: 'user', accountId: A, userId: 'UALICE000', userName: 'alice' };
const bob: RequestPrincipal = { type: 'user', accountId: B, userId: 'UBOB00000', userName: 'bob' };

function policy(doc: unknown, kind: 'user' | 'bucket'): Policy {
  const r = parsePolicy(JSON.stringify(doc), kind);
  if (!r.ok) throw r.error;
  return r.policy;
}
const userPolicy = (action: string | string[], resource = '*', effect = 'Allow') =>
  policy({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: resource }] }, 'user');
const keyPolicy = (...statements: unknown[]) => policy({ Version: '2012-10-17', Statement: statements }, 'bucket');
const allowed = (principal: RequestPrincipal, action: string, o: { userPolicies?: Policy[]; keyPolicy?: Policy; noKey?: boolean } = {}) =>
  authorizeKms({ principal, action, facts, userPolicies: o.userPolicies, ...(o.noKey ? { accountId: principal.type === 'anonymous' ? A : principal.accountId } : { key: { ...KEY, ...(o.keyPolicy ? { policy: o.keyPolicy } : {}) } }) }).allowed;

test('default key policy: the owner root may; its users by their IAM policies; other accounts not', () => {
  assert.equal(allowed(rootA, 'kms:Decrypt'), true);
  assert.equal(allowed(alice, 'kms:Decrypt'), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('kms:Decrypt')] }), true);
  assert.equal(allowed(alice, 'kms:Encrypt', { userPolicies: [userPolicy('kms:Decrypt')] }), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('kms:*', `arn:aws:kms:us-east-1:${A}:key/k1`)] }), true);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('kms:*', `arn:aws:kms:*:${A}:key/other`)] }), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('kms:*', `acs:kms:*:${A}:key/*`)] }), true, 'RAM resource');
  assert.equal(allowed(rootB, 'kms:Decrypt'), false);
  assert.equal(allowed(bob, 'kms:Decrypt', { userPolicies: [userPolicy('kms:*')] }), false);
  assert.equal(allowed({ type: 'anonymous' }, 'kms:Decrypt'), false);
});

test('s3 actions and s3 resources grant nothing in kms, and kms ones nothing in s3 terms', () => {
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('s3:*')] }), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('*', 'arn:aws:s3:::*')] }), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('*', '*')] }), true);
});

test('key policy naming another account (or its user) lets it in; a Deny wins everywhere', () => {
  const grantB = keyPolicy(
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['kms:Decrypt'], Resource: '*' },
  );
  assert.equal(allowed(rootB, 'kms:Decrypt', { keyPolicy: grantB }), true);
  assert.equal(allowed(rootB, 'kms:Encrypt', { keyPolicy: grantB }), false);
  assert.equal(allowed(bob, 'kms:Decrypt', { keyPolicy: grantB }), false, 'the other account\'s user needs its own policy too');
  assert.equal(allowed(bob, 'kms:Decrypt', { keyPolicy: grantB, userPolicies: [userPolicy('kms:Decrypt')] }), true);
  const denyAlice = keyPolicy(
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: 'kms:Decrypt', Resource: '*' },
  );
  assert.equal(allowed(alice, 'kms:Decrypt', { keyPolicy: denyAlice, userPolicies: [userPolicy('kms:*')] }), false);
  assert.equal(allowed(alice, 'kms:Decrypt', { userPolicies: [userPolicy('kms:*'), userPolicy('kms:Decrypt', '*', 'Deny')] }), false);
  const onlyAlice = keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: 'kms:Decrypt', Resource: '*' });
  assert.equal(allowed(alice, 'kms:Decrypt', { keyPolicy: onlyAlice }), true, 'named directly: no IAM policy needed');
  const noAccount = keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:*', Resource: '*' });
  assert.equal(allowed(alice, 'kms:Decrypt', { keyPolicy: noAccount, userPolicies: [userPolicy('kms:*')] }), false, 'a key policy without the account disables IAM policies');
});

test('account-level actions: the root may, a user by its policy', () => {
  assert.equal(allowed(rootA, 'kms:CreateKey', { noKey: true }), true);
  assert.equal(allowed(alice, 'kms:CreateKey', { noKey: true }), false);
  assert.equal(allowed(alice, 'kms:CreateKey', { noKey: true, userPolicies: [userPolicy('kms:CreateKey')] }), true);
  assert.equal(allowed(alice, 'kms:ListKeys', { noKey: true, userPolicies: [userPolicy('kms:*', `arn:aws:kms:*:${A}:key/*`)] }), false, 'a key resource does not cover account-level actions');
});

test('kms policies parse: unknown kms actions and odd ARNs are MalformedPolicy', () => {
  assert.equal(parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Nope', Resource: '*' }] }), 'user').ok, false);
  assert.equal(parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:1:' }] }), 'user').ok, false);
  assert.equal(parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:encrypt', Resource: 'arn:aws:kms:us-east-1:1:alias/x' }] }), 'user').ok, true);
});
