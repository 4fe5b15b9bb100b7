// Client-side encryption with a KMS key (wrap-alg KMS/ALICLOUD) through the cluster's KMS API
// (`/_zonestore/kms`, AWS KMS JSON protocol), over the gateway's HTTPS trusting the cluster CA:
// single and multipart objects round-trip whole and by range; the stored object is ciphertext
// with the OSS envelope; the reference decryption (its own SigV4-signed KMS Decrypt calls
// through @smithy/signature-v4, nothing of services/client/) reads it; a changed wrapped key is
// WrongMasterKey, a disabled key a KmsFailure naming DisabledException; `zonestore cp
// --client-encrypt --kms-key-id … --ca-file …` round-trips a file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpsAgent } from 'node:https';
import {
  ClientEncryptionError, EncryptionClient, KmsJsonClient, KmsMasterKey, SignedHttpTransport, downloadFile, uploadFile,
} from '../../services/client/index.ts';
import { bodyBytes, REGION, s3Client, seededBytes, startS3Cluster, type S3Cluster } from './s3-cluster-fixture.ts';
import { referenceDecrypt } from './client-encryption-reference-decrypt.ts';

const SUITE_TIMEOUT_MS = 300_000;
const BUCKET = 'kms-client-encrypted';
const MARKER = 'ZONESTORE-KMS-CSE-MARKER';
const PART = 5 * 1024 * 1024;
const run = promisify(execFile);

let c: S3Cluster;
let s3: S3Client;
let endpoint: string;
let kms: KmsJsonClient;
let transport: SignedHttpTransport;
let keyId: string;
let work: string;

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

/** KMS Decrypt as the AWS KMS JSON protocol defines it, signed by the smithy signer: the reference's own path to the KMS. */
async function referenceKmsDecrypt(blob: Buffer): Promise<Buffer> {
  const url = new URL(endpoint);
  const body = JSON.stringify({ CiphertextBlob: blob.toString('base64') });
  const signer = new SignatureV4({ credentials: c.credentials, region: REGION, service: 'kms', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'https:', hostname: url.hostname, port: Number(url.port), path: '/_zonestore/kms', query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Decrypt' }, body,
  });
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpsRequest({ hostname: url.hostname, port: url.port, method: 'POST', path: '/_zonestore/kms', headers: { ...signed.headers, 'content-length': Buffer.byteLength(body) }, ca: readFileSync(c.caFile!), timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() })).on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('KMS Decrypt timed out'))).on('error', reject);
    req.end(body);
  });
  assert.equal(answer.status, 200, answer.text);
  return Buffer.from((JSON.parse(answer.text) as { Plaintext: string }).Plaintext, 'base64');
}

function markedBytes(size: number, seed: number): Buffer {
  const b = seededBytes(size, seed);
  for (let at = 0; at + MARKER.length <= size; at += 4096) b.write(MARKER, at, 'latin1');
  return b;
}

function client(id = keyId): EncryptionClient {
  return new EncryptionClient({ endpoint, credentials: c.credentials, caFile: c.caFile!, masterKey: new KmsMasterKey(kms, id, { matDesc: { kms: 'zonestore' } }) });
}

async function stored(key: string): Promise<{ bytes: Buffer; meta: Record<string, string> }> {
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: await bodyBytes(got.Body), meta: got.Metadata ?? {} };
}

async function failure(p: Promise<unknown>): Promise<ClientEncryptionError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ClientEncryptionError, `expected a ClientEncryptionError, got ${(err as Error).stack}`);
    return err;
  }
  throw new Error('expected the call to fail');
}

before(async () => {
  c = await startS3Cluster({ tls: true });
  endpoint = c.httpsEndpoints[0]!;
  s3 = s3Client(endpoint, c.credentials, { requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ ca: readFileSync(c.caFile!) }) }) });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  transport = new SignedHttpTransport({ endpoint, credentials: c.credentials, caFile: c.caFile! });
  kms = new KmsJsonClient(transport);
  const created = await kms.call('CreateKey', { Description: 'client-side encryption test' }) as { KeyMetadata: { KeyId: string } };
  keyId = created.KeyMetadata.KeyId;
  work = mkdtempSync(join(tmpdir(), 'zonestore-cse-kms-'));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  transport?.close();
  s3?.destroy();
  await c?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('KMS key: a single PUT is ciphertext with the OSS envelope, read whole, by range and by the reference decryption', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cl = client();
  try {
    const plain = markedBytes(200_003, 1);
    await cl.putObject(BUCKET, 'single.bin', plain);
    const { bytes, meta } = await stored('single.bin');
    assert.ok(!bytes.includes(MARKER));
    assert.equal(meta['client-side-encryption-wrap-alg'], 'KMS/ALICLOUD');
    assert.equal(meta['client-side-encryption-cek-alg'], 'AES/CTR/NoPadding');
    assert.deepEqual(JSON.parse(meta['client-side-encryption-matdesc']!), { kms: 'zonestore' });
    assert.ok((await referenceDecrypt(meta, bytes, { wrapAlg: 'KMS/ALICLOUD', decrypt: referenceKmsDecrypt })).equals(plain));
    assert.ok((await cl.getObject(BUCKET, 'single.bin')).equals(plain));
    for (const [start, end] of [[0, 0], [17, 4095], [100_000, 199_999], [200_002, 200_002]] as const) {
      assert.ok((await cl.getObject(BUCKET, 'single.bin', { range: { start, end } })).equals(plain.subarray(start, end + 1)));
    }
    // An empty object is an envelope and no bytes.
    await cl.putObject(BUCKET, 'empty.bin', Buffer.alloc(0));
    assert.equal((await cl.getObject(BUCKET, 'empty.bin')).length, 0);
  } finally {
    cl.close();
  }
});

