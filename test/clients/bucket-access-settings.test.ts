// Bucket access settings through real clients on a real cluster: block public access and Object
// Ownership with @aws-sdk/client-s3 (stored, read back, deleted, and what they refuse), OSS
// hotlink protection with ali-oss (putBucketReferer / getBucketReferer, then anonymous reads
// with and without Referer headers, and a signed URL), and a sandboxed bucket's metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateBucketCommand, DeleteBucketOwnershipControlsCommand, DeletePublicAccessBlockCommand, GetBucketOwnershipControlsCommand,
  GetObjectCommand, GetPublicAccessBlockCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutObjectAclCommand,
  PutObjectCommand, PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { errorCode, useS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient, ossErrorCode } from './oss/oss-fixture.ts';
import { AdminClient } from './authz-matrix/admin-client.ts';

const SUITE_TIMEOUT_MS = 300_000;
const suite = useS3Cluster({ timeoutMs: SUITE_TIMEOUT_MS });

interface Answer { status: number; body: string }

function anonymous(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, suite.c.endpoints[0]);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('block public access: stored and read back; public ACLs and policies refused; IgnorePublicAcls / RestrictPublicBuckets deny anonymous reads', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const B = 'pab-bucket';
  await s3.send(new CreateBucketCommand({ Bucket: B, ACL: 'public-read' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'body', ACL: 'public-read' }));
  assert.equal((await anonymous('GET', `/${B}/k`)).status, 200, 'public before the block');
  assert.equal(await errorCode(s3.send(new GetPublicAccessBlockCommand({ Bucket: B }))), 'NoSuchPublicAccessBlockConfiguration');

  await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
  const got = await s3.send(new GetPublicAccessBlockCommand({ Bucket: B }));
  assert.deepEqual(got.PublicAccessBlockConfiguration, { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  assert.equal((await anonymous('GET', `/${B}/k`)).status, 403, 'IgnorePublicAcls');

  await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true } }));
  assert.equal(await errorCode(s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'public-read-write' }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new PutObjectAclCommand({ Bucket: B, Key: 'k', ACL: 'public-read' }))), 'AccessDenied');
  assert.equal(await errorCode(s3.send(new PutObjectCommand({ Bucket: B, Key: 'k2', Body: 'x', ACL: 'public-read' }))), 'AccessDenied');
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k3', Body: 'x', ACL: 'private' }));
  const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` }] });
  assert.equal(await errorCode(s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicPolicy }))), 'AccessDenied');

  await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: {} }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicPolicy }));
  assert.equal((await anonymous('GET', `/${B}/k3`)).status, 200, 'a public policy');
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
  assert.equal((await anonymous('GET', `/${B}/k3`)).status, 403, 'RestrictPublicBuckets');
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
  assert.equal(await errorCode(s3.send(new GetPublicAccessBlockCommand({ Bucket: B }))), 'NoSuchPublicAccessBlockConfiguration');
  assert.equal((await anonymous('GET', `/${B}/k3`)).status, 200, 'deleted: public again');

  // OSS: one flag.
  const oss = ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: B });
  const xml = '<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>';
  await (oss as unknown as { request(p: object): Promise<unknown> }).request({ method: 'PUT', bucket: B, subres: 'publicAccessBlock', content: xml, mime: 'xml', successStatuses: [200] });
  const s3View = await s3.send(new GetPublicAccessBlockCommand({ Bucket: B }));
  assert.deepEqual(s3View.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  assert.equal(await ossErrorCode(oss.putBucketACL(B, 'public-read')), 'AccessDenied');
});

test('Object Ownership: BucketOwnerEnforced refuses ACLs but the owner\'s full control; get/delete', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const B = 'ownership-bucket';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  assert.equal(await errorCode(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }))), 'OwnershipControlsNotFoundError');
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  const got = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }));
  assert.equal(got.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
  assert.equal(await errorCode(s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'public-read' }))), 'AccessControlListNotSupported');
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }));
  assert.equal(await errorCode(s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'authenticated-read' }))), 'AccessControlListNotSupported');
  await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: B }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'public-read' }));
  assert.equal((await anonymous('GET', `/${B}/k`)).status, 200);
});

test('OSS Referer: putBucketReferer / getBucketReferer; anonymous reads by Referer; blacklist; a signed URL is checked too; bad XML', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const B = 'referer-bucket';
  const oss = ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: B });
  await oss.putBucket(B);
  await oss.putBucketACL(B, 'public-read');
  await oss.put('pic', Buffer.from('picture'));
  const got0 = await oss.getBucketReferer(B);
  assert.deepEqual([got0.allowEmpty, got0.referers], [true, null]);
  await oss.putBucketReferer(B, false, ['*.good.example', 'https://exact.example/page']);
  const got = await oss.getBucketReferer(B);
  assert.deepEqual([got.allowEmpty, got.referers], [false, ['*.good.example', 'https://exact.example/page']]);

  const read = (referer?: string) => anonymous('GET', `/${B}/pic`, referer === undefined ? {} : { referer });
  assert.equal((await read('https://www.good.example/index.html')).status, 200, 'wildcard');
  assert.equal((await read('https://exact.example/page?x=1')).status, 200, 'query string truncated');
  const empty = await read();
  assert.equal(empty.status, 403);
  assert.match(empty.body, /You are denied by bucket referer policy/);
  const other = await anonymous('GET', `/${B}/pic`, { referer: 'https://evil.example/', 'x-oss-date': new Date().toUTCString() });
  assert.equal(other.status, 403);
  assert.match(other.body, /<EC>0003-00000503<\/EC>/, 'OSS names the refusal');

  const client = oss as unknown as { request(p: object): Promise<unknown> };
  const put = (xml: string) => client.request({ method: 'PUT', bucket: B, subres: 'referer', content: xml, mime: 'xml', successStatuses: [200] });
  await put('<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><AllowTruncateQueryString>false</AllowTruncateQueryString><RefererList/><RefererBlacklist><Referer>*.bad.example</Referer></RefererBlacklist></RefererConfiguration>');
  assert.equal((await read('https://x.bad.example/')).status, 403, 'blacklisted');
  assert.equal((await read('https://fine.example/')).status, 200, 'not blacklisted, empty whitelist');
  assert.equal((await read()).status, 200, 'empty allowed');

  await oss.putBucketReferer(B, false, ['*.good.example']);
  // A signed URL (V1, in the query) through the OSS dialect's Host: checked like an anonymous read.
  const host = `${B}.oss-cn-hangzhou.aliyuncs.com`;
  const signed = new URL(ossClient('http://oss-cn-hangzhou.aliyuncs.com', suite.c.credentials, { bucket: B }).signatureUrl('pic', { expires: 600 }));
  assert.equal((await anonymous('GET', `${signed.pathname}${signed.search}`, { host })).status, 403, 'a signed URL without a Referer');
  assert.equal((await anonymous('GET', `${signed.pathname}${signed.search}`, { host, referer: 'https://a.good.example/' })).status, 200, 'with an allowed one');
  // The owner's header-signed requests are never checked.
  assert.equal((await oss.get('pic')).content.toString(), 'picture');

  assert.equal(await ossErrorCode(put('<RefererConfiguration><AllowEmptyReferer>true')), 'MalformedXML');
  assert.equal(await ossErrorCode(put('<RefererConfiguration><AllowEmptyReferer>x</AllowEmptyReferer></RefererConfiguration>')), 'MalformedXML');
  assert.equal(await ossErrorCode(put(`<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList>${'<Referer>a.example</Referer>'.repeat(201)}</RefererList></RefererConfiguration>`)), 'InvalidArgument');
});

test('sandbox through the admin API: anonymous refused, the owner throttled past the rate (503 SlowDown), GetBucketInfo and metrics show it; out again', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const s3 = suite.s3;
  const B = 'sandboxed-bucket';
  await s3.send(new CreateBucketCommand({ Bucket: B, ACL: 'public-read' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'not-sandboxed', ACL: 'public-read' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'public-read' }));
  await s3.send(new PutObjectCommand({ Bucket: 'not-sandboxed', Key: 'k', Body: 'x', ACL: 'public-read' }));
  const admin = new AdminClient(suite.c.endpoints[0]!, suite.c.credentials);
  const put = await admin.call('PUT', `/buckets/${B}/sandbox`, { requestsPerSecond: 2, reason: 'test' });
  assert.equal(put.status, 200, JSON.stringify(put.json));

  const anon = await anonymous('GET', `/${B}/k`);
  assert.equal(anon.status, 403);
  assert.match(anon.body, /sandbox/);
  assert.equal((await anonymous('GET', '/not-sandboxed/k')).status, 200, 'other buckets are unaffected');
  const codes: string[] = [];
  for (let i = 0; i < 8; i++) codes.push(await errorCode(s3.send(new GetObjectCommand({ Bucket: B, Key: 'missing' }))).catch(() => 'ok'));
  assert.ok(codes.some((c) => c === 'SlowDown' || c === '503' || c === 'ServiceUnavailable'), `throttled past 2/s: ${codes.join(',')}`);

  const oss = ossClient(suite.c.endpoints[0]!, suite.c.credentials, { bucket: B });
  await new Promise((r) => setTimeout(r, 1100));
  const info = await oss.getBucketInfo(B);
  assert.equal(info.bucket['Sandbox'], 'Enabled');
  assert.equal((info.bucket['AccessControlList'] as { Grant: string }).Grant, 'public-read');

  const m = await anonymous('GET', '/_zonestore/metrics');
  assert.equal(m.status, 200);
  assert.match(m.body, new RegExp(`zonestore_bucket_sandboxed\\{bucket="${B}"\\} 1`));
  assert.match(m.body, new RegExp(`zonestore_sandbox_requests_total\\{bucket="${B}",outcome="denied"\\} 1`));
  assert.match(m.body, new RegExp(`zonestore_sandbox_requests_total\\{bucket="${B}",outcome="throttled"\\} [1-9]`));

  assert.equal((await admin.call('DELETE', `/buckets/${B}/sandbox`)).status, 204);
  assert.equal((await anonymous('GET', `/${B}/k`)).status, 200, 'out of the sandbox');
});
