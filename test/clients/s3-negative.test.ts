// Requests that must be refused, with S3's exact error code and status, and that change
// nothing: wrong secret, unknown key, skewed clock, tampered payload, bad Content-MD5, malformed
// XML, bad percent-encoding, oversized headers, anonymous access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { bodyBytes, errorCode, REGION, s3Client, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 15_000;
const BUCKET = 'guarded';
const suite = useS3Cluster({
  bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS,
  setup: async (s) => { await s.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keep', Body: 'original' })); },
});

/** The hash constructor the smithy signer wants (SHA-256, or HMAC-SHA-256 when given a key). */
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret
      : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.h = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {}
}

interface RawResponse { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/** One HTTP request exactly as given (no client-side fixing up), bounded by a timeout. */
function raw(method: string, path: string, headers: Record<string, string>, body: string | Buffer = ''): Promise<RawResponse> {
  const url = new URL(suite.c.endpoints[0]!);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs with the SDK's own SigV4 signer; `sendBody` may differ from the signed one (tampering). */
async function signed(method: string, path: string, signedBody: string, opts: { sendBody?: string; headers?: Record<string, string>; query?: Record<string, string> } = {}): Promise<RawResponse> {
  const url = new URL(suite.c.endpoints[0]!);
  const signer = new SignatureV4({ credentials: suite.c.credentials, region: REGION, service: 's3', sha256: Sha256, uriEscapePath: false });
  const payloadHash = createHash('sha256').update(signedBody).digest('hex');
  const req = await signer.sign({
    method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: opts.query ?? {},
    headers: { host: url.host, 'x-amz-content-sha256': payloadHash, ...(opts.headers ?? {}) }, body: signedBody,
  });
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  const sendBody = opts.sendBody ?? signedBody;
  return raw(method, path + (qs ? `?${qs}` : ''), { ...req.headers, 'content-length': String(Buffer.byteLength(sendBody)) }, sendBody);
}

const codeOf = (r: RawResponse): string | undefined => /<Code>([^<]+)<\/Code>/.exec(r.body)?.[1];

async function unchanged(): Promise<void> {
  const got = await suite.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'keep' }));
  assert.equal((await bodyBytes(got.Body)).toString(), 'original');
  const listed = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.deepEqual(listed.Contents?.map((o) => o.Key), ['keep']);
}

test('wrong secret, unknown key and a skewed clock are refused', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const secret = suite.c.credentials.secretAccessKey;
  // The last character changed to one it surely is not (a random secret ends in 'x' one time in 62).
  const wrong = s3Client(suite.c.endpoints[0]!, { ...suite.c.credentials, secretAccessKey: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` });
  const unknown = s3Client(suite.c.endpoints[0]!, { accessKeyId: 'ZSNOSUCHKEY000000000', secretAccessKey: suite.c.credentials.secretAccessKey });
  const skewed = s3Client(suite.c.endpoints[0]!, suite.c.credentials, { systemClockOffset: -20 * 60 * 1000 });
  try {
    assert.equal(await errorCode(wrong.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keep', Body: 'overwritten' }))), 'SignatureDoesNotMatch');
    assert.equal(await errorCode(unknown.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keep', Body: 'overwritten' }))), 'InvalidAccessKeyId');
    assert.equal(await errorCode(skewed.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keep', Body: 'overwritten' }))), 'RequestTimeTooSkewed');
  } finally {
    wrong.destroy();
    unknown.destroy();
    skewed.destroy();
  }
  await unchanged();
});

test('a tampered payload is refused (XAmzContentSHA256Mismatch)', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const r = await signed('PUT', `/${BUCKET}/keep`, 'signed body', { sendBody: 'evil body!!' });
  assert.equal(r.status, 400, r.body);
  assert.equal(codeOf(r), 'XAmzContentSHA256Mismatch');
  await unchanged();
});

test('a wrong Content-MD5 is BadDigest, a malformed one InvalidDigest', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = 'some bytes';
  const bad = await signed('PUT', `/${BUCKET}/keep`, body, { headers: { 'content-md5': createHash('md5').update('other').digest('base64') } });
  assert.equal(bad.status, 400, bad.body);
  assert.equal(codeOf(bad), 'BadDigest');
  const malformed = await signed('PUT', `/${BUCKET}/keep`, body, { headers: { 'content-md5': 'not-base64!' } });
  assert.equal(malformed.status, 400, malformed.body);
  assert.equal(codeOf(malformed), 'InvalidDigest');
  await unchanged();
});

test('malformed XML bodies are MalformedXML', { timeout: SUITE_TIMEOUT_MS }, async () => {
  for (const xml of ['<Delete><Object><Key>keep</Key></Object>', 'not xml at all', '<Wrong><Object><Key>keep</Key></Object></Wrong>',
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "keep">]><Delete><Object><Key>&x;</Key></Object></Delete>']) {
    const r = await signed('POST', `/${BUCKET}`, xml, {
      query: { delete: '' }, headers: { 'content-md5': createHash('md5').update(xml).digest('base64') },
    });
    assert.equal(r.status, 400, `${xml}: ${r.body}`);
    assert.equal(codeOf(r), 'MalformedXML', xml);
  }
  await unchanged();
});

test('bad percent-encoding, oversized headers and anonymous requests get clean 4xx', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const badUri = await signed('GET', `/${BUCKET}/%E0%A4%A`, '');
  assert.equal(badUri.status, 400, badUri.body);
  assert.equal(codeOf(badUri), 'InvalidURI');
  const huge = await raw('GET', `/${BUCKET}/keep`, { 'x-amz-meta-big': 'x'.repeat(64 * 1024) });
  assert.equal(huge.status, 400, huge.body);
  assert.equal(codeOf(huge), 'RequestHeaderSectionTooLarge');
  const anonymous = await raw('PUT', `/${BUCKET}/keep`, { 'content-length': '4' }, 'anon');
  assert.equal(anonymous.status, 403, anonymous.body);
  assert.equal(codeOf(anonymous), 'AccessDenied');
  assert.match(anonymous.body, /<RequestId>[0-9A-F]{16}<\/RequestId>/);
  assert.doesNotMatch(anonymous.body, /at .*\.ts:\d+/, 'never a stack trace');
  await unchanged();
});
