// RequestFacts from headers and query, both dialects' header names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestFacts } from '../../../../services/gateway/authz/index.ts';

test('headers and query become facts; absent ones stay absent', () => {
  const f = requestFacts({
    currentTime: 5, secureTransport: true, sourceIp: '10.0.0.1', authType: 'REST-HEADER',
    headers: { referer: 'https://a.test/', 'user-agent': 'sdk', 'x-amz-server-side-encryption': 'AES256', 'x-amz-acl': 'private' },
    query: new Map([['prefix', 'home/'], ['max-keys', '100'], ['versionId', 'v1']]),
  });
  assert.deepEqual(f, {
    currentTime: 5, secureTransport: true, sourceIp: '10.0.0.1', authType: 'REST-HEADER', referer: 'https://a.test/', userAgent: 'sdk',
    serverSideEncryption: 'AES256', acl: 'private', prefix: 'home/', maxKeys: 100, versionId: 'v1',
  });
  assert.deepEqual(Object.keys(requestFacts({ currentTime: 0, secureTransport: false, headers: {}, query: new Map() })), ['currentTime', 'secureTransport']);
});

test('OSS header names left as sent are read too; a non-numeric max-keys is absent', () => {
  const f = requestFacts({
    currentTime: 0, secureTransport: true,
    headers: { 'x-oss-server-side-encryption': 'KMS', 'x-oss-server-side-encryption-key-id': 'k1', 'x-oss-object-acl': 'public-read' },
    query: new Map([['max-keys', 'lots']]),
  });
  assert.equal(f.serverSideEncryption, 'KMS');
  assert.equal(f.sseKmsKeyId, 'k1');
  assert.equal(f.acl, 'public-read');
  assert.equal(f.maxKeys, undefined);
});
