// Client-side encryption (services/client/) against a real cluster: each user master key (RSA
// pair, own AES key) round-trips whole objects, ranges and multipart uploads; what the cluster
// stores is ciphertext (the marker never shows through @aws-sdk/client-s3) carrying the OSS
// envelope headers (seen as x-oss-meta-* through ali-oss); a decryption written from the format
// description alone reads it; a wrong key, the wrong kind of key and changed ciphertext are
// errors, never data; `zonestore cp --client-encrypt` round-trips a file as a subprocess; and
// no file of the cluster's (chunks, meta stores) holds the plaintext marker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { constants, createCipheriv, createHash, generateKeyPairSync, publicEncrypt, randomBytes, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  AesMasterKey, ClientEncryptionError, EncryptionClient, RsaMasterKey, downloadFile, uploadFile, type MasterKey,
} from '../../services/client/index.ts';
import { bodyBytes, s3Client, seededBytes, startS3Cluster, type S3Cluster } from './s3-cluster-fixture.ts';
import { ossClient, type OssClient } from './oss/oss-fixture.ts';
import { referenceDecrypt, type Unwrapper } from './client-encryption-reference-decrypt.ts';

const SUITE_TIMEOUT_MS = 300_000;
const BUCKET = 'client-encrypted';
const MARKER = 'ZONESTORE-CSE-MARKER-7f3a';
const PART = 5 * 1024 * 1024;
const run = promisify(execFile);

let c: S3Cluster;
let s3: S3Client;
let oss: OssClient;
let work: string;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const aesKey = randomBytes(32);

/** Plaintext with the marker repeated through it, so any unencrypted stretch would show it. */
function markedBytes(size: number, seed: number): Buffer {
  const b = seededBytes(size, seed);
  for (let at = 0; at + MARKER.length <= size; at += 4096) b.write(MARKER, at, 'latin1');
  return b;
}

