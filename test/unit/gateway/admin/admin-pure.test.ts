// The admin API's pure parts: secret sealing, who may call what, routing and body validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveKeyEncryptingKey, keyEncryptingKey, SecretSealer, SECRETS_KEY_ENV } from '../../../../services/gateway/credentials/secret-sealing.ts';
import { adminCallerOf, mayCall, targetAccountOf } from '../../../../services/gateway/admin/admin-permissions.ts';
import { matchAdminRoute } from '../../../../services/gateway/admin/admin-routes.ts';
import { createUserBody, parseJsonBody, updateKeyBody, validated } from '../../../../services/gateway/admin/admin-requests.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';

test('sealed secrets open only under the same KEK and access key id; the ciphertext hides the secret', () => {
  const sealer = new SecretSealer(deriveKeyEncryptingKey('root-secret'));
  const sealed = sealer.seal('AKIDONE000000000001', 'the-secret-value');
  assert.equal(Buffer.from(sealed).indexOf('the-secret-value'), -1);
  assert.equal(sealer.open('AKIDONE000000000001', sealed), 'the-secret-value');
  assert.equal(sealer.open('AKIDTWO000000000002', sealed), undefined, 'the key id is associated data');
  assert.equal(new SecretSealer(deriveKeyEncryptingKey('other')).open('AKIDONE000000000001', sealed), undefined);
  const tampered = Uint8Array.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(sealer.open('AKIDONE000000000001', tampered), undefined);
  assert.notDeepEqual(sealer.seal('AKIDONE000000000001', 'x'), sealer.seal('AKIDONE000000000001', 'x'), 'fresh nonce each time');
});

test('ZONESTORE_SECRETS_KEY overrides the derived KEK and must be 32 bytes of base64', () => {
  const given = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(keyEncryptingKey('root', { [SECRETS_KEY_ENV]: given }), Buffer.alloc(32, 7));
  assert.deepEqual(keyEncryptingKey('root', {}), deriveKeyEncryptingKey('root'));
  assert.throws(() => keyEncryptingKey('root', { [SECRETS_KEY_ENV]: Buffer.alloc(16).toString('base64') }), /32 bytes/);
});

const auth = (principal: string, user?: { admin: boolean }) => ({
  anonymous: false as const, accessKeyId: 'K', principal, region: '', payload: { kind: 'unsigned' as const },
  ...(user ? { user: { userId: 'U1', userName: 'u', admin: user.admin, policies: {} } } : {}),
});

test('permission rules: cluster admin, account key, admin user, plain user', () => {
  const cluster = adminCallerOf(auth('root'));
  const account = adminCallerOf(auth('123456789012'));
  const adminUser = adminCallerOf(auth('123456789012', { admin: true }));
  const plain = adminCallerOf(auth('123456789012', { admin: false }));
  const rootUser = adminCallerOf(auth('root', { admin: true }));
  assert.deepEqual([cluster, account, adminUser, plain, rootUser].map((c) => mayCall(c, 'cluster-admin')), [true, false, false, false, false]);
  assert.deepEqual([cluster, account, adminUser, plain, rootUser].map((c) => mayCall(c, 'account-admin')), [true, true, true, false, true]);
  assert.equal(targetAccountOf(cluster, '999999999999'), '999999999999');
  assert.equal(targetAccountOf(account, '999999999999'), undefined, 'only the cluster admin picks another account');
  assert.equal(targetAccountOf(account, undefined), '123456789012');
});

test('routes: paths, parameters, 404 and 405', () => {
  const m = matchAdminRoute('PATCH', '/_zonestore/admin/v1/users/al%40ice/keys/ZSKEY');
  assert.ok('route' in m && m.route.name === 'updateKey' && m.route.params.user === 'al@ice' && m.route.params.keyId === 'ZSKEY');
  assert.deepEqual(matchAdminRoute('POST', '/_zonestore/admin/v1/whoami'), { error: 'MethodNotAllowed' });
  assert.deepEqual(matchAdminRoute('GET', '/_zonestore/admin/v1/nothing'), { error: 'NotFound' });
  const s = matchAdminRoute('PUT', '/_zonestore/admin/v1/buckets/b1/sandbox');
  assert.ok('route' in s && s.route.requirement === 'cluster-admin');
});

test('bodies: MalformedJSON, InvalidArgument for bad shapes and names', () => {
  assert.throws(() => parseJsonBody(Buffer.from('{')), (e: unknown) => isStoreError(e, 'MalformedJSON'));
  assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
  assert.deepEqual(validated(createUserBody, { name: 'a.b@c', admin: true }), { name: 'a.b@c', admin: true });
  for (const bad of [{ name: '' }, { name: 'x'.repeat(65) }, { name: 'sp ace' }, { name: 'ok', extra: 1 }]) {
    assert.throws(() => validated(createUserBody, bad), (e: unknown) => isStoreError(e, 'InvalidArgument'));
  }
  assert.throws(() => validated(updateKeyBody, { status: 'Gone' }), (e: unknown) => isStoreError(e, 'InvalidArgument'));
});
