// An authorization matrix: one bucket with a policy, users with and without policies in the
// owner's account and another, anonymous callers, and every combination of principal × action ×
// key × (TLS, source address, Referer). The expected answers come from `expectedDecision`, reasoned
// from this one scenario's statements by hand — not from the evaluator — so the unit test
// cross-checks authorize(), and the gateway's SDK matrix (issue #11) can replay the same cases
// through real clients.
import type { RequestFacts } from '../../../../services/gateway/authz/index.ts';

export const MATRIX_OWNER = '111122223333';
export const MATRIX_OTHER = '444455556666';
export const MATRIX_BUCKET = 'shared';

/** The bucket policy, IAM syntax. Statement numbers are used in expectedDecision's comments. */
export const MATRIX_BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'S1DenyPlainHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::shared/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'S2PublicWithReferer', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/public/*', Condition: { StringLike: { 'aws:Referer': 'https://www.example.com/*' } } },
    { Sid: 'S3PartnerFromOffice', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MATRIX_OTHER}:root` }, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::shared/partner/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Sid: 'S4AliceListsHome', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MATRIX_OWNER}:user/alice` }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::shared', Condition: { StringLike: { 's3:prefix': 'home/alice/*' } } },
    { Sid: 'S5Locked', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::shared/locked/*' },
  ],
};

/** RAM syntax for the user policies, so both syntaxes take part. */
export const MATRIX_USER_POLICIES: Readonly<Record<string, object[]>> = {
  alice: [{ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: 'acs:oss:*:*:shared/home/alice/*' }] }],
  bob: [],
  mallory: [{ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:*:*:*' }] }],
  eve: [],
};

export type MatrixPrincipal = 'owner' | 'alice' | 'bob' | 'other-root' | 'mallory' | 'eve' | 'anonymous';
export type MatrixAction = 'GetObject' | 'PutObject' | 'DeleteObject' | 'ListBucket';

export const MATRIX_PRINCIPALS: readonly MatrixPrincipal[] = ['owner', 'alice', 'bob', 'other-root', 'mallory', 'eve', 'anonymous'];
export const MATRIX_ACTIONS: readonly MatrixAction[] = ['GetObject', 'PutObject', 'DeleteObject', 'ListBucket'];
/** Object keys; ListBucket lists with the key's folder as prefix. */
export const MATRIX_KEYS = ['public/a.txt', 'partner/a.txt', 'home/alice/a.txt', 'locked/a.txt', 'private/a.txt'] as const;

export interface MatrixCase {
  readonly principal: MatrixPrincipal;
  readonly action: MatrixAction;
  readonly key: (typeof MATRIX_KEYS)[number];
  readonly tls: boolean;
  readonly sourceIp: string;
  readonly referer?: string;
  readonly allowed: boolean;
}

const prefixOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);

/** The facts a case's request carries (the SDK matrix sets these through TLS, the source address and headers). */
export function matrixFacts(c: MatrixCase, currentTime: number): RequestFacts {
  return {
    currentTime, secureTransport: c.tls, sourceIp: c.sourceIp, authType: c.principal === 'anonymous' ? undefined : 'REST-HEADER',
    ...(c.referer ? { referer: c.referer } : {}),
    ...(c.action === 'ListBucket' ? { prefix: prefixOf(c.key) } : {}),
  } as RequestFacts;
}

/** The answer, reasoned from the scenario's statements. */
export function expectedDecision(p: MatrixPrincipal, action: MatrixAction, key: string, tls: boolean, officeIp: boolean, goodReferer: boolean): boolean {
  if (action === 'ListBucket') {
    // S1 and S5 name objects (shared/*), not the bucket; only the owner and S4 grant listings.
    if (p === 'owner') return true;
    return p === 'alice' && prefixOf(key).startsWith('home/alice/');
  }
  if (!tls) return false; // S1, for everyone, the owner included
  if (action === 'DeleteObject' && key.startsWith('locked/')) return false; // S5
  if (p === 'owner') return true;
  const s2 = action === 'GetObject' && key.startsWith('public/') && goodReferer;
  const s3 = (action === 'GetObject' || action === 'PutObject') && key.startsWith('partner/') && officeIp;
  switch (p) {
    case 'alice': return s2 || ((action === 'GetObject' || action === 'PutObject') && key.startsWith('home/alice/'));
    case 'bob': return s2; // no policy of its own; S2 names everyone directly
    case 'other-root': return s2 || s3;
    case 'mallory': return s2 || s3; // its oss:* policy confirms S3's grant to its account
    case 'eve': return false; // another account's user without a policy of its own
    case 'anonymous': return s2;
  }
}

export function matrixCases(): MatrixCase[] {
  const out: MatrixCase[] = [];
  for (const principal of MATRIX_PRINCIPALS) {
    for (const action of MATRIX_ACTIONS) {
      for (const key of MATRIX_KEYS) {
        for (const tls of [true, false]) {
          for (const officeIp of [true, false]) {
            for (const goodReferer of [true, false]) {
              out.push({
                principal, action, key, tls,
                sourceIp: officeIp ? '10.20.30.40' : '203.0.113.9',
                ...(goodReferer ? { referer: 'https://www.example.com/gallery' } : {}),
                allowed: expectedDecision(principal, action, key, tls, officeIp, goodReferer),
              });
            }
          }
        }
      }
    }
  }
  return out;
}
