// Identities end to end on a real three-zone cluster: accounts, users and keys made through the
// admin API and the `zonestore admin` CLI; a user's key signs @aws-sdk/client-s3 and ali-oss
// requests limited by its policies; disabled and deleted keys are refused; secrets never
// appear in plaintext in the meta replicas' files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { errorCode, s3Client, useS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient, ossErrorCode } from './oss/oss-fixture.ts';
import { AdminApiError, AdminClient } from '../../services/cli/admin/admin-client.ts';
import { CREDENTIAL_CACHE_MS } from '../../services/gateway/credentials/meta-credential-store.ts';

const run = promisify(execFile);
const BUCKET = 'identities';
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: 120_000 });
type NewKey = { accessKeyId: string; secretAccessKey: string };
const settle = () => new Promise((r) => setTimeout(r, CREDENTIAL_CACHE_MS + 300));

function rootAdmin(): AdminClient {
  return new AdminClient({ endpoint: suite.c.endpoints[0]!, ...suite.c.credentials });
}
const adminAs = (k: NewKey, zone = 0) => new AdminClient({ endpoint: suite.c.endpoints[zone]!, ...k });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AdminApiError ? e.code : String(e)));
const readOnly = (bucket: string) => JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
  { Effect: 'Deny', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/locked/*` },
] });

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...filesUnder(p));
    else if (s.isFile()) out.push(p);
  }
  return out;
}

test('users and keys through the admin API: policies decide, keys can be disabled and deleted, secrets stay sealed', { timeout: 180_000 }, async () => {
  const root = rootAdmin();
  const who = (await root.call('GET', '/whoami')).body as { clusterAdmin: boolean; accountId: string };
  assert.deepEqual([who.clusterAdmin, who.accountId], [true, 'root']);

  const unsigned = await fetch(`${suite.c.endpoints[0]}/_zonestore/admin/v1/whoami`);
  assert.deepEqual([unsigned.status, ((await unsigned.json()) as { error: { code: string } }).error.code], [403, 'AccessDenied']);
  const wrong = new AdminClient({ endpoint: suite.c.endpoints[0]!, accessKeyId: suite.c.credentials.accessKeyId, secretAccessKey: 'not-the-secret-0000' });
  assert.equal(await codeOf(wrong.call('GET', '/whoami')), 'SignatureDoesNotMatch');
  assert.equal(await codeOf(root.call('GET', '/users/nobody')), 'NoSuchUser');

  await root.call('POST', '/users', { name: 'alice' });
  assert.equal(await codeOf(root.call('POST', '/users', { name: 'alice' })), 'EntityAlreadyExists');
  assert.equal(await codeOf(root.call('POST', '/users', { name: 'bad name' })), 'InvalidArgument');
  const aliceKey = ((await root.call('POST', '/users/alice/keys')).body as { accessKey: NewKey }).accessKey;
  const listed = (await root.call('GET', '/users/alice/keys')).text;
  assert.ok(listed.includes(aliceKey.accessKeyId) && !listed.includes(aliceKey.secretAccessKey), 'listing shows ids, never secrets');

  const alice = s3Client(suite.c.endpoints[1]!, aliceKey);
  await suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello' }));
  assert.equal(await errorCode(alice.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))), 'AccessDenied', 'no policy: denied');

  assert.equal(await codeOf(root.call('PUT', '/users/alice/policies/bad', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Nope","Resource":"*"}]}')), 'MalformedPolicy');
  await root.call('PUT', '/users/alice/policies/rw', readOnly(BUCKET));
  assert.deepEqual((await root.call('GET', '/users/alice/policies')).body, { policies: ['rw'] });
  assert.equal((await root.call('GET', '/users/alice/policies/rw')).text, readOnly(BUCKET), 'the document as stored');
  await settle();
  const got = await alice.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
  assert.equal(await got.Body!.transformToString(), 'hello');
  await alice.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'open/b.txt', Body: 'x' }));
  assert.equal(await errorCode(alice.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked/c.txt', Body: 'x' }))), 'AccessDenied', 'explicit Deny wins');
  assert.equal(await errorCode(alice.send(new ListBucketsCommand({}))), 'AccessDenied');

  const oss = ossClient(suite.c.endpoints[2]!, aliceKey, { bucket: BUCKET });
  assert.equal((await oss.get('a.txt')).content.toString(), 'hello', 'ali-oss with a user key');
  assert.equal(await ossErrorCode(oss.put('locked/d.txt', Buffer.from('x'))), 'AccessDenied');

  // A non-admin user cannot manage users; an admin user can, in its own account.
  assert.equal(await codeOf(adminAs(aliceKey).call('GET', '/users')), 'AccessDenied');
  await root.call('POST', '/users', { name: 'ops', admin: true });
  const opsKey = ((await root.call('POST', '/users/ops/keys')).body as { accessKey: NewKey }).accessKey;
  await settle();
  assert.ok(((await adminAs(opsKey).call('GET', '/users')).body as { users: Array<{ name: string }> }).users.some((u) => u.name === 'alice'));
  assert.equal(await codeOf(adminAs(opsKey).call('GET', '/accounts')), 'AccessDenied', 'an admin user is not the cluster admin');

  // Disabled, then deleted: refused in both dialects.
  await root.call('PATCH', `/users/alice/keys/${aliceKey.accessKeyId}`, { status: 'Inactive' });
  await settle();
  assert.equal(await errorCode(alice.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))), 'InvalidAccessKeyId');
  assert.equal(await ossErrorCode(oss.get('a.txt')), 'InvalidAccessKeyId');
  await root.call('PATCH', `/users/alice/keys/${aliceKey.accessKeyId}`, { status: 'Active' });
  await settle();
  await alice.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
  await root.call('DELETE', `/users/alice/keys/${aliceKey.accessKeyId}`);
  await settle();
  assert.equal(await errorCode(alice.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))), 'InvalidAccessKeyId');

  // Cross-account: another account's user needs its own policy and the bucket policy.
  const acct = (await root.call('POST', '/accounts', { name: 'team-b' })).body as { account: { id: string }; accessKey: NewKey };
  assert.match(acct.account.id, /^[0-9]{12}$/);
  const teamB = adminAs(acct.accessKey);
  await teamB.call('POST', '/users', { name: 'bob' });
  const bobKey = ((await teamB.call('POST', '/users/bob/keys')).body as { accessKey: NewKey }).accessKey;
  await teamB.call('PUT', '/users/bob/policies/read', readOnly(BUCKET));
  await settle();
  const bob = s3Client(suite.c.endpoints[0]!, bobKey);
  assert.equal(await errorCode(bob.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))), 'AccessDenied', 'user policy alone: denied');
  await suite.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: acct.account.id }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }) }));
  await settle();
  await bob.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
  // A user's bucket belongs to its account.
  await teamB.call('PUT', '/users/bob/policies/create', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:CreateBucket', Resource: '*' }] }));
  await settle();
  await bob.send(new CreateBucketCommand({ Bucket: 'bobs-bucket' }));
  const teamBRoot = s3Client(suite.c.endpoints[0]!, acct.accessKey);
  const names = (await teamBRoot.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
  assert.deepEqual(names, ['bobs-bucket']);

  // Deleting a user takes its keys.
  await teamB.call('DELETE', '/users/bob');
  assert.equal(await codeOf(teamB.call('GET', '/users/bob')), 'NoSuchUser');
  await settle();
  assert.equal(await errorCode(bob.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))), 'InvalidAccessKeyId');

  // No secret in plaintext anywhere in the cluster's meta state (Raft logs and state stores).
  const secrets = [aliceKey, opsKey, acct.accessKey, bobKey].map((k) => Buffer.from(k.secretAccessKey));
  const files = filesUnder(suite.c.root).filter((f) => !f.endsWith('root-credentials.json'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const s of secrets) assert.equal(bytes.indexOf(s), -1, `a secret in plaintext in ${f}`);
  }
});

test('zonestore admin CLI: whoami, user and key commands, clear errors', { timeout: 120_000 }, async () => {
  const env = { ...process.env, ZONESTORE_ACCESS_KEY_ID: suite.c.credentials.accessKeyId, ZONESTORE_SECRET_ACCESS_KEY: suite.c.credentials.secretAccessKey };
  const cli = (...args: string[]) => run('node', ['--import', 'tsx', 'services/cli/main.ts', 'admin', '--endpoint', suite.c.endpoints[0]!, '--json', ...args], { env, timeout: 60_000 });
  const who = JSON.parse((await cli('whoami')).stdout) as { clusterAdmin: boolean };
  assert.equal(who.clusterAdmin, true);
  await cli('user', 'create', 'carol');
  const key = (JSON.parse((await cli('key', 'create', 'carol')).stdout) as { accessKey: NewKey }).accessKey;
  assert.match(key.accessKeyId, /^ZS/);
  const list = (await cli('key', 'list', 'carol')).stdout;
  assert.ok(list.includes(key.accessKeyId) && !list.includes(key.secretAccessKey));
  await assert.rejects(cli('user', 'create', 'carol'), (e: { code?: number; stderr?: string }) => e.code === 1 && /EntityAlreadyExists/.test(e.stderr ?? ''));
});