function client(masterKey: MasterKey): EncryptionClient {
  return new EncryptionClient({ endpoint: c.endpoints[0]!, credentials: c.credentials, masterKey });
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
  c = await startS3Cluster();
  s3 = s3Client(c.endpoints[0]!, c.credentials);
  oss = ossClient(c.endpoints[1]!, c.credentials, { bucket: BUCKET });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  work = mkdtempSync(join(tmpdir(), 'zonestore-cse-'));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  s3?.destroy();
  await c?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const modes: Array<{ name: string; key: () => MasterKey; wrapAlg: string; unwrapper: () => Unwrapper; wrong: () => MasterKey }> = [
  {
    name: 'RSA key pair', wrapAlg: 'RSA/NONE/PKCS1Padding',
    key: () => new RsaMasterKey({ privateKeyPem: rsa.privateKey, matDesc: { owner: 'test' } }),
    unwrapper: () => ({ wrapAlg: 'RSA/NONE/PKCS1Padding', privateKey: createPrivateKey(rsa.privateKey) }),
    wrong: () => new RsaMasterKey({ privateKeyPem: otherRsa.privateKey }),
  },
  {
    name: 'own AES key', wrapAlg: 'AES/GCM',
    key: () => new AesMasterKey(aesKey),
    unwrapper: () => ({ wrapAlg: 'AES/GCM', key: aesKey }),
    wrong: () => new AesMasterKey(randomBytes(32)),
  },
];

for (const [i, mode] of modes.entries()) {
  test(`${mode.name}: a single PUT is stored as ciphertext with the OSS envelope and decrypts whole and by range`, { timeout: SUITE_TIMEOUT_MS }, async () => {
    const key = `single-${i}.bin`;
    const plain = markedBytes(300_000 + 7, 10 + i);
    const cl = client(mode.key());
    try {
      await cl.putObject(BUCKET, key, plain);
      const { bytes, meta } = await stored(key);
      assert.equal(bytes.length, plain.length, 'CTR keeps the length');
      assert.ok(!bytes.includes(MARKER), 'the stored bytes show the plaintext marker');
      assert.equal(meta['client-side-encryption-cek-alg'], 'AES/CTR/NoPadding');
      assert.equal(meta['client-side-encryption-wrap-alg'], mode.wrapAlg);
      assert.equal(meta['client-side-encryption-unencrypted-content-length'], String(plain.length));
      assert.match(meta['client-side-encryption-unencrypted-content-md5'] ?? '', /^[A-Za-z0-9+/]{22}==$/);
      if (i === 0) assert.deepEqual(JSON.parse(meta['client-side-encryption-matdesc']!), { owner: 'test' });
      // The OSS dialect shows the same envelope as x-oss-meta-* headers (what OSS crypto clients read).
      const head = await oss.head(key);
      const headers = head.res.headers as Record<string, string>;
      assert.equal(headers['x-oss-meta-client-side-encryption-key'], meta['client-side-encryption-key']);
      assert.equal(headers['x-oss-meta-client-side-encryption-start'], meta['client-side-encryption-start']);
      assert.equal(headers['x-oss-meta-client-side-encryption-wrap-alg'], mode.wrapAlg);
      // Interoperability: decrypted by the independent reference reading of the format.
      assert.ok((await referenceDecrypt(meta, bytes, mode.unwrapper())).equals(plain));

      assert.ok((await cl.getObject(BUCKET, key)).equals(plain));
      const ranges: Array<[number, number]> = [[0, 0], [15, 16], [16, 31], [1, 99_999], [123_457, 200_001], [plain.length - 1, plain.length - 1], [299_990, plain.length - 1]];
      for (let r = 0; r < 10; r++) {
        const a = Number(seededBytes(4, 100 + r + i * 17).readUInt32LE(0) % plain.length);
        const b = Math.min(plain.length - 1, a + Number(seededBytes(4, 200 + r).readUInt32LE(0) % 70_000));
        ranges.push([a, b]);
      }
      for (const [start, end] of ranges) {
        const got = await cl.getObject(BUCKET, key, { range: { start, end } });
        assert.ok(got.equals(plain.subarray(start, end + 1)), `range ${start}-${end}`);
      }
      // A range past the end is clamped as S3 clamps it; an open range runs to the end.
      assert.ok((await cl.getObject(BUCKET, key, { range: { start: 299_000, end: 10_000_000 } })).equals(plain.subarray(299_000)));
      assert.ok((await cl.getObject(BUCKET, key, { range: { start: 5 } })).equals(plain.subarray(5)));
    } finally {
      cl.close();
    }
  });

  test(`${mode.name}: a wrong key or the other kind of key is refused before any data is returned`, { timeout: SUITE_TIMEOUT_MS }, async () => {
    const key = `single-${i}.bin`;
    const wrong = client(mode.wrong());
    const other = client(modes[1 - i]!.key());
    try {
      assert.equal((await failure(wrong.getObject(BUCKET, key))).code, 'WrongMasterKey');
      assert.equal((await failure(wrong.getObject(BUCKET, key, { range: { start: 10, end: 20 } }))).code, 'WrongMasterKey');
      const mismatch = await failure(other.getObject(BUCKET, key));
      assert.equal(mismatch.code, 'MasterKeyMismatch');
      assert.match(mismatch.message, new RegExp(mode.wrapAlg.replace(/\//g, '\\/')));
      const target = join(work, `wrong-${i}.bin`);
      assert.equal((await failure(downloadFile(wrong, BUCKET, key, target))).code, 'WrongMasterKey');
      assert.ok(!existsSync(target));
      // A client writing with the other key but holding this one for reading picks it by the
      // envelope (for RSA among two pairs by the material description).
      const ring = new EncryptionClient({ endpoint: c.endpoints[0]!, credentials: c.credentials, masterKey: modes[1 - i]!.key(), decryptionKeys: i === 0 ? [mode.wrong(), mode.key()] : [mode.key()] });
      try {
        assert.ok((await ring.getObject(BUCKET, key)).equals(markedBytes(300_000 + 7, 10 + i)));
      } finally {
        ring.close();
      }
    } finally {
      wrong.close();
      other.close();
    }
  });

  test(`${mode.name}: a multipart upload keeps one CTR stream across parts`, { timeout: SUITE_TIMEOUT_MS }, async () => {
    const key = `multipart-${i}.bin`;
    const plain = markedBytes(2 * PART + 12_345, 30 + i);
    const file = join(work, `mp-${i}.src`);
    writeFileSync(file, plain);
    const cl = client(mode.key());
    try {
      const progress: number[] = [];
      const r = await uploadFile(cl, BUCKET, key, file, { partSize: PART, concurrency: 2, onProgress: (d) => progress.push(d) });
      assert.equal(r.multipart, true);
      assert.equal(progress.at(-1), plain.length);
      const { bytes, meta } = await stored(key);
      assert.ok(!bytes.includes(MARKER));
      assert.equal(meta['client-side-encryption-data-size'], String(plain.length));
      assert.equal(meta['client-side-encryption-part-size'], String(PART));
      assert.ok((await referenceDecrypt(meta, bytes, mode.unwrapper())).equals(plain), 'the reference decryption of the whole multipart object');
      for (const [start, end] of [[PART - 20, PART + 20], [PART, PART], [PART - 1, 2 * PART + 1], [2 * PART + 12_000, 2 * PART + 12_344]] as const) {
        assert.ok((await cl.getObject(BUCKET, key, { range: { start, end } })).equals(plain.subarray(start, end + 1)), `range ${start}-${end}`);
      }
      const target = join(work, `mp-${i}.out`);
      const d = await downloadFile(cl, BUCKET, key, target);
      assert.equal(d.verified, true);
      assert.ok(readFileSync(target).equals(plain));
      // Parts of the wrong size are refused: they would break the counter's continuity.
      const up = await cl.createMultipartUpload(BUCKET, `${key}.bad`, { dataSize: 2 * PART, partSize: PART });
      assert.equal((await failure(up.uploadPart(1, Buffer.alloc(PART - 16)))).code, 'InvalidArgument');
      await up.abort();
      assert.equal((await failure(cl.createMultipartUpload(BUCKET, `${key}.bad`, { dataSize: 100, partSize: PART + 1 }))).code, 'InvalidArgument');
    } finally {
      cl.close();
    }
  });
}

test('changed ciphertext under an intact envelope fails the MD5 check; a download leaves no file', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cl = client(modes[0]!.key());
  try {
    const plain = markedBytes(50_000, 77);
    await cl.putObject(BUCKET, 'tamper.bin', plain);
    const { bytes, meta } = await stored('tamper.bin');
    bytes[1234] = bytes[1234]! ^ 0x01;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tamper.bin', Body: bytes, Metadata: meta }));
    assert.equal((await failure(cl.getObject(BUCKET, 'tamper.bin'))).code, 'IntegrityCheckFailed');
    const target = join(work, 'tamper.out');
    assert.equal((await failure(downloadFile(cl, BUCKET, 'tamper.bin', target))).code, 'IntegrityCheckFailed');
    assert.ok(!existsSync(target));
    assert.deepEqual(readdirSync(work).filter((f) => f.includes('tamper')), [], 'no partial file is left behind');
    // Truncated: the stored size no longer matches the recorded plaintext length.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tamper.bin', Body: bytes.subarray(0, 1000), Metadata: meta }));
    assert.equal((await failure(cl.getObject(BUCKET, 'tamper.bin', { range: { start: 0, end: 10 } }))).code, 'IntegrityCheckFailed');
    // An object without an envelope is not decrypted as if it had one.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.txt', Body: 'not encrypted at all' }));
    assert.equal((await failure(cl.getObject(BUCKET, 'plain.txt'))).code, 'NotEncrypted');
  } finally {
    cl.close();
  }
});

test('zonestore cp --client-encrypt round-trips a file (RSA and AES keys) as a subprocess', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const pem = join(work, 'cp-rsa.pem');
  writeFileSync(pem, rsa.privateKey);
  const aesFile = join(work, 'cp-aes.key');
  writeFileSync(aesFile, `${aesKey.toString('hex')}\n`);
  const plain = markedBytes(PART + 999, 55);
  const src = join(work, 'cp.src');
  writeFileSync(src, plain);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: c.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey };
  const cp = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'cp', ...args, '--endpoint', c.endpoints[2]!, '--part-size', '5MiB'], { env, timeout: 120_000 });
  for (const [flag, value, alg] of [['--rsa-key', pem, 'RSA/NONE/PKCS1Padding'], ['--aes-key-file', aesFile, 'AES/GCM']] as const) {
    const up = await cp('--client-encrypt', flag, value, src, `s3://${BUCKET}/cp/${alg.replace(/\//g, '-')}`);
    assert.match(up.stdout, new RegExp(`key wrapped with ${alg.replace(/\//g, '\\/')}, multipart`));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `cp/${alg.replace(/\//g, '-')}` }));
    assert.equal(head.Metadata?.['client-side-encryption-wrap-alg'], alg);
    const out = join(work, `cp-${flag}.out`);
    const down = await cp('--client-encrypt', flag, value, `s3://${BUCKET}/cp/${alg.replace(/\//g, '-')}`, out);
    assert.match(down.stdout, /verified/);
    assert.ok(readFileSync(out).equals(plain));
  }
  // The wrong key: a clear message and exit status 1, no output file.
  const otherPem = join(work, 'cp-other.pem');
  writeFileSync(otherPem, otherRsa.privateKey);
  const bad = await run(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'cp', '--client-encrypt', '--rsa-key', otherPem,
    `s3://${BUCKET}/cp/RSA-NONE-PKCS1Padding`, join(work, 'cp-bad.out'), '--endpoint', c.endpoints[0]!], { env, timeout: 120_000 }).then(() => undefined, (e: { code: number; stderr: string }) => e);
  assert.ok(bad, 'the wrong key must fail');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /WrongMasterKey/);
  assert.ok(!existsSync(join(work, 'cp-bad.out')));
  const help = await run(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'cp', '--help'], { timeout: 60_000 });
  assert.match(help.stdout, /--client-encrypt/);
  assert.match(help.stdout, /--kms-key-id/);
});

