// A KvService client for a whole cluster: it follows the leader (x-leader-kv-addr on
// FAILED_PRECONDITION), tries the other endpoints while no leader is known, and gives up at a
// deadline. Used by the CLI and the real-process tests; the benchmark drives the leader directly.
import * as grpc from '@grpc/grpc-js';
import { KvService, type GetResponse, type PutResponse, type StatusResponse } from '../../common/gen/zonestore/kv/v1/kv_pb.ts';
import { createClient, isServiceError, type ClientOf } from '../../common/grpc/service-client.ts';
import { LEADER_KV_ADDR_HEADER } from './kv-service.ts';

/** Per-attempt RPC deadline; an attempt that times out moves on to the next endpoint. */
export const KV_ATTEMPT_TIMEOUT_MS = 3_000;
/** Pause between rounds while no endpoint accepts (an election is usually under way). */
export const KV_RETRY_PAUSE_MS = 100;

type KvClient = ClientOf<typeof KvService>;

export class KvClusterClient {
  private readonly clients = new Map<string, KvClient>();
  private preferred: string;

  constructor(private readonly endpoints: string[]) {
    if (endpoints.length === 0) throw new Error('KvClusterClient needs at least one endpoint');
    this.preferred = endpoints[0]!;
  }

  put(key: Uint8Array, value: Uint8Array, timeoutMs: number): Promise<PutResponse> {
    return this.withLeader(timeoutMs, (c) => c.put({ key, value }, { timeoutMs: KV_ATTEMPT_TIMEOUT_MS }));
  }

  get(key: Uint8Array, timeoutMs: number): Promise<GetResponse> {
    return this.withLeader(timeoutMs, (c) => c.get({ key }, { timeoutMs: KV_ATTEMPT_TIMEOUT_MS }));
  }

  status(endpoint: string, timeoutMs = KV_ATTEMPT_TIMEOUT_MS): Promise<StatusResponse> {
    return this.client(endpoint).status({}, { timeoutMs });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(endpoint: string): KvClient {
    let c = this.clients.get(endpoint);
    if (!c) {
      c = createClient(KvService, endpoint, {
        channelOptions: { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 1000 },
      });
      this.clients.set(endpoint, c);
    }
    return c;
  }

  private async withLeader<T>(timeoutMs: number, call: (c: KvClient) => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    let rotation = this.endpoints.indexOf(this.preferred);
    for (;;) {
      try {
        return await call(this.client(this.preferred));
      } catch (err) {
        lastError = err;
        if (!isServiceError(err)) throw err;
        const leaderAddr = err.metadata.get(LEADER_KV_ADDR_HEADER)[0];
        const redirect = err.code === grpc.status.FAILED_PRECONDITION && typeof leaderAddr === 'string'
          && leaderAddr !== this.preferred && Date.now() < deadline;
        if (redirect) {
          this.preferred = leaderAddr;
          continue;
        }
        if (![grpc.status.FAILED_PRECONDITION, grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.ABORTED].includes(err.code)) throw err;
        rotation = (rotation + 1) % this.endpoints.length;
        this.preferred = this.endpoints[rotation]!;
      }
      if (Date.now() + KV_RETRY_PAUSE_MS > deadline) {
        throw new Error(`no leader accepted the request within ${timeoutMs} ms: ${String((lastError as Error)?.message ?? lastError)}`);
      }
      await new Promise((r) => setTimeout(r, KV_RETRY_PAUSE_MS));
    }
  }
}
