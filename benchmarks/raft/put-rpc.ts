// The one gRPC client design both systems are driven with: raw grpc-js unary calls whose
// bodies are protobuf-es messages, so the only per-system difference is the method path and
// the message schema. Kept inside benchmarks/ on purpose: the benchmark must not change when
// the service glue in services/common/ does.
import * as grpc from '@grpc/grpc-js';
import { create, toBinary, fromBinary } from '@bufbuild/protobuf';
import * as etcd from '../../services/common/gen/etcd/rpc_pb.ts';
import * as kv from '../../services/common/gen/zonestore/kv/v1/kv_pb.ts';

export type SystemName = 'etcd' | 'zonestore';
export const SYSTEMS: readonly SystemName[] = ['etcd', 'zonestore'];

export interface PutProtocol {
  readonly methodPath: string;
  encodePut(key: Uint8Array, value: Uint8Array): Buffer;
  /** Decodes (and so validates) a reply; both sides pay the same decode cost. */
  decodePut(reply: Buffer): void;
}

export const PUT_PROTOCOLS: Record<SystemName, PutProtocol> = {
  etcd: {
    methodPath: '/etcdserverpb.KV/Put',
    encodePut: (key, value) => Buffer.from(toBinary(etcd.PutRequestSchema, create(etcd.PutRequestSchema, { key, value }))),
    decodePut: (reply) => void fromBinary(etcd.PutResponseSchema, reply),
  },
  zonestore: {
    methodPath: '/zonestore.kv.v1.KvService/Put',
    encodePut: (key, value) => Buffer.from(toBinary(kv.PutRequestSchema, create(kv.PutRequestSchema, { key, value }))),
    decodePut: (reply) => void fromBinary(kv.PutResponseSchema, reply),
  },
};

/**
 * A client with its own HTTP/2 connection. grpc-js pools subchannels process-wide by target
 * and options, so without a local pool and a distinct option every "channel" would share one
 * connection and the load would not be spread.
 */
export function openChannel(address: string, channelIndex: number): grpc.Client {
  return new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'zonestore.bench.channel_index': channelIndex,
  });
}

export function waitForChannelReady(client: grpc.Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
  });
}

const passThrough = (b: Buffer): Buffer => b;

/** One unary call with raw bytes in and out; rejects with a grpc.ServiceError. */
export function unaryCall(client: grpc.Client, methodPath: string, request: Buffer, deadlineMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      methodPath,
      passThrough,
      passThrough,
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + deadlineMs },
      (err, reply) => (err ? reject(err) : resolve(reply!)),
    );
  });
}

/** zonestore's Status RPC, used to find the leader before every cell. */
export async function zonestoreStatus(client: grpc.Client, deadlineMs: number): Promise<kv.StatusResponse> {
  const request = Buffer.from(toBinary(kv.StatusRequestSchema, create(kv.StatusRequestSchema)));
  const reply = await unaryCall(client, '/zonestore.kv.v1.KvService/Status', request, deadlineMs);
  return fromBinary(kv.StatusResponseSchema, reply);
}
