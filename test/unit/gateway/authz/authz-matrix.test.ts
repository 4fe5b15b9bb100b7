// The authorization matrix (authz-matrix.ts) through authorize(): 7 principals × 4 actions ×
// 5 keys × TLS × source address × Referer = 1120 cases, each against the hand-reasoned answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize, cannedAcl, type RequestPrincipal } from '../../../../services/gateway/authz/index.ts';
import { MATRIX_BUCKET, MATRIX_BUCKET_POLICY, MATRIX_OTHER, MATRIX_OWNER, MATRIX_USER_POLICIES, matrixCases, matrixFacts, type MatrixPrincipal } from './authz-matrix.ts';
import { NOW, perm, policy } from './authz-fixtures.ts';

const PRINCIPALS: Record<MatrixPrincipal, RequestPrincipal> = {
  owner: { type: 'account', accountId: MATRIX_OWNER },
  alice: { type: 'user', accountId: MATRIX_OWNER, userId: 'u-alice', userName: 'alice' },
  bob: { type: 'user', accountId: MATRIX_OWNER, userId: 'u-bob', userName: 'bob' },
  'other-root': { type: 'account', accountId: MATRIX_OTHER },
  mallory: { type: 'user', accountId: MATRIX_OTHER, userId: 'u-mallory', userName: 'mallory' },
  eve: { type: 'user', accountId: MATRIX_OTHER, userId: 'u-eve', userName: 'eve' },
  anonymous: { type: 'anonymous' },
};

test('every matrix case decides as reasoned', () => {
  const bucketPolicy = policy(MATRIX_BUCKET_POLICY);
  const userPolicies = Object.fromEntries(Object.entries(MATRIX_USER_POLICIES).map(([u, ps]) => [u, ps.map((p) => policy(p, 'user'))]));
  const access = { owner: MATRIX_OWNER, acl: cannedAcl('private', MATRIX_OWNER), policy: bucketPolicy };
  const cases = matrixCases();
  assert.equal(cases.length, 1120);
  const wrong: string[] = [];
  let allowed = 0;
  for (const c of cases) {
    const principal = PRINCIPALS[c.principal];
    const d = authorize({
      principal, permission: perm(c.action), bucket: MATRIX_BUCKET, ...(c.action === 'ListBucket' ? {} : { key: c.key }),
      facts: matrixFacts(c, NOW), userPolicies: principal.type === 'user' ? userPolicies[principal.userName] ?? [] : [], bucketAccess: access,
    });
    if (d.allowed) allowed++;
    if (d.allowed !== c.allowed) wrong.push(`${JSON.stringify(c)} → ${JSON.stringify(d)}`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(allowed > 100 && allowed < 1000, `a matrix with both answers (${allowed} allowed)`);
});
