// Encryption at rest on a real three-zone cluster: objects written in every mode (SSE-S3,
// SSE-KMS, SSE-C) with a known marker string — small replicated ones, RS(6,3) multi-stripe ones
// and multipart ones — then every file under the cluster's directory is scanned (every chunk
// file of every data node of every zone, the meta stores' classic-level directories, Raft logs,
// the KMS's files): the marker of an encrypted object is never there, while the marker of the
// unencrypted control objects written the same way is (so the scan can fail). The bodies are
// random bytes with the marker every few KiB, so no store's compression can hide a marker.
// Then damage: bytes flipped in every replica of an encrypted object's chunk, and an object
// whose manifest names another encrypted object's blocks → the read fails, never wrong data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { bodyBytes, s3Client, startS3Cluster, type S3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { chunkPath, flipByte, manifestOf } from '../repair/repair-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'at-rest';
const MiB = 1024 * 1024;
const SIZES = { small: 20_000, rs: 14 * MiB + 4321 };
const PARTS = [5 * MiB, 1 * MiB + 99];
const MARKER_EVERY = 4096;

let c: S3Cluster;
let s3: S3Client;
let meta: MetaClient;

before(async () => {
  c = await startS3Cluster();
  s3 = s3Client(c.endpoints[0]!, c.credentials, { maxAttempts: 3 });
  meta = new MetaClient({ addresses: c.cluster.metaApiAddresses });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  s3?.destroy();
  meta?.close();
  await c?.stop();
});

/** Random bytes with `marker` written every MARKER_EVERY bytes. */
function markedBody(size: number, marker: string): Buffer {
  const b = randomBytes(size);
  for (let at = 0; at + marker.length <= size; at += MARKER_EVERY) b.write(marker, at, 'latin1');
  return b;
}

type Mode = 'plain' | 'SSE-S3' | 'SSE-KMS' | 'SSE-C';
const customer = randomBytes(32);
const sseC = {
  SSECustomerAlgorithm: 'AES256', SSECustomerKey: customer.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(customer).digest('base64'),
};
function sseParams(mode: Mode): Record<string, string> {
  if (mode === 'SSE-S3') return { ServerSideEncryption: 'AES256' };
  if (mode === 'SSE-KMS') return { ServerSideEncryption: 'aws:kms' };
  if (mode === 'SSE-C') return sseC;
  return {};
}
const readParams = (mode: Mode) => (mode === 'SSE-C' ? sseC : {});

async function writeAll(mode: Mode, marker: string): Promise<Map<string, Buffer>> {
  const written = new Map<string, Buffer>();
  for (const [shape, size] of Object.entries(SIZES)) {
    const body = markedBody(size, marker);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${mode}/${shape}`, Body: body, ...sseParams(mode) }));
    written.set(`${mode}/${shape}`, body);
  }
  const key = `${mode}/multipart`;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ...sseParams(mode) }));
  const bodies = PARTS.map((n) => markedBody(n, marker));
  const parts = [];
  for (const [i, body] of bodies.entries()) {
    const r = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body, ...readParams(mode) }));
    parts.push({ PartNumber: i + 1, ETag: r.ETag });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  written.set(key, Buffer.concat(bodies));
  return written;
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

test('no encrypted object\'s marker is anywhere on disk; the unencrypted control\'s is', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const modes: Mode[] = ['plain', 'SSE-S3', 'SSE-KMS', 'SSE-C'];
  const markers = new Map(modes.map((m) => [m, `ZS-AT-REST-${m}-${randomBytes(6).toString('hex')}`] as const));
  for (const mode of modes) {
    const written = await writeAll(mode, markers.get(mode)!);
    for (const [key, body] of written) {
      const got = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...readParams(mode) }))).Body);
      assert.ok(got.equals(body), `${key} reads back`);
    }
  }
  // The shapes are what they claim: a replicated small object, a multi-stripe RS(6,3) one.
  const small = (await manifestOf(meta, BUCKET, 'SSE-KMS/small')).manifest;
  assert.equal(small.scheme?.kind.case, 'replica');
  const rs = (await manifestOf(meta, BUCKET, 'SSE-KMS/rs')).manifest;
  assert.equal(rs.scheme?.kind.case, 'erasure');
  assert.ok(rs.parts[0]!.stripes.length > 1, 'several stripes');

  const found = new Map(modes.map((m) => [m, [] as string[]]));
  let chunkFiles = 0;
  let metaFiles = 0;
  let bytes = 0;
  for (const file of filesUnder(c.root)) {
    if (statSync(file).size === 0) continue;
    const content = readFileSync(file);
    bytes += content.length;
    if (file.includes(`${'/chunks/'}`)) chunkFiles++;
    if (/meta/.test(file)) metaFiles++;
    for (const [mode, marker] of markers) if (content.includes(marker, 0, 'latin1')) found.get(mode)!.push(file);
  }
  assert.ok(chunkFiles >= 9 * 3, `chunk files were scanned (${chunkFiles})`);
  assert.ok(metaFiles > 0, `meta store files were scanned (${metaFiles})`);
  assert.ok(bytes > 100 * MiB, `the scan read ${bytes} bytes`);
  assert.ok(found.get('plain')!.length > 0, 'the unencrypted control marker is found: the scan can fail');
  for (const mode of ['SSE-S3', 'SSE-KMS', 'SSE-C'] as const) {
    assert.deepEqual(found.get(mode), [], `${mode} marker on disk`);
  }
});

test('bytes flipped in every replica of an encrypted object\'s chunk: the read fails, never wrong data', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const body = markedBody(SIZES.small, 'tampered');
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tamper', Body: body, ServerSideEncryption: 'aws:kms' }));
  const { manifest } = await manifestOf(meta, BUCKET, 'tamper');
  const shards = manifest.parts[0]!.stripes[0]!.shards;
  assert.equal(shards.length, 3, 'one replica per zone');
  for (const shard of shards) flipByte(chunkPath(c.cluster, shard), 5000);
  const outcome = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tamper' }))
    .then(async (r) => bodyBytes(r.Body)).then((b) => ({ bytes: b }), (err: unknown) => ({ err }));
  assert.ok('err' in outcome, `the read must fail, it gave ${'bytes' in outcome ? outcome.bytes.length : 0} bytes`);
});

test('a manifest naming another encrypted object\'s blocks (valid checksums, wrong place) is refused by authentication', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const a = markedBody(SIZES.small, 'object-a');
  const b = markedBody(SIZES.small, 'object-b');
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a', Body: a, ServerSideEncryption: 'AES256' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'b', Body: b, ServerSideEncryption: 'AES256' }));
  const ma = (await manifestOf(meta, BUCKET, 'a')).manifest;
  const mb = (await manifestOf(meta, BUCKET, 'b')).manifest;
  // a's envelope (its key and salt) over b's stored blocks: as if someone rewired chunks on disk.
  await meta.call('putObject', {
    bucket: BUCKET, key: 'rewired', size: BigInt(a.length), etag: createHash('md5').update(a).digest('hex'), checksums: {},
    manifest: { ...mb, encryption: ma.encryption },
  });
  const outcome = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'rewired' }))
    .then(async (r) => bodyBytes(r.Body)).then((bytes) => ({ bytes }), (err: unknown) => ({ err }));
  assert.ok('err' in outcome, 'the read fails');
  assert.equal((outcome.err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 500);
});
