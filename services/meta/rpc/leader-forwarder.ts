// Writes that reach a follower are forwarded to the leader's MetaService (one hop: a forwarded
// request is marked and never forwarded again), so clients may send anything to any replica.
import * as grpc from '@grpc/grpc-js';
import { MetaService } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { createClient, isServiceError, type ServiceClient } from '../../common/grpc/service-client.ts';
import { boundTarget } from '../../common/grpc/local-address-resolver.ts';
import type { NodeId } from '../../raft/types.ts';
import { MetaError } from '../meta-error.ts';
import { FORWARDED_HEADER, fromServiceError } from './meta-error-status.ts';

/** Longer than the leader's proposal timeout, so the leader's own answer normally wins. */
export const FORWARD_TIMEOUT_MS = 15_000;

type MetaClient = ServiceClient<(typeof MetaService)['method']>;

export class LeaderForwarder {
  private readonly clients = new Map<NodeId, MetaClient>();

  constructor(
    /** API address of every replica. */
    private readonly replicas: Record<NodeId, string>,
    private readonly localAddress: string | undefined,
  ) {}

  static wasForwarded(metadata: grpc.Metadata): boolean {
    return metadata.get(FORWARDED_HEADER).length > 0;
  }

  /**
   * Calls `method` on `leader` with `request`; the leader's refusal comes back as a MetaError.
   * Aborting `signal` gives up on the call: OutcomeUnknown (the leader may have applied it).
   */
  async forward<Res>(leader: NodeId, method: string, request: unknown, signal?: AbortSignal): Promise<Res> {
    const client = this.clientFor(leader);
    const metadata = new grpc.Metadata();
    metadata.set(FORWARDED_HEADER, '1');
    const call = (client as unknown as Record<string, (req: unknown, o: object) => Promise<Res>>)[method];
    if (!call) throw new MetaError('InternalError', `no method ${method} to forward`);
    try {
      return await call(request, { metadata, timeoutMs: FORWARD_TIMEOUT_MS, signal });
    } catch (err) {
      if (isServiceError(err)) throw fromServiceError(err, true);
      throw err;
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private clientFor(id: NodeId): MetaClient {
    let c = this.clients.get(id);
    if (!c) {
      const address = this.replicas[id];
      if (!address) throw new MetaError('NotLeader', `no API address known for leader ${id}`);
      c = createClient(MetaService, boundTarget(address, this.localAddress), {
        channelOptions: { 'grpc.enable_http_proxy': 0, 'grpc.max_reconnect_backoff_ms': 1_000, 'grpc.initial_reconnect_backoff_ms': 50 },
      });
      this.clients.set(id, c);
    }
    return c;
  }
}
