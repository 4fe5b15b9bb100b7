// Listings through @aws-sdk/client-s3 (v1 and v2: prefix, delimiter, paging, start-after,
// encoding-type=url, fetch-owner) and read/list-after-write consistency under concurrent
// clients spread over the three zones' gateways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { bodyBytes, s3Client, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const BUCKET = 'listing';
const suite = useS3Cluster({ bucket: BUCKET, timeoutMs: SUITE_TIMEOUT_MS });

const KEYS = [
  'a/1', 'a/2', 'a/b/3', 'a/b/4', 'c', 'd/5', 'e%f', 'sp ace', 'plus+sign', 'uni-ü-€', 'amp&lt<>"\'', 'tab\tkey',
];

test('v2: prefix, delimiter, paging with continuation tokens, start-after, fetch-owner', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await Promise.all(KEYS.map((k) => suite.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: k }))));
  const all = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.deepEqual(all.Contents?.map((o) => o.Key), [...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  assert.equal(all.KeyCount, KEYS.length);
  assert.equal(all.Contents?.[0]?.Owner, undefined, 'no owner without fetch-owner');
  const top = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
  assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'd/']);
  assert.ok(!top.Contents?.some((o) => o.Key!.includes('/')));
  const inA = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'a/', Delimiter: '/' }));
  assert.deepEqual(inA.Contents?.map((o) => o.Key), ['a/1', 'a/2']);
  assert.deepEqual(inA.CommonPrefixes?.map((p) => p.Prefix), ['a/b/']);

  const paged: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 5, ContinuationToken: token, FetchOwner: true }));
    pages++;
    paged.push(...(page.Contents ?? []).map((o) => o.Key!));
    assert.ok(page.Contents?.every((o) => o.Owner?.ID), 'fetch-owner names owners');
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  assert.equal(pages, Math.ceil(KEYS.length / 5));
  assert.deepEqual(paged, all.Contents?.map((o) => o.Key));
  const after = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, StartAfter: 'd/5' }));
  assert.deepEqual(after.Contents?.map((o) => o.Key), all.Contents!.map((o) => o.Key!).filter((k) => k > 'd/5'));
  const none = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 0 }));
  assert.equal(none.KeyCount, 0);
});

test('v1: marker paging and url encoding round-trip odd keys', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const seen: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await suite.s3.send(new ListObjectsCommand({ Bucket: BUCKET, MaxKeys: 4, Marker: marker, EncodingType: 'url' }));
    // The JS SDK leaves url-encoded keys encoded (boto3 and the aws CLI decode them): decode as they do.
    const keys = (page.Contents ?? []).map((o) => decodeURIComponent(o.Key!.replace(/\+/g, ' ')));
    seen.push(...keys);
    if (!page.IsTruncated) break;
    marker = page.NextMarker ? decodeURIComponent(page.NextMarker.replace(/\+/g, ' ')) : keys.at(-1);
  }
  for (const k of KEYS) assert.ok(seen.includes(k), `listed ${JSON.stringify(k)}`);
});

test('read-after-write and list-after-write hold across zones under concurrent writers', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const clients = suite.c.endpoints.map((e) => s3Client(e, suite.c.credentials));
  try {
    const WRITERS = 6;
    const ROUNDS = 10;
    await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      const writer = clients[w % clients.length]!;
      const reader = clients[(w + 1) % clients.length]!;
      for (let r = 0; r < ROUNDS; r++) {
        const key = `raw/${w % 3}`;
        const value = `writer ${w} round ${r}`;
        const ownKey = `law/${w}/${r}`;
        await writer.send(new PutObjectCommand({ Bucket: BUCKET, Key: ownKey, Body: value }));
        // The acknowledged key is listed through another zone's gateway at once.
        const listed = await reader.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `law/${w}/` }));
        assert.ok(listed.Contents?.some((o) => o.Key === ownKey), `${ownKey} listed right after its put`);
        // Shared keys: a read after an acknowledged put sees that value or a later one of
        // another writer, never an older value of this writer.
        await writer.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: value }));
        const got = (await bodyBytes((await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body)).toString();
        const m = /^writer (\d+) round (\d+)$/.exec(got);
        assert.ok(m, `read ${got}`);
        if (Number(m[1]) === w) assert.ok(Number(m[2]) >= r, `writer ${w} read its own older value ${got} after round ${r}`);
      }
    }));
    const own = await suite.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'law/' }));
    assert.equal(own.KeyCount, WRITERS * ROUNDS);
  } finally {
    for (const cl of clients) cl.destroy();
  }
});
