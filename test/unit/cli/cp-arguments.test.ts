// `zonestore cp` argument reading: object URLs, direction, AES key files, sizes, and where the
// endpoint and credentials come from (flags before the environment before the local cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpDirection, parseAesKeyFile, parseByteSize, parseObjectUrl, resolveConnection } from '../../../services/cli/cp/cp-arguments.ts';

test('object URLs and the copy direction', () => {
  assert.deepEqual(parseObjectUrl('s3://b/a/b.txt'), { bucket: 'b', key: 'a/b.txt' });
  assert.equal(parseObjectUrl('./file'), undefined);
  assert.throws(() => parseObjectUrl('s3://bucket-only'), /s3:\/\/<bucket>\/<key>/);
  assert.deepEqual(cpDirection('dir/f.bin', 's3://b/k'), { kind: 'upload', file: 'dir/f.bin', object: { bucket: 'b', key: 'k' } });
  assert.deepEqual(cpDirection('dir/f.bin', 's3://b/p/'), { kind: 'upload', file: 'dir/f.bin', object: { bucket: 'b', key: 'p/f.bin' } });
  assert.deepEqual(cpDirection('s3://b/k', 'out'), { kind: 'download', object: { bucket: 'b', key: 'k' }, file: 'out' });
  assert.throws(() => cpDirection('s3://b/k', 's3://b/j'), /one side must be a local file/);
  assert.throws(() => cpDirection('a', 'b'), /object URL/);
  assert.throws(() => cpDirection('s3://b/p/', 'out'), /not a prefix/);
});

test('AES key files: raw, hex or base64 32 bytes', () => {
  const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
  assert.deepEqual(parseAesKeyFile(key), key);
  assert.deepEqual(parseAesKeyFile(Buffer.from(`${key.toString('hex')}\n`)), key);
  assert.deepEqual(parseAesKeyFile(Buffer.from(`${key.toString('base64')}\n`)), key);
  assert.throws(() => parseAesKeyFile(Buffer.alloc(16)), /32 bytes/);
});

test('sizes', () => {
  assert.equal(parseByteSize('8MiB'), 8 * 1024 * 1024);
  assert.equal(parseByteSize('5m'), 5 * 1024 * 1024);
  assert.equal(parseByteSize('1024'), 1024);
  assert.throws(() => parseByteSize('lots'), /not a size/);
});

test('endpoint and key: flags, then AWS_* and ZONESTORE_* variables, then the local cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-args-'));
  try {
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ gatewayEndpoints: ['http://127.0.0.1:1234'] }));
    writeFileSync(join(dir, 'root-credentials.json'), JSON.stringify({ accessKeyId: 'ROOT', secretAccessKey: 'rootsecret' }));
    assert.deepEqual(resolveConnection({ dataDir: dir }, {}), { endpoint: 'http://127.0.0.1:1234', accessKeyId: 'ROOT', secretAccessKey: 'rootsecret' });
    assert.deepEqual(resolveConnection({ dataDir: dir }, { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S', AWS_ENDPOINT_URL: 'http://127.0.0.2:1' }),
      { endpoint: 'http://127.0.0.2:1', accessKeyId: 'A', secretAccessKey: 'S' });
    assert.deepEqual(resolveConnection({ dataDir: dir, endpoint: 'http://127.0.0.3:1', accessKeyId: 'F', secretAccessKey: 'G' }, { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S' }),
      { endpoint: 'http://127.0.0.3:1', accessKeyId: 'F', secretAccessKey: 'G' });
    const empty = mkdtempSync(join(tmpdir(), 'cp-args-'));
    assert.throws(() => resolveConnection({ dataDir: empty }, {}), /no endpoint/);
    assert.throws(() => resolveConnection({ dataDir: empty, endpoint: 'http://127.0.0.1:1' }, {}), /no key/);
    rmSync(empty, { recursive: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
