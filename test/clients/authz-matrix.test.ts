// The authorization matrix (issue #11) through the real SDKs on one real cluster: every case of
// test/clients/authz-matrix/matrix-cases.ts (principal × action × resource × source address ×
// Referer × s3:prefix × presigned/header-signed × dialect) is sent and its answer compared with
// the hand-written expectation: allow = 2xx, deny = 403 AccessDenied. All cases run, then every
// mismatch is listed by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { AdminClient } from './authz-matrix/admin-client.ts';
import { ossClient } from './oss/oss-fixture.ts';
import { useS3Cluster } from './s3-cluster-fixture.ts';
import { buildCases, type MatrixCase } from './authz-matrix/matrix-cases.ts';
import { adminApiAvailable, createIdentities, type MatrixIdentities } from './authz-matrix/matrix-identities.ts';
import { MatrixClients, runCase, type Outcome } from './authz-matrix/matrix-requests.ts';
import {
  BLOCKED_BUCKET, BUCKETS, bucketPolicy, CROSS_BUCKET, crossBucketPolicy, REFERER_BUCKET, REFERER_WHITELIST, SANDBOX_BUCKET, TLS_BUCKET, TLS_BUCKET_POLICY,
} from './authz-matrix/matrix-setup.ts';

const SUITE_TIMEOUT_MS = 300_000;
const CONCURRENCY = 8;
const MIN_CASES = 300;
/** The sandbox also throttles (10/s by default): high enough here that only its access rule shows. */
const SANDBOX_RATE = 100_000;
const suite = useS3Cluster({ timeoutMs: SUITE_TIMEOUT_MS, tls: true });

/** Buckets, their ACLs and policies, and one `obj` and `acl-target` per prefix, written once by the owner. */
async function createWorld(): Promise<void> {
  const s3 = suite.s3;
  for (const b of BUCKETS) {
    await s3.send(new CreateBucketCommand({ Bucket: b.name, ACL: b.acl }));
    for (const p of b.prefixes) {
      await s3.send(new PutObjectCommand({ Bucket: b.name, Key: `${p.prefix}acl-target`, Body: 'acl target', ACL: p.objectAcl }));
      if (p.writtenBy === 'oss') {
        await ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: b.name }).put(`${p.prefix}obj`, Buffer.from('default ACL'));
      } else {
        await s3.send(new PutObjectCommand({ Bucket: b.name, Key: `${p.prefix}obj`, Body: `body of ${p.prefix}obj`, ACL: p.objectAcl }));
      }
    }
    if (b === REFERER_BUCKET) await ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: b.name }).putBucketReferer(b.name, false, REFERER_WHITELIST);
    // After the objects: the policy's Deny statements bind the owner too.
    await s3.send(new PutBucketPolicyCommand({ Bucket: b.name, Policy: bucketPolicy(b) }));
    if (b === BLOCKED_BUCKET) {
      await s3.send(new PutPublicAccessBlockCommand({ Bucket: b.name, PublicAccessBlockConfiguration: { IgnorePublicAcls: true, RestrictPublicBuckets: true } }));
    }
    if (b === SANDBOX_BUCKET) await new AdminClient(suite.c.endpoints[0]!, suite.c.credentials).must('PUT', `/buckets/${b.name}/sandbox`, { reason: 'authz matrix', requestsPerSecond: SANDBOX_RATE });
  }
}

/** mx-cross, whose policy names account B and bob. */
async function createCrossBucket(ids: MatrixIdentities): Promise<void> {
  const s3 = suite.s3;
  await s3.send(new CreateBucketCommand({ Bucket: CROSS_BUCKET.name }));
  for (const p of CROSS_BUCKET.prefixes) {
    await s3.send(new PutObjectCommand({ Bucket: CROSS_BUCKET.name, Key: `${p.prefix}obj`, Body: `body of ${p.prefix}obj` }));
  }
  await s3.send(new PutBucketPolicyCommand({ Bucket: CROSS_BUCKET.name, Policy: crossBucketPolicy(ids.otherAccountId, ids.bobArn) }));
}

/** mx-tls, whose policy tests aws:SecureTransport. */
async function createTlsBucket(): Promise<void> {
  const s3 = suite.s3;
  await s3.send(new CreateBucketCommand({ Bucket: TLS_BUCKET.name }));
  for (const p of TLS_BUCKET.prefixes) {
    for (const key of [`${p.prefix}obj`, `${p.prefix}acl-target`]) await s3.send(new PutObjectCommand({ Bucket: TLS_BUCKET.name, Key: key, Body: 'over tls' }));
  }
  await s3.send(new PutBucketPolicyCommand({ Bucket: TLS_BUCKET.name, Policy: TLS_BUCKET_POLICY }));
}

/** Gateways cache keys, misses included, for 1 s: the new keys are used after that. */
const KEY_CACHE_WAIT_MS = 1_500;

async function runAll(clients: MatrixClients, cases: readonly MatrixCase[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      try {
        outcomes[i] = await runCase(clients, cases[i]!);
      } catch (err) {
        outcomes[i] = `threw ${(err as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

test('authorization matrix: every case allowed or denied as docs/authorization.md says', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const endpoint = suite.c.endpoints[0]!;
  assert.ok(await adminApiAvailable(endpoint, suite.c.credentials), 'the admin API answers GET /whoami');
  const identities = await createIdentities(endpoint, suite.c.credentials);
  const cases = buildCases({ identities: true });
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, 'case names are distinct');
  assert.ok(cases.length >= MIN_CASES, `${cases.length} cases, want ≥ ${MIN_CASES}`);
  await createWorld();
  await createCrossBucket(identities);
  await createTlsBucket();
  await new Promise((r) => setTimeout(r, KEY_CACHE_WAIT_MS));
  const httpsEndpoint = suite.c.httpsEndpoints[0];
  assert.ok(httpsEndpoint && suite.c.caFile, 'the gateway serves HTTPS');
  const clients = new MatrixClients(endpoint, { ...identities.credentials, owner: suite.c.credentials, anonymous: undefined }, { endpoint: httpsEndpoint, caFile: suite.c.caFile });
  const started = Date.now();
  try {
    const outcomes = await runAll(clients, cases);
    const wrong = cases.flatMap((c, i) => (outcomes[i] === c.expect ? [] : [`${c.name}: expected ${c.expect}, got ${outcomes[i]}`]));
    const allowed = cases.filter((c) => c.expect === 'allow').length;
    process.stdout.write(`authz matrix: ${cases.length} cases (${allowed} allow, ${cases.length - allowed} deny) in ${Date.now() - started} ms; ${wrong.length} wrong\n`);
    assert.deepEqual(wrong, [], `${wrong.length} of ${cases.length} cases answered otherwise:\n${wrong.slice(0, 60).join('\n')}`);
  } finally {
    clients.destroy();
  }
});
