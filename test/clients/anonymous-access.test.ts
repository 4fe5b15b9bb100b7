// What stored ACLs and bucket policies let unsigned (anonymous) requests do, on a real cluster:
// the owner writes with @aws-sdk/client-s3 and ali-oss, the anonymous side is plain node:http
// (so Referer and source address are ours to set). Public-read buckets and objects, object ACLs
// overriding the bucket's, policies with aws:SourceIp / acs:SourceIp, aws:SecureTransport and
// Referer conditions, explicit Deny beating Allow (for the owner too), DeleteBucketPolicy revoking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bodyBytes, errorCode, useS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const suite = useS3Cluster({ timeoutMs: SUITE_TIMEOUT_MS });

interface Answer { status: number; body: string }

/** An unsigned request from 127.0.0.1. */
function anonymous(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const url = new URL(path, suite.c.endpoints[0]);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: '127.0.0.1',
      headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function denied(a: Answer, what: string): void {
  assert.equal(a.status, 403, `${what}: ${a.body}`);
  assert.match(a.body, /<Code>AccessDenied<\/Code>/, what);
}

const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const anyoneGets = (bucket: string, extra: object = {}, resource = `${bucket}/*`) =>
  ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${resource}`, ...extra });

test('a public-read bucket lists and reads public objects anonymously, never writes; object ACLs override', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  await s3.send(new CreateBucketCommand({ Bucket: 'anon-public', ACL: 'public-read' }));
  await s3.send(new PutObjectCommand({ Bucket: 'anon-public', Key: 'open', Body: 'open body', ACL: 'public-read' }));
  await s3.send(new PutObjectCommand({ Bucket: 'anon-public', Key: 's3-private', Body: 'x' }));
  const oss = ossClient(suite.c.endpoints[1]!, suite.c.credentials, { bucket: 'anon-public' });
  await oss.put('oss-default', Buffer.from('follows the bucket'));

  const list = await anonymous('GET', '/anon-public');
  assert.equal(list.status, 200, list.body);
  assert.match(list.body, /<Key>open<\/Key>/);
  const open = await anonymous('GET', '/anon-public/open');
  assert.deepEqual([open.status, open.body], [200, 'open body']);
  assert.equal((await anonymous('GET', '/anon-public/oss-default')).status, 200, 'an object with the default ACL follows the public-read bucket');
  denied(await anonymous('GET', '/anon-public/s3-private'), 'an S3 write without an ACL is private');
  denied(await anonymous('PUT', '/anon-public/new', {}, 'nope'), 'public-read does not write');
  denied(await anonymous('DELETE', '/anon-public/open'), 'public-read does not delete');
  denied(await anonymous('GET', '/'), 'no ListBuckets for anonymous');

  // The object's own ACL overrides the bucket's, either way.
  await oss.putACL('oss-default', 'private');
  denied(await anonymous('GET', '/anon-public/oss-default'), 'made private');
  await s3.send(new CreateBucketCommand({ Bucket: 'anon-private' }));
  await s3.send(new PutObjectCommand({ Bucket: 'anon-private', Key: 'k', Body: 'shared' }));
  denied(await anonymous('GET', '/anon-private/k'), 'private bucket, private object');
  denied(await anonymous('GET', '/anon-private'), 'private bucket listing');
  await s3.send(new PutObjectAclCommand({ Bucket: 'anon-private', Key: 'k', ACL: 'public-read' }));
  assert.equal((await anonymous('GET', '/anon-private/k')).status, 200, 'a public-read object in a private bucket');

  // public-read-write lets anonymous requests write; the owner reads what they wrote.
  await s3.send(new CreateBucketCommand({ Bucket: 'anon-rw', ACL: 'public-read-write' }));
  assert.equal((await anonymous('PUT', '/anon-rw/dropped', {}, 'from nobody')).status, 200);
  assert.equal((await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: 'anon-rw', Key: 'dropped' }))).Body)).toString(), 'from nobody');
  // The OSS dialect answers anonymous refusals in its own XML.
  const ossDenied = await anonymous('GET', '/anon-private', { 'x-oss-content-type': 'x' });
  denied(ossDenied, 'OSS dialect');
  assert.match(ossDenied.body, /<EC>|<RequestId>/);
});

test('policies: SourceIp in and out of range (IAM and RAM), SecureTransport, Referer; Deny beats Allow; delete revokes', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const B = 'anon-policy';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  for (const key of ['a', 'secret/x']) await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: `body of ${key}` }));
  const put = (statements: object[]) => s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: policy(statements) }));
  denied(await anonymous('GET', `/${B}/a`), 'no policy');

  await put([anyoneGets(B, { Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } })]);
  const inRange = await anonymous('GET', `/${B}/a`);
  assert.deepEqual([inRange.status, inRange.body], [200, 'body of a']);
  denied(await anonymous('PUT', `/${B}/a`, {}, 'x'), 'the policy allows GetObject only');
  denied(await anonymous('GET', `/${B}`), 'nor listing');
  await put([anyoneGets(B, { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]);
  denied(await anonymous('GET', `/${B}/a`), 'source address out of range');
  await put([anyoneGets(B, { Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } })]);
  denied(await anonymous('GET', `/${B}/a`), 'NotIpAddress');

  // The RAM syntax through ali-oss: acs:SourceIp. The same gateway as the anonymous requests:
  // another one may answer from its bucket cache for up to BUCKET_CACHE_MS.
  const oss = ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: B });
  await oss.putBucketPolicy(B, { Version: '1', Statement: [{ Effect: 'Allow' as const, Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${B}/*`], Condition: { IpAddress: { 'acs:SourceIp': ['127.0.0.1/32'] } } } as never] });
  assert.equal((await anonymous('GET', `/${B}/a`)).status, 200, 'acs:SourceIp 127.0.0.1/32');
  await oss.putBucketPolicy(B, { Version: '1', Statement: [{ Effect: 'Allow' as const, Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${B}/*`], Condition: { IpAddress: { 'acs:SourceIp': ['192.168.0.0/16'] } } } as never] });
  denied(await anonymous('GET', `/${B}/a`), 'acs:SourceIp out of range');

  // Plain HTTP is not secure transport.
  await put([anyoneGets(B, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })]);
  denied(await anonymous('GET', `/${B}/a`), 'SecureTransport true over HTTP');
  await put([anyoneGets(B, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  assert.equal((await anonymous('GET', `/${B}/a`)).status, 200, 'SecureTransport false');

  // Referer.
  await put([anyoneGets(B, { Condition: { StringLike: { 'aws:Referer': 'https://good.example/*' } } })]);
  assert.equal((await anonymous('GET', `/${B}/a`, { referer: 'https://good.example/page' })).status, 200);
  denied(await anonymous('GET', `/${B}/a`, { referer: 'https://evil.example/page' }), 'another Referer');
  denied(await anonymous('GET', `/${B}/a`), 'no Referer');

  // Explicit Deny beats Allow — for the owner too.
  await put([anyoneGets(B), { Sid: 'no-secrets', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/secret/*` }]);
  assert.equal((await anonymous('GET', `/${B}/a`)).status, 200);
  denied(await anonymous('GET', `/${B}/secret/x`), 'denied prefix');
  assert.equal(await errorCode(s3.send(new GetObjectCommand({ Bucket: B, Key: 'secret/x' }))), 'AccessDenied', 'the owner is denied too');
  assert.equal((await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'a' }))).Body)).toString(), 'body of a');

  // Deleting the policy revokes what it granted (and lifts the owner's Deny).
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: B }));
  denied(await anonymous('GET', `/${B}/a`), 'policy deleted');
  assert.equal((await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'secret/x' }))).Body)).toString(), 'body of secret/x');
});
