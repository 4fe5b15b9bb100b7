// What the real ali-oss SDK sends — V1 and V4, path-style (`localhost` + sldEnable) and
// virtual-hosted (IP endpoint, `Host: <bucket>.oss-cn-hangzhou.aliyuncs.com`) — received by a
// plain node:http server and run through authenticateOss and openOssBody: every request must
// verify, with the payload mode its signature version implies, and decode to what was sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OSS from 'ali-oss';
import {
  BUCKET, type Captured, type CaptureServer, CREDENTIAL, ossClient, readOssBody, startCaptureServer, type Style, targetOf,
  verify, type Version,
} from './oss-capture.ts';

let server: CaptureServer;
before(async () => {
  server = await startCaptureServer();
});
after(() => server.close());

/** The SDK's typings miss a few methods ali-oss 6.23 has. */
type FullClient = OSS & {
  putObjectTagging(name: string, tag: Record<string, string>): Promise<unknown>;
  getObjectTagging(name: string): Promise<unknown>;
  deleteObjectTagging(name: string): Promise<unknown>;
  getBucketStat(name?: string): Promise<unknown>;
  getObjectMeta(name: string): Promise<unknown>;
  listV2(query: Record<string, unknown>, options?: object): Promise<unknown>;
};

/**
 * Runs one SDK call and returns the requests it made. The capture server answers just enough
 * for most calls to finish; a call that still fails on parsing its answer has sent its request,
 * which is all these tests look at.
 */
async function requestsOf(call: () => Promise<unknown>): Promise<Captured[]> {
  server.take();
  try {
    await call();
  } catch {
    // see above
  }
  const seen = server.take();
  assert.ok(seen.length > 0, 'the SDK sent a request');
  return seen;
}

const KEYS = ['plain.txt', 'dir/a b+c/ünï©ødé 文件.txt', "quote'(star)*!~.txt", 'percent%20literal&amp=x?.bin'];

