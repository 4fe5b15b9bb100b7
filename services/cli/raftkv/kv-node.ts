// One member of the Raft KV demo: durable log on classic-level, gRPC Raft transport, RaftHost,
// and the KvService server, wired together and stopped in the reverse order.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { KvService } from '../../common/gen/zonestore/kv/v1/kv_pb.ts';
import { addService, bindInternal, shutdownServer } from '../../common/grpc/service-definition.ts';
import { decodePutRequest, encodePutResponse } from './kv-put-codec.ts';
import { RaftHost } from '../../raft/host/raft-host.ts';
import { LevelLogStore } from '../../raft/storage/level-log-store.ts';
import { GrpcRaftTransport } from '../../raft/transport/grpc-raft-transport.ts';
import type { NodeId } from '../../raft/types.ts';
import { KvStateMachine } from './kv-state-machine.ts';
import { kvServiceHandlers } from './kv-service.ts';
import { BASE_SERVER_OPTIONS } from '../../common/grpc/channel-options.ts';

/** How long in-flight KV calls may finish after stop() before they are cancelled. */
export const KV_SHUTDOWN_GRACE_MS = 2_000;
/** Period of the debug-level counters line (Ready cycles, fsync time, transport drops). */
export const STATS_LOG_INTERVAL_MS = 5_000;

export interface KvNodeConfig {
  id: NodeId;
  dataDir: string;
  raftAddr: string;
  kvAddr: string;
  /** Raft address of every member (this one may be included). */
  peers: Record<NodeId, string>;
  /** KV address of every member (this one may be included). */
  kvPeers: Record<NodeId, string>;
  tickMs: number;
  snapshotEvery: number;
  log: Logger;
  /** Called if the node dies on its own (storage failure). */
  onFatal?: (err: Error) => void;
}

function withPort(addr: string, port: number): string {
  const i = addr.lastIndexOf(':');
  return `${addr.slice(0, i)}:${port}`;
}

export class KvNode {
  private statsTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly id: NodeId,
    readonly raftAddr: string,
    readonly kvAddr: string,
    private readonly host: RaftHost<number>,
    private readonly transport: GrpcRaftTransport,
    private readonly kvServer: grpc.Server,
    log: Logger,
  ) {
    if (log.isLevelEnabled('debug')) {
      this.statsTimer = setInterval(() => {
        const { counters, commit, applied, term, role } = this.host.status();
        log.debug({ role, term, commit, applied, ...counters, transport: this.transport.stats() }, 'raft counters');
      }, STATS_LOG_INTERVAL_MS);
      this.statsTimer.unref();
    }
  }

  static async start(cfg: KvNodeConfig): Promise<KvNode> {
    const state = new KvStateMachine();
    const store = await LevelLogStore.open(cfg.dataDir);
    const voters = [...new Set([cfg.id, ...Object.keys(cfg.peers)])].sort();
    let host: RaftHost<number> | undefined;
    const transport = new GrpcRaftTransport({
      id: cfg.id, listenAddress: cfg.raftAddr, peers: cfg.peers, log: cfg.log,
      onMessages: (ms) => host?.receive(ms),
      onUnreachable: (peer) => host?.reportUnreachable(peer),
    });
    try {
      host = await RaftHost.open<number>({
        id: cfg.id, voters, store, stateMachine: state, transport, log: cfg.log,
        tickMs: cfg.tickMs, snapshotEvery: cfg.snapshotEvery, onFatal: cfg.onFatal,
      });
    } catch (err) {
      await store.close();
      throw err;
    }
    const kvAddresses = { ...cfg.kvPeers };
    const kvServer = new grpc.Server({ ...BASE_SERVER_OPTIONS });
    addService(kvServer, KvService, kvServiceHandlers({ host, state, kvAddresses }), {
      put: { requestDeserialize: decodePutRequest, responseSerialize: encodePutResponse as (m: unknown) => Buffer },
    });
    try {
      const raftPort = await transport.start();
      const kvPort = await bindInternal(kvServer, cfg.kvAddr);
      const kvAddr = withPort(cfg.kvAddr, kvPort);
      kvAddresses[cfg.id] = kvAddr;
      return new KvNode(cfg.id, withPort(cfg.raftAddr, raftPort), kvAddr, host, transport, kvServer, cfg.log);
    } catch (err) {
      kvServer.forceShutdown();
      await transport.stop();
      await host.stop();
      throw err;
    }
  }

  status() {
    return this.host.status();
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    await shutdownServer(this.kvServer, KV_SHUTDOWN_GRACE_MS);
    await this.transport.stop();
    await this.host.stop();
  }
}
