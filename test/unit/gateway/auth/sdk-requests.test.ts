// What the real @aws-sdk/client-s3 and its presigner send, received by a plain node:http
// server on a free port and run through authenticate() + openRequestBody(): every request must
// verify and decode to the bytes the SDK was given. No gateway here, just this module.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type Authentication, authenticate, type BodyDigests, openRequestBody, readBodyFully,
} from '../../../../services/gateway/auth/index.ts';
import { isStoreError } from '../../../../services/gateway/errors/store-error.ts';
import { lookupOf } from './auth-fixtures.ts';

const CREDENTIAL = { accessKeyId: 'ZSTESTKEY00000000001', secretAccessKey: 'test/secret+key=with/odd+chars', principal: 'tester' };

interface Seen {
  method: string;
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  auth: Authentication;
  data: Buffer;
  digests: BodyDigests;
}

let server: Server;
let endpoint: string;
let seen: Seen[] = [];

before(async () => {
  server = createServer((req, res) => {
    void (async () => {
      try {
        const view = { method: req.method!, rawUrl: req.url!, headers: req.headers };
        const auth = await authenticate(view, lookupOf(CREDENTIAL), Date.now());
        const body = openRequestBody(req, req.headers, auth);
        const data = await readBodyFully(body, 64 * 1024 * 1024);
        const digests = body.digests();
        seen.push({ ...view, auth, data, digests });
        if (req.url!.includes('list-type=2')) {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            + '<Name>b</Name><KeyCount>0</KeyCount><MaxKeys>7</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>');
        } else if (req.method === 'GET') {
          res.writeHead(200, { 'content-length': '5', etag: '"x"' });
          res.end('hello');
        } else {
          const headers: Record<string, string> = { etag: `"${digests.md5Hex}"` };
          for (const [alg, v] of Object.entries(digests.checksums)) headers[`x-amz-checksum-${alg}`] = v;
          res.writeHead(200, headers);
          res.end();
        }
      } catch (err) {
        const e = isStoreError(err) ? err : { status: 500, code: 'InternalError', message: String(err) };
        res.writeHead(e.status, { 'content-type': 'application/xml', connection: 'close' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: 'us-east-1', endpoint, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: CREDENTIAL.accessKeyId, secretAccessKey: CREDENTIAL.secretAccessKey },
    ...overrides,
  });
}

function last(): Seen {
  const s = seen.at(-1);
  assert.ok(s, 'the server saw no verified request');
  return s;
}

const KEYS = [
  'plain.txt', 'with space/and more spaces.txt', 'ünïcødé/日本語/émoji-😀.bin', 'a+b=c&d?e#f', "quote's (paren) !star*", '~tilde%percent',
  'dir//double/', '-_.~unreserved',
];
const DATA = Buffer.from(Array.from({ length: 200_003 }, (_, i) => (i * 7 + 3) & 0xff));

describe('@aws-sdk/client-s3 requests verify and decode', () => {
  test('PutObject with a Buffer body, every awkward key', async () => {
    const s3 = client();
    for (const Key of KEYS) {
      seen = [];
      await s3.send(new PutObjectCommand({ Bucket: 'bucket', Key, Body: DATA, Metadata: { note: 'héllo wörld' }, ContentType: 'application/x-test' }));
      const s = last();
      assert.ok(s.data.equals(DATA), Key);
      assert.equal(s.digests.md5Hex, createHash('md5').update(DATA).digest('hex'));
      assert.ok(!s.auth.anonymous);
    }
  });

  test('PutObject with a stream body: STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer', async () => {
    seen = [];
    await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: 'streamed key+1', Body: Readable.from([DATA.subarray(0, 70_000), DATA.subarray(70_000)]), ContentLength: DATA.length }));
    const s = last();
    assert.ok(!s.auth.anonymous && s.auth.payload.kind === 'streaming-unsigned-trailer', JSON.stringify(!s.auth.anonymous && s.auth.payload));
    assert.equal(s.headers['x-amz-trailer'], 'x-amz-checksum-crc32');
    assert.ok(s.data.equals(DATA));
    assert.ok(s.digests.checksums.crc32);
  });

  test('PutObject asking for CRC64NVME and SHA256 checksums', async () => {
    for (const ChecksumAlgorithm of ['CRC64NVME', 'SHA256', 'CRC32C', 'SHA1'] as const) {
      seen = [];
      const res = await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: `k-${ChecksumAlgorithm}`, Body: Readable.from([DATA]), ContentLength: DATA.length, ChecksumAlgorithm }));
      const alg = ChecksumAlgorithm.toLowerCase() as keyof BodyDigests['checksums'];
      assert.ok(last().data.equals(DATA));
      assert.ok(last().digests.checksums[alg], `${ChecksumAlgorithm} computed`);
      assert.equal(res[`Checksum${ChecksumAlgorithm}` as 'ChecksumCRC32'], last().digests.checksums[alg]);
    }
  });

  test('UploadPart with a stream body', async () => {
    seen = [];
    await client().send(new UploadPartCommand({ Bucket: 'bucket', Key: 'mp/ü k', UploadId: 'up+id/==', PartNumber: 3, Body: Readable.from([DATA]), ContentLength: DATA.length }));
    assert.ok(last().data.equals(DATA));
    assert.match(last().rawUrl, /partNumber=3/);
  });

  test('ListObjectsV2 with prefix, delimiter, start-after and a continuation token', async () => {
    seen = [];
    await client().send(new ListObjectsV2Command({
      Bucket: 'bucket', Prefix: 'a dir/ü+=&', Delimiter: '/', MaxKeys: 7, ContinuationToken: 'tok/en+=', StartAfter: "it's (1)",
    }));
    assert.match(last().rawUrl, /list-type=2/);
  });

  test('GetObject with a Range, from a client configured for another region', async () => {
    seen = [];
    const res = await client({ region: 'eu-central-1' }).send(new GetObjectCommand({ Bucket: 'bucket', Key: KEYS[2]!, Range: 'bytes=0-4' }));
    assert.equal(await res.Body!.transformToString(), 'hello');
    const s = last();
    assert.ok(!s.auth.anonymous && s.auth.region === 'eu-central-1');
  });

  test('a wrong secret is refused as SignatureDoesNotMatch; an unknown key as InvalidAccessKeyId', async () => {
    await assert.rejects(client({ credentials: { accessKeyId: CREDENTIAL.accessKeyId, secretAccessKey: 'wrong' } })
      .send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'x' })), (err: Error) => err.name === 'SignatureDoesNotMatch');
    await assert.rejects(client({ credentials: { accessKeyId: 'NOPE', secretAccessKey: 'wrong' } })
      .send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k' })), (err: Error) => err.name === 'InvalidAccessKeyId');
  });

  test('a Content-MD5 that does not match is BadDigest', async () => {
    await assert.rejects(client().send(new PutObjectCommand({
      Bucket: 'bucket', Key: 'k', Body: DATA, ContentMD5: createHash('md5').update('other').digest('base64'),
    })), (err: Error) => err.name === 'BadDigest');
  });
});

describe('@aws-sdk/s3-request-presigner URLs verify', () => {
  test('presigned GET for every awkward key, fetched as-is', async () => {
    for (const Key of KEYS) {
      seen = [];
      const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'bucket', Key, ResponseContentDisposition: 'attachment; filename="x y.txt"' }), { expiresIn: 300 });
      const res = await fetch(url);
      assert.equal(res.status, 200, `${Key}: ${await res.clone().text()}`);
      assert.equal(await res.text(), 'hello');
      assert.ok(!last().auth.anonymous);
    }
  });

  test('presigned PUT, the body sent by fetch', async () => {
    seen = [];
    const url = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'bucket', Key: 'up load/ü+.bin' }), { expiresIn: 300 });
    const res = await fetch(url, { method: 'PUT', body: DATA });
    assert.equal(res.status, 200, await res.clone().text());
    const s = last();
    assert.ok(s.data.equals(DATA));
    assert.ok(!s.auth.anonymous && s.auth.payload.kind === 'unsigned');
  });

  test('a presigned URL with its signature altered is SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'bucket', Key: 'k' }), { expiresIn: 300 });
    const res = await fetch(url.replace(/bucket\/k/, 'bucket/j'));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });
});