for (const version of ['v1', 'v4'] as Version[]) {
  for (const style of ['path', 'virtual'] as Style[]) {
    describe(`ali-oss ${version}, ${style}-style`, () => {
      let oss: FullClient;
      before(() => {
        oss = ossClient(server.port, style, version) as FullClient;
      });

      /** Every request of the call verifies; returns them with their authentications. */
      async function verified(call: () => Promise<unknown>) {
        const out = [];
        for (const c of await requestsOf(call)) {
          const auth = await verify(c);
          assert.equal(auth.anonymous, false, `${c.method} ${c.rawUrl}`);
          if (auth.anonymous) continue;
          assert.equal(auth.accessKeyId, CREDENTIAL.accessKeyId);
          assert.equal(auth.principal, CREDENTIAL.principal);
          assert.equal(auth.region, version === 'v4' ? 'cn-hangzhou' : '');
          out.push({ c, auth });
        }
        return out;
      }

      test('addressing: the request names the bucket the way this style does', async () => {
        const [{ c }] = await verified(() => oss.head('plain.txt'));
        if (style === 'virtual') {
          assert.equal(c!.headers.host, `${BUCKET}.oss-cn-hangzhou.aliyuncs.com`);
          assert.equal(c!.rawUrl, '/plain.txt');
        } else {
          assert.match(String(c!.headers.host), /^localhost:\d+$/);
          assert.equal(c!.rawUrl, `/${BUCKET}/plain.txt`);
        }
        assert.deepEqual(targetOf(c!), { bucket: BUCKET, key: 'plain.txt' });
      });

      test('put, get, head, getObjectMeta, delete for keys with spaces, unicode, +, quotes and %', async () => {
        for (const key of KEYS) {
          const data = Buffer.from(`body of ${key}`);
          const [put] = await verified(() => oss.put(key, data, {
            headers: { 'x-oss-meta-author': ' someone ', 'x-oss-object-acl': 'private', 'Content-Type': 'text/plain; charset=utf-8' },
            mime: 'text/plain',
          }));
          assert.deepEqual(targetOf(put!.c), { bucket: BUCKET, key });
          assert.deepEqual(put!.auth.anonymous ? undefined : put!.auth.payload, { kind: 'unsigned' });
          assert.ok(put!.c.headers['content-md5'], 'ali-oss sends Content-MD5 with a buffer');
          assert.deepEqual(await readOssBody(put!.c, put!.auth), data);
          await verified(() => oss.get(key));
          await verified(() => oss.get(key, { subres: { 'response-content-type': 'text/html', 'response-cache-control': 'no-cache' } } as never));
          await verified(() => oss.head(key));
          await verified(() => oss.getObjectMeta(key));
          await verified(() => oss.delete(key));
        }
      });

      test('listing with prefix, marker, delimiter and max-keys; listV2 with a continuation token', async () => {
        const [list] = await verified(() => oss.list({ prefix: 'dir/ü ', marker: 'dir/a+b', delimiter: '/', 'max-keys': 10 }, {}));
        assert.match(list!.c.rawUrl, /prefix=/);
        await verified(() => oss.listV2({ prefix: 'a/', 'max-keys': '2', 'continuation-token': 'tok/en+=' }));
        await verified(() => oss.listV2({ prefix: 'a/', 'start-after': 'a/b' }));
      });

      test('multipart: initiate, upload parts, list parts, complete, abort, list uploads', async () => {
        const key = 'multi part/ü.bin';
        await verified(() => oss.initMultipartUpload(key));
        const part = Buffer.alloc(100 * 1024, 7);
        const [up] = await verified(() => oss.uploadPart(key, 'upload-1', 2, part, 0, part.length));
        assert.match(up!.c.rawUrl, /partNumber=2/);
        assert.deepEqual(await readOssBody(up!.c, up!.auth), part);
        await verified(() => oss.listParts(key, 'upload-1', { 'max-parts': '10', 'part-number-marker': '1' } as never));
        const [complete] = await verified(() => oss.completeMultipartUpload(key, 'upload-1', [{ number: 2, etag: '"e"' }]));
        assert.match((await readOssBody(complete!.c, complete!.auth)).toString(), /<PartNumber>2<\/PartNumber>/);
        await verified(() => oss.abortMultipartUpload(key, 'upload-1'));
        await verified(() => oss.listUploads({ prefix: 'multi', 'max-uploads': 5 }));
      });

      test('tagging, append, symlink, copy, multi-delete, ACL', async () => {
        await verified(() => oss.putObjectTagging('t.txt', { team: 'storage', 'a b': 'c+d' }));
        await verified(() => oss.getObjectTagging('t.txt'));
        await verified(() => oss.deleteObjectTagging('t.txt'));
        const [first] = await verified(() => oss.append('log.txt', Buffer.from('hello')));
        assert.match(first!.c.rawUrl, /append.*position=0/);
        await verified(() => oss.append('log.txt', Buffer.from(' world'), { position: '5' }));
        await verified(() => oss.putSymlink('link.txt', 'dir/target ü.txt'));
        await verified(() => oss.getSymlink('link.txt'));
        const [copy] = await verified(() => oss.copy('copy.txt', 'dir/source ü.txt'));
        assert.ok(copy!.c.headers['x-oss-copy-source'], 'the copy source travels in a signed x-oss header');
        const [del] = await verified(() => oss.deleteMulti(['a', 'b c', 'ü'], { quiet: true }));
        assert.ok(del!.c.headers['content-md5']);
        assert.match((await readOssBody(del!.c, del!.auth)).toString(), /<Key>b c<\/Key>/);
        await verified(() => oss.putACL('acl.txt', 'public-read'));
        await verified(() => oss.getACL('acl.txt'));
      });

      test('bucket and service requests: bucket info, stat, location, ACL, list buckets', async () => {
        await verified(() => oss.getBucketInfo(BUCKET));
        await verified(() => oss.getBucketStat(BUCKET));
        await verified(() => oss.getBucketLocation(BUCKET));
        await verified(() => oss.getBucketACL(BUCKET));
        const [service] = await verified(() => oss.listBuckets({ prefix: 'cap', 'max-keys': '5' }));
        assert.deepEqual({ ...targetOf(service!.c), bucket: targetOf(service!.c).bucket || undefined }, { bucket: undefined });
      });

      test('a range GET', async () => {
        await verified(() => oss.get('plain.txt', { headers: { Range: 'bytes=0-3' } }));
      });

      if (version === 'v4') {
        test('V4: AdditionalHeaders the client chose are signed', async () => {
          const [get] = await verified(() => oss.get('plain.txt', { headers: { Range: 'bytes=0-3' }, additionalHeaders: ['range'] } as never));
          assert.match(String(get!.c.headers.authorization), /AdditionalHeaders=range,/);
        });

        test('V4: an empty query value signed as `name=` (ali-oss\'s spelling) verifies', async () => {
          const [list] = await verified(() => oss.list({ prefix: '', 'max-keys': 10 }, {}));
          assert.match(list!.c.rawUrl, /prefix=(&|$)/);
        });
      } else {
        test('V1: a UTF-8 metadata value sent raw (headerEncoding latin1) is signed byte for byte', async () => {
          const raw = ossClient(server.port, style, version);
          (raw as unknown as { options: { headerEncoding: string } }).options.headerEncoding = 'latin1';
          const [put] = await verified(() => raw.put('meta.txt', Buffer.from('x'), { headers: { 'x-oss-meta-name': '文件 ü' } } as never));
          assert.equal(Buffer.from(String(put!.c.headers['x-oss-meta-name']), 'latin1').toString('utf8'), '文件 ü');
        });
      }
    });
  }
}
