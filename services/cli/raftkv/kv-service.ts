// KvService over a RaftHost: Put is a proposal answered once applied on the leader, Get is a
// linearizable read then a local lookup. A follower refuses both with FAILED_PRECONDITION and
// names the leader's KV address (trailing metadata `x-leader-kv-addr` and the message), so
// a client can redirect without a Status round trip.
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  GetResponseSchema, PutResponseSchema, StatusResponseSchema, type KvService,
} from '../../common/gen/zonestore/kv/v1/kv_pb.ts';
import type { HandlersOf } from '../../common/grpc/service-definition.ts';
import type { RaftHost } from '../../raft/host/raft-host.ts';
import { isRaftHostError, type RaftHostErrorCode } from '../../raft/host/raft-host-error.ts';
import type { NodeId } from '../../raft/types.ts';
import { KvStateMachine, MAX_KEY_BYTES, MAX_VALUE_BYTES, encodePut } from './kv-state-machine.ts';

export const LEADER_KV_ADDR_HEADER = 'x-leader-kv-addr';

const STATUS_BY_CODE: Record<RaftHostErrorCode, grpc.status> = {
  NotLeader: grpc.status.FAILED_PRECONDITION,
  ProposalDropped: grpc.status.ABORTED,
  // The write may still apply: UNAVAILABLE says "unknown outcome, retry if idempotent".
  ProposalTimeout: grpc.status.UNAVAILABLE,
  ProposalOutcomeUnknown: grpc.status.UNAVAILABLE,
  ReadTimeout: grpc.status.UNAVAILABLE,
  Stopped: grpc.status.UNAVAILABLE,
  StorageFailed: grpc.status.INTERNAL,
};

export interface KvServiceDeps {
  host: RaftHost<number>;
  state: KvStateMachine;
  /** KV address of every member, this one included, for redirects. */
  kvAddresses: Record<NodeId, string>;
}

export function kvServiceHandlers(deps: KvServiceDeps): HandlersOf<typeof KvService> {
  const { host, state, kvAddresses } = deps;

  function notLeader(leader: NodeId): grpc.ServiceError {
    const addr = kvAddresses[leader] ?? '';
    const md = new grpc.Metadata();
    if (addr) md.set(LEADER_KV_ADDR_HEADER, addr);
    const details = leader ? `not leader; leader is ${leader} at ${addr || 'unknown address'}` : 'not leader; no leader known yet';
    return Object.assign(new Error(details), { code: grpc.status.FAILED_PRECONDITION, details, metadata: md });
  }

  function toStatus(err: unknown): Partial<grpc.StatusObject> {
    if (isRaftHostError(err, 'NotLeader')) return notLeader(err.leader);
    if (isRaftHostError(err)) return { code: STATUS_BY_CODE[err.code], details: err.message };
    return { code: grpc.status.INTERNAL, details: String(err) };
  }

  function invalid(details: string): Partial<grpc.StatusObject> {
    return { code: grpc.status.INVALID_ARGUMENT, details };
  }

  return {
    put(call, callback) {
      const { key, value } = call.request;
      if (key.length === 0 || key.length > MAX_KEY_BYTES) return callback(invalid(`key must be 1..${MAX_KEY_BYTES} bytes`));
      if (value.length > MAX_VALUE_BYTES) return callback(invalid(`value exceeds ${MAX_VALUE_BYTES} bytes`));
      if (!host.isLeader) return callback(notLeader(host.leader));
      host.propose(encodePut(key, value)).then(
        (index) => callback(null, create(PutResponseSchema, { index: BigInt(index) })),
        (err: unknown) => callback(toStatus(err)),
      );
    },
    get(call, callback) {
      const key = call.request.key;
      if (key.length === 0 || key.length > MAX_KEY_BYTES) return callback(invalid(`key must be 1..${MAX_KEY_BYTES} bytes`));
      if (!host.isLeader) return callback(notLeader(host.leader));
      host.read().then(
        () => {
          const value = state.get(key);
          const index = BigInt(host.applied);
          callback(null, value
            ? create(GetResponseSchema, { found: true, value, index })
            : create(GetResponseSchema, { found: false, index }));
        },
        (err: unknown) => callback(toStatus(err)),
      );
    },
    status(_call, callback) {
      const s = host.status();
      callback(null, create(StatusResponseSchema, {
        id: s.id, leader: s.leader, term: BigInt(s.term), commit: BigInt(s.commit),
        applied: BigInt(s.applied), role: s.role, leaderAddress: kvAddresses[s.leader] ?? '',
      }));
    },
  };
}
