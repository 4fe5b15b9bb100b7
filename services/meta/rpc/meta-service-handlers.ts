// MetaService over a replica: each write becomes a command (RequestRouter), each read waits
// for ReadIndex and then reads the local store. Refusals become gRPC statuses with the S3-style
// code in trailing metadata (meta-error-status.ts).
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import {
  ListGarbageResponseSchema, StatusResponseSchema, type MetaService,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import type { Command } from '../../common/gen/zonestore/meta/v1/command_pb.ts';
import type { HandlersOf } from '../../common/grpc/service-definition.ts';
import type { RaftHost } from '../../raft/host/raft-host.ts';
import { MAX_LIST_GARBAGE } from '../limits.ts';
import { MetaError, isMetaError } from '../meta-error.ts';
import { listGarbage } from '../gc/garbage-queue.ts';
import { getBucket, getBucketStat, getPlacementMap, listBuckets } from '../queries/bucket-queries.ts';
import { getObject, listObjectVersions, listObjects } from '../queries/object-queries.ts';
import { pageSize } from '../queries/query-limits.ts';
import { getMultipartUpload, listMultipartUploads, listParts } from '../queries/upload-queries.ts';
import { getAccessKey, getUser, listAccessKeys, listAccounts, listUsers } from '../queries/identity-queries.ts';
import { getKmsKey, listKmsAliases, listKmsKeys } from '../queries/kms-queries.ts';
import type { CommandOutcome } from '../state/meta-state-machine.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import { fetchSnapshotHandler } from '../snapshot/snapshot-server.ts';
import { watchHandler } from '../feed/watch-handler.ts';
import type { MetaStateMachine } from '../state/meta-state-machine.ts';
import { LeaderForwarder } from './leader-forwarder.ts';
import { toServiceError } from './meta-error-status.ts';
import { metaErrorOfRaft } from './raft-outcome.ts';
import type { RequestRouter } from './request-router.ts';

export interface MetaServiceDeps {
  host: RaftHost<CommandOutcome>;
  sm: MetaStateMachine;
  store: MetaStateStore;
  router: RequestRouter;
  zone: string;
  /** API address of every replica, this one included. */
  apiAddresses: Record<string, string>;
  log: Logger;
}

type Op = Command['op'];
type OpCase = NonNullable<Op['case']>;
type OpValue<K extends OpCase> = Extract<Op, { case: K }>['value'];

export function metaServiceHandlers(deps: MetaServiceDeps): HandlersOf<typeof MetaService> {
  const { host, store, router, log } = deps;

  function fail(err: unknown): Partial<grpc.StatusObject> {
    const e = metaErrorOfRaft(err, router.apiAddressOf);
    if (isMetaError(e)) return toServiceError(e);
    log.error({ err: e }, 'meta request failed unexpectedly');
    return toServiceError(new MetaError('InternalError', (e as Error)?.message ?? String(e)));
  }

  function write<K extends OpCase, Res>(method: string, opCase: K): grpc.handleUnaryCall<OpValue<K>, Res> {
    return (call, callback) => {
      const forwarded = LeaderForwarder.wasForwarded(call.metadata);
      router.write<Res>(method, { case: opCase, value: call.request } as Op, forwarded).then(
        (res) => callback(null, res), (err: unknown) => callback(fail(err)));
    };
  }

  function read<Req, Res>(query: (req: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      router.linearize().then(() => query(call.request)).then(
        (res) => callback(null, res), (err: unknown) => callback(fail(err)));
    };
  }

  return {
    createBucket: write('createBucket', 'createBucket'),
    deleteBucket: write('deleteBucket', 'deleteBucket'),
    putBucketConfig: write('putBucketConfig', 'putBucketConfig'),
    putBucketVersioning: write('putBucketVersioning', 'putBucketVersioning'),
    getBucket: read((req) => getBucket(store, req)),
    listBuckets: read((req) => listBuckets(store, req)),
    getBucketStat: read((req) => getBucketStat(store, req)),

    putObject: write('putObject', 'putObject'),
    deleteObject: write('deleteObject', 'deleteObject'),
    appendObject: write('appendObject', 'appendObject'),
    putObjectTagging: write('putObjectTagging', 'putObjectTagging'),
    deleteObjectTagging: write('deleteObjectTagging', 'deleteObjectTagging'),
    putObjectAcl: write('putObjectAcl', 'putObjectAcl'),
    transitionObject: write('transitionObject', 'transitionObject'),
    initiateBucketWorm: write('initiateBucketWorm', 'initiateBucketWorm'),
    completeBucketWorm: write('completeBucketWorm', 'completeBucketWorm'),
    abortBucketWorm: write('abortBucketWorm', 'abortBucketWorm'),
    extendBucketWorm: write('extendBucketWorm', 'extendBucketWorm'),
    putObjectLockConfiguration: write('putObjectLockConfiguration', 'putObjectLockConfiguration'),
    putObjectRetention: write('putObjectRetention', 'putObjectRetention'),
    putObjectLegalHold: write('putObjectLegalHold', 'putObjectLegalHold'),
    getObject: read((req) => getObject(store, req)),
    listObjects: read((req) => listObjects(store, req)),
    listObjectVersions: read((req) => listObjectVersions(store, req)),

    createMultipartUpload: write('createMultipartUpload', 'createMultipartUpload'),
    putPart: write('putPart', 'putPart'),
    completeMultipartUpload: write('completeMultipartUpload', 'completeMultipartUpload'),
    abortMultipartUpload: write('abortMultipartUpload', 'abortMultipartUpload'),
    getMultipartUpload: read((req) => getMultipartUpload(store, req)),
    listParts: read((req) => listParts(store, req)),
    listMultipartUploads: read((req) => listMultipartUploads(store, req)),

    registerDataNode: write('registerDataNode', 'registerDataNode'),
    reportDataNodeHealth: write('reportDataNodeHealth', 'reportDataNodeHealth'),
    getPlacementMap: read(() => getPlacementMap(store)),

    listGarbage: read(async (req) => create(ListGarbageResponseSchema, {
      items: await listGarbage(store, pageSize(req.maxItems, MAX_LIST_GARBAGE)),
    })),
    ackGarbage: write('ackGarbage', 'ackGarbage'),
    addRepairedShards: write('addRepairedShards', 'addRepairedShards'),

    createAccount: write('createAccount', 'createAccount'),
    createUser: write('createUser', 'createUser'),
    deleteUser: write('deleteUser', 'deleteUser'),
    createAccessKey: write('createAccessKey', 'createAccessKey'),
    updateAccessKey: write('updateAccessKey', 'updateAccessKey'),
    deleteAccessKey: write('deleteAccessKey', 'deleteAccessKey'),
    putUserPolicy: write('putUserPolicy', 'putUserPolicy'),
    deleteUserPolicy: write('deleteUserPolicy', 'deleteUserPolicy'),
    listAccounts: read(() => listAccounts(store)),
    getUser: read((req) => getUser(store, req)),
    listUsers: read((req) => listUsers(store, req)),
    getAccessKey: read((req) => getAccessKey(store, req)),
    listAccessKeys: read((req) => listAccessKeys(store, req)),

    createKmsKey: write('createKmsKey', 'createKmsKey'),
    updateKmsKey: write('updateKmsKey', 'updateKmsKey'),
    rotateKmsKey: write('rotateKmsKey', 'rotateKmsKey'),
    putKmsImportParameters: write('putKmsImportParameters', 'putKmsImportParameters'),
    importKmsKeyMaterial: write('importKmsKeyMaterial', 'importKmsKeyMaterial'),
    createKmsAlias: write('createKmsAlias', 'createKmsAlias'),
    deleteKmsAlias: write('deleteKmsAlias', 'deleteKmsAlias'),
    getKmsKey: read((req) => getKmsKey(store, req)),
    listKmsKeys: read((req) => listKmsKeys(store, req)),
    listKmsAliases: read((req) => listKmsAliases(store, req)),

    watch: watchHandler({ sm: deps.sm, store, router, fail }),
    fetchSnapshot: fetchSnapshotHandler({ store, fail }),

    status(_call, callback) {
      const s = host.status();
      callback(null, create(StatusResponseSchema, {
        id: s.id, role: s.role, leader: s.leader, leaderAddress: deps.apiAddresses[s.leader] ?? '',
        term: BigInt(s.term), commit: BigInt(s.commit), applied: BigInt(store.appliedIndex),
        snapshotIndex: BigInt(s.snapshotIndex), zone: deps.zone,
        replicas: Object.entries(deps.apiAddresses).sort().map(([id, apiAddress]) => ({ id, apiAddress })),
      }));
    },
  };
}