test('AES/GCM/NoPadding content: authenticated whole reads, CTR-read ranges, one PUT only', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cl = new EncryptionClient({ endpoint: c.endpoints[1]!, credentials: c.credentials, masterKey: new RsaMasterKey({ privateKeyPem: rsa.privateKey }), contentAlgorithm: 'AES/GCM/NoPadding' });
  const aes = new EncryptionClient({ endpoint: c.endpoints[1]!, credentials: c.credentials, masterKey: new AesMasterKey(aesKey), contentAlgorithm: 'AES/GCM/NoPadding' });
  try {
    const plain = markedBytes(100_001, 90);
    await cl.putObject(BUCKET, 'gcm.bin', plain);
    await aes.putObject(BUCKET, 'gcm-aes.bin', plain);
    for (const [key, unwrapper] of [['gcm.bin', modes[0]!.unwrapper()], ['gcm-aes.bin', modes[1]!.unwrapper()]] as const) {
      const { bytes, meta } = await stored(key);
      assert.equal(bytes.length, plain.length + 16, 'the tag follows the ciphertext');
      assert.ok(!bytes.includes(MARKER));
      assert.equal(meta['client-side-encryption-cek-alg'], 'AES/GCM/NoPadding');
      assert.equal(meta['client-side-encryption-unencrypted-content-length'], String(plain.length));
      assert.ok((await referenceDecrypt(meta, bytes, unwrapper)).equals(plain));
    }
    assert.ok((await cl.getObject(BUCKET, 'gcm.bin')).equals(plain));
    assert.ok((await aes.getObject(BUCKET, 'gcm-aes.bin')).equals(plain));
    for (const [start, end] of [[0, 0], [15, 17], [50_000, 99_999], [100_000, 100_000], [99_990, 500_000]] as const) {
      assert.ok((await cl.getObject(BUCKET, 'gcm.bin', { range: { start, end } })).equals(plain.subarray(start, end + 1)), `range ${start}-${end}`);
    }
    assert.ok((await cl.getObject(BUCKET, 'gcm.bin', { range: { start: 99_000 } })).equals(plain.subarray(99_000)), 'an open range stops before the tag');
    assert.equal((await failure(cl.getObject(BUCKET, 'gcm.bin', { range: { start: 100_001 } }))).code, 'InvalidArgument', 'the tag is not plaintext');
    // A changed byte fails the tag — even with its MD5 recomputed by whoever changed it.
    const { bytes, meta } = await stored('gcm.bin');
    bytes[777] ^= 0x10;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gcm.bin', Body: bytes, Metadata: { ...meta, 'client-side-encryption-unencrypted-content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' } }));
    const e = await failure(cl.getObject(BUCKET, 'gcm.bin'));
    assert.equal(e.code, 'IntegrityCheckFailed');
    assert.equal((await failure(cl.createMultipartUpload(BUCKET, 'gcm-mp', { dataSize: 2 * PART, partSize: PART }))).code, 'InvalidArgument');
    // uploadFile sends a GCM file in one PUT even when it is larger than a part.
    const file = join(work, 'gcm.src');
    const big = markedBytes(PART + 33, 91);
    writeFileSync(file, big);
    assert.equal((await uploadFile(cl, BUCKET, 'gcm-file.bin', file, { partSize: PART })).multipart, false);
    const out = join(work, 'gcm.out');
    assert.equal((await downloadFile(cl, BUCKET, 'gcm-file.bin', out)).verified, true);
    assert.ok(readFileSync(out).equals(big));
  } finally {
    cl.close();
    aes.close();
  }
});