test('KMS key: multipart upload and download through files', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cl = client();
  try {
    const plain = markedBytes(PART * 2 + 100, 2);
    const src = join(work, 'mp.src');
    writeFileSync(src, plain);
    assert.equal((await uploadFile(cl, BUCKET, 'mp.bin', src, { partSize: PART })).multipart, true);
    const { bytes, meta } = await stored('mp.bin');
    assert.ok(!bytes.includes(MARKER));
    assert.equal(meta['client-side-encryption-part-size'], String(PART));
    assert.ok((await referenceDecrypt(meta, bytes, { wrapAlg: 'KMS/ALICLOUD', decrypt: referenceKmsDecrypt })).equals(plain));
    const out = join(work, 'mp.out');
    assert.equal((await downloadFile(cl, BUCKET, 'mp.bin', out)).verified, true);
    assert.ok(readFileSync(out).equals(plain));
    assert.ok((await cl.getObject(BUCKET, 'mp.bin', { range: { start: PART - 3, end: PART + 3 } })).equals(plain.subarray(PART - 3, PART + 4)));
  } finally {
    cl.close();
  }
});

test('KMS key: a changed wrapped key is WrongMasterKey; a disabled key or an unknown one is a KmsFailure', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cl = client();
  try {
    await cl.putObject(BUCKET, 'tamper.bin', Buffer.from(MARKER));
    const { bytes, meta } = await stored('tamper.bin');
    const blob = Buffer.from(meta['client-side-encryption-key']!, 'base64');
    blob[blob.length - 5] ^= 1;
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tamper.bin', Body: bytes, Metadata: { ...meta, 'client-side-encryption-key': blob.toString('base64') } }));
    assert.equal((await failure(cl.getObject(BUCKET, 'tamper.bin'))).code, 'WrongMasterKey');

    const unknown = client('00000000-0000-0000-0000-000000000000');
    try {
      const e = await failure(unknown.putObject(BUCKET, 'never.bin', Buffer.from('x')));
      assert.equal(e.code, 'KmsFailure');
      assert.match(e.message, /NotFoundException/);
    } finally {
      unknown.close();
    }

    await kms.call('DisableKey', { KeyId: keyId });
    try {
      const e = await failure(cl.getObject(BUCKET, 'single.bin'));
      assert.equal(e.code, 'KmsFailure');
      assert.match(e.message, /Disabled/);
    } finally {
      await kms.call('EnableKey', { KeyId: keyId });
    }
    assert.equal((await cl.getObject(BUCKET, 'single.bin')).length, 200_003);
  } finally {
    cl.close();
  }
});

test('zonestore cp --client-encrypt --kms-key-id over HTTPS with --ca-file', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const plain = markedBytes(123_456, 3);
  const src = join(work, 'cp.src');
  writeFileSync(src, plain);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: c.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey };
  const cp = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'cp', '--client-encrypt', '--kms-key-id', keyId, ...args,
    '--endpoint', c.httpsEndpoints[1]!, '--ca-file', c.caFile!], { env, timeout: 120_000 });
  assert.match((await cp(src, `s3://${BUCKET}/cp/`)).stdout, /key wrapped with KMS\/ALICLOUD/);
  const { bytes, meta } = await stored('cp/cp.src');
  assert.ok(!bytes.includes(MARKER));
  assert.equal(meta['client-side-encryption-wrap-alg'], 'KMS/ALICLOUD');
  const out = join(work, 'cp.out');
  assert.match((await cp(`s3://${BUCKET}/cp/cp.src`, out)).stdout, /verified/);
  assert.ok(readFileSync(out).equals(plain));
});
