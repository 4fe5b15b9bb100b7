// RaftTransportService.Stream as a grpc-js method definition with the hand-written codec:
// the client writes the core's Message[] and the bytes on the wire are a protobuf
// MessageBatch; the server receives the raw bytes and decodes them itself, so it can count
// (rather than fail on) a malformed message.
import type * as grpc from '@grpc/grpc-js';
import { RaftTransportService, SendAckSchema } from '../../common/gen/zonestore/raft/v1/raft_pb.ts';
import { deserializerFor, methodPath, serializerFor } from '../../common/grpc/service-definition.ts';
import { encodeMessageBatch } from '../codec/raft-wire-codec.ts';
import type { Message } from '../types.ts';

export const RAFT_STREAM = {
  path: methodPath(RaftTransportService.method.stream),
  requestStream: true,
  responseStream: false,
  requestSerialize: (messages: Message[]): Buffer => encodeMessageBatch(messages),
  requestDeserialize: (bytes: Buffer): Buffer => bytes,
  responseSerialize: serializerFor(SendAckSchema),
  responseDeserialize: deserializerFor(SendAckSchema),
};

/** The same, typed the way grpc-js's `Server.addService` expects a service definition. */
export const RAFT_STREAM_SERVICE = { stream: RAFT_STREAM } as unknown as grpc.ServiceDefinition;