test('an object written by hand in the OSS format through ali-oss (x-oss-meta-*) is read by the SDK', { timeout: SUITE_TIMEOUT_MS }, async () => {
  // What an OSS crypto client does, from the format alone: a random key, an IV of 8 random
  // bytes and a small big-endian counter, both RSA-PKCS#1-v1.5 encrypted, AES-256-CTR content.
  const cek = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.from([0, 0, 0, 0]), randomBytes(4)]);
  const wrap = (b: Buffer) => publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, b).toString('base64');
  const ctr = (b: Buffer) => { const x = createCipheriv('aes-256-ctr', cek, iv); return Buffer.concat([x.update(b), x.final()]); };
  const envelope = (plain: Buffer, extra: Record<string, string> = {}) => ({
    'client-side-encryption-key': wrap(cek), 'client-side-encryption-start': wrap(iv),
    'client-side-encryption-cek-alg': 'AES/CTR/NoPadding', 'client-side-encryption-wrap-alg': 'RSA/NONE/PKCS1Padding',
    'client-side-encryption-matdesc': '{"by":"hand"}',
    'client-side-encryption-unencrypted-content-length': String(plain.length),
    'client-side-encryption-unencrypted-content-md5': createHash('md5').update(plain).digest('base64'),
    ...extra,
  });
  const single = markedBytes(70_000, 61);
  await oss.put('by-hand.bin', ctr(single), { meta: envelope(single) as never });
  const big = markedBytes(2 * PART + 5, 62);
  await oss.multipartUpload('by-hand-mp.bin', ctr(big), {
    partSize: PART, parallel: 2,
    meta: envelope(big, { 'client-side-encryption-data-size': String(big.length), 'client-side-encryption-part-size': String(PART) }) as never,
  });
  const cl = client(new RsaMasterKey({ privateKeyPem: rsa.privateKey }));
  try {
    assert.ok((await cl.getObject(BUCKET, 'by-hand.bin')).equals(single));
    assert.ok((await cl.getObject(BUCKET, 'by-hand.bin', { range: { start: 4097, end: 9000 } })).equals(single.subarray(4097, 9001)));
    assert.deepEqual((await cl.headEnvelope(BUCKET, 'by-hand.bin')).envelope.matDesc, { by: 'hand' });
    assert.ok((await cl.getObject(BUCKET, 'by-hand-mp.bin')).equals(big));
    assert.ok((await cl.getObject(BUCKET, 'by-hand-mp.bin', { range: { start: PART - 7, end: PART + 7 } })).equals(big.subarray(PART - 7, PART + 8)));
  } finally {
    cl.close();
  }
});

/** Every file under `dir` that contains `needle`. */
function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) found.push(...filesContaining(path, needle));
    else if (st.isFile() && readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

test('at rest: no chunk file or meta store of any zone holds the marker; a plain object\'s marker is found (the scan can fail)', { timeout: SUITE_TIMEOUT_MS }, async () => {
  // Every encrypted object above carries MARKER every 4 KiB of its plaintext.
  assert.deepEqual(filesContaining(c.root, Buffer.from(MARKER, 'latin1')), []);
  const control = 'ZONESTORE-PLAINTEXT-CONTROL-51c2';
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'control.txt', Body: Buffer.from(control.repeat(2000)) }));
  assert.ok(filesContaining(c.root, Buffer.from(control, 'latin1')).length > 0, 'an unencrypted object must show on disk, or the scan proves nothing');
});
