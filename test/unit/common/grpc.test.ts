import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  GetResponseSchema, KvService, PutResponseSchema, StatusResponseSchema,
} from '../../../services/common/gen/zonestore/kv/v1/kv_pb.ts';
import {
  MessageBatchSchema, MessageSchema, MessageType, RaftTransportService, SendAckSchema,
} from '../../../services/common/gen/zonestore/raft/v1/raft_pb.ts';
import { addService, bindInsecure, shutdownServer } from '../../../services/common/grpc/service-definition.ts';
import { createClient, isServiceError } from '../../../services/common/grpc/service-client.ts';
import { boundTarget } from '../../../services/common/grpc/local-address-resolver.ts';
import { canListenOn } from '../../../services/common/free-ports.ts';

const TEST_TIMEOUT_MS = 15_000;

test('unary calls round-trip generated messages and carry status errors', { timeout: TEST_TIMEOUT_MS }, async () => {
  const server = new grpc.Server();
  let peer = '';
  addService(server, KvService, {
    put: (call, cb) => {
      peer = call.getPeer();
      cb(null, create(PutResponseSchema, { index: BigInt(call.request.value.length) }));
    },
    get: (_call, cb) => {
      const md = new grpc.Metadata();
      md.set('x-leader-kv-addr', '127.0.0.1:1');
      cb({ code: grpc.status.FAILED_PRECONDITION, details: 'not leader', metadata: md });
    },
    status: (_call, cb) => cb(null, create(StatusResponseSchema, { id: 'z1', term: 7n })),
  });
  const port = await bindInsecure(server, '127.0.0.1:0');
  const client = createClient(KvService, `127.0.0.1:${port}`);
  try {
    const put = await client.put({ key: new Uint8Array([1]), value: new Uint8Array(128) }, { timeoutMs: 5000 });
    assert.equal(put.index, 128n);
    assert.match(peer, /^(ipv4:)?127\.0\.0\.1:/);
    const st = await client.status({});
    assert.equal(st.id, 'z1');
    assert.equal(st.term, 7n);
    await assert.rejects(client.get({ key: new Uint8Array([1]) }), (err: unknown) => {
      assert.ok(isServiceError(err));
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION);
      assert.deepEqual(err.metadata.get('x-leader-kv-addr'), ['127.0.0.1:1']);
      return true;
    });
  } finally {
    client.close();
    await shutdownServer(server, 1000);
  }
});

test('client streaming delivers batches in order', { timeout: TEST_TIMEOUT_MS }, async () => {
  const server = new grpc.Server();
  const received: string[] = [];
  addService(server, RaftTransportService, {
    stream: (call, cb) => {
      call.on('data', (batch) => {
        for (const m of batch.messages) received.push(`${m.from}:${m.index}`);
      });
      call.on('end', () => cb(null, create(SendAckSchema)));
    },
  });
  const port = await bindInsecure(server, '127.0.0.1:0');
  const client = createClient(RaftTransportService, `127.0.0.1:${port}`);
  try {
    const done = new Promise<void>((resolve, reject) => {
      const call = client.stream((err) => (err ? reject(err) : resolve()));
      for (let i = 1; i <= 100; i++) {
        call.write(create(MessageBatchSchema, {
          messages: [create(MessageSchema, { type: MessageType.APPEND, from: 'a', index: BigInt(i) })],
        }));
      }
      call.end();
    });
    await done;
    assert.deepEqual(received, Array.from({ length: 100 }, (_, i) => `a:${i + 1}`));
  } finally {
    client.close();
    await shutdownServer(server, 1000);
  }
});

// 127.0.0.0/8 is all loopback on Linux; elsewhere (stock macOS) only 127.0.0.1 exists.
const zoneLoopback = await canListenOn('127.0.0.12');

test('boundTarget makes the outgoing socket use the given local address', { timeout: TEST_TIMEOUT_MS, skip: !zoneLoopback && 'no 127.0.0.12 on this machine' }, async () => {
  const server = new grpc.Server();
  let peer = '';
  addService(server, KvService, {
    put: (_call, cb) => cb(null, create(PutResponseSchema)),
    get: (_call, cb) => cb(null, create(GetResponseSchema)),
    status: (call, cb) => {
      peer = call.getPeer();
      cb(null, create(StatusResponseSchema));
    },
  });
  const port = await bindInsecure(server, '127.0.0.1:0');
  const client = createClient(KvService, boundTarget(`127.0.0.1:${port}`, '127.0.0.12'));
  try {
    await client.status({}, { timeoutMs: 5000 });
    assert.match(peer, /^(ipv4:)?127\.0\.0\.12:\d+$/);
  } finally {
    client.close();
    await shutdownServer(server, 1000);
  }
});
