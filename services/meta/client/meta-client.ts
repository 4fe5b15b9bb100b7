// The client other services use to talk to the metadata cluster. Any replica serves any call
// (followers forward writes and answer linearizable reads), so the client sticks to one replica
// and moves to the next when that one is unreachable or has no leader, retrying until a
// deadline. Reads are retried freely; a write is retried only when it certainly did not apply
// (OutcomeUnknown is surfaced to the caller, who may check and retry). Refusals arrive as
// MetaError with the S3-style code.
import type { MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { status as grpcStatus } from '@grpc/grpc-js';
import { MetaService } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { createClient, isServiceError, type ServiceClient } from '../../common/grpc/service-client.ts';
import { boundTarget } from '../../common/grpc/local-address-resolver.ts';
import { MetaError, isMetaError } from '../meta-error.ts';
import { fromServiceError } from '../rpc/meta-error-status.ts';

type Methods = (typeof MetaService)['method'];
export type UnaryMethodName = { [K in keyof Methods]: Methods[K]['methodKind'] extends 'unary' ? K : never }[keyof Methods];
export type MetaRequest<K extends keyof Methods> = MessageInitShape<Methods[K]['input']>;
export type MetaResponse<K extends keyof Methods> = MessageShape<Methods[K]['output']>;

/** Calls that change state (answered by the leader, maybe after forwarding). */
const WRITES: ReadonlySet<UnaryMethodName> = new Set<UnaryMethodName>([
  'createBucket', 'deleteBucket', 'putBucketConfig', 'putBucketVersioning', 'putObject', 'deleteObject',
  'appendObject', 'putObjectTagging', 'deleteObjectTagging', 'putObjectAcl', 'transitionObject',
  'initiateBucketWorm', 'completeBucketWorm', 'abortBucketWorm', 'extendBucketWorm',
  'putObjectLockConfiguration', 'putObjectRetention', 'putObjectLegalHold',
  'createMultipartUpload', 'putPart', 'completeMultipartUpload', 'abortMultipartUpload',
  'registerDataNode', 'reportDataNodeHealth', 'ackGarbage', 'addRepairedShards',
  'createAccount', 'createUser', 'deleteUser', 'createAccessKey', 'updateAccessKey', 'deleteAccessKey',
  'putUserPolicy', 'deleteUserPolicy',
  'createKmsKey', 'updateKmsKey', 'rotateKmsKey', 'putKmsImportParameters', 'importKmsKeyMaterial', 'createKmsAlias', 'deleteKmsAlias',
]);

export interface MetaClientOptions {
  /** API addresses of the replicas (any subset works; more is more available). */
  addresses: string[];
  /** Local IP outgoing connections bind (a zone's own address). */
  localAddress?: string;
  /** Deadline of one attempt. */
  callTimeoutMs?: number;
  /** Give up retrying after this long. */
  retryForMs?: number;
}

/** Transport outcomes that mean the replica did not answer. */
const NO_ANSWER: ReadonlySet<number> = new Set([grpcStatus.DEADLINE_EXCEEDED, grpcStatus.UNAVAILABLE]);

/**
 * One attempt's deadline is well under the retry budget, so a read that meets a silent replica
 * still has time for the others.
 */
export const META_CLIENT_DEFAULTS = {
  callTimeoutMs: 8_000,
  retryForMs: 20_000,
  retryPauseMs: 50,
} as const;

type Client = ServiceClient<Methods>;

export class MetaClient {
  private readonly clients: Client[];
  private preferred = 0;
  private readonly callTimeoutMs: number;
  private readonly retryForMs: number;

  constructor(private readonly opts: MetaClientOptions) {
    if (opts.addresses.length === 0) throw new Error('MetaClient needs at least one replica address');
    this.callTimeoutMs = opts.callTimeoutMs ?? META_CLIENT_DEFAULTS.callTimeoutMs;
    this.retryForMs = opts.retryForMs ?? META_CLIENT_DEFAULTS.retryForMs;
    this.clients = opts.addresses.map((a) => createClient(MetaService, boundTarget(a, opts.localAddress), {
      channelOptions: {
        'grpc.enable_http_proxy': 0,
        'grpc.initial_reconnect_backoff_ms': 50,
        'grpc.max_reconnect_backoff_ms': 1_000,
      },
    }));
  }

  async call<K extends UnaryMethodName>(method: K, request: MetaRequest<K>): Promise<MetaResponse<K>> {
    const write = WRITES.has(method);
    const deadline = Date.now() + this.retryForMs;
    let last: MetaError | undefined;
    for (let attempt = 0; ; attempt++) {
      const i = (this.preferred + attempt) % this.clients.length;
      const fn = this.clients[i]![method] as unknown as (r: MetaRequest<K>, o: { timeoutMs: number }) => Promise<MetaResponse<K>>;
      try {
        const res = await fn(request, { timeoutMs: this.callTimeoutMs });
        this.preferred = i;
        return res;
      } catch (err) {
        const e = isServiceError(err) ? fromServiceError(err, write) : err;
        // No answer at all (timeout, connection lost): that replica may be paused or cut off, and
        // sticking to it would fail every later call the same way. The next call starts elsewhere.
        if (isServiceError(err) && NO_ANSWER.has(err.code) && this.preferred === i) this.preferred = (i + 1) % this.clients.length;
        if (!isMetaError(e)) throw e;
        const retryable = e.code === 'ServiceUnavailable' || e.code === 'NotLeader';
        if (!retryable || Date.now() >= deadline) throw e;
        last = e;
      }
      // A full round without success: pause before the next one.
      if ((attempt + 1) % this.clients.length === 0) {
        if (Date.now() >= deadline) throw last ?? new MetaError('ServiceUnavailable', 'no replica answered');
        await new Promise((r) => setTimeout(r, META_CLIENT_DEFAULTS.retryPauseMs));
      }
    }
  }

  /** The Watch stream from the preferred replica (reconnecting is the caller's business). */
  watch(fromIndex: bigint) {
    return this.clients[this.preferred]!.watch({ fromIndex });
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
