// One metadata replica, ready to be hosted in any process: its classic-level state, its durable
// Raft log, the Raft transport, the RaftHost, the MetaService gRPC server and (when given a
// ChunkDeleter) the garbage collector — started in dependency order, stopped in reverse.
//
//   const replica = await startMetaReplica({ id: 'zone-1', dataDir, raftAddress: '127.0.0.11:0',
//     apiAddress: '127.0.0.11:0', peers: { ... }, log });
//   replica.apiAddress   // serve clients / print READY
//   await replica.stop();
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { MetaService } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { addService, bindInternal, shutdownServer } from '../../common/grpc/service-definition.ts';
import { RaftHost, type RaftHostStatus } from '../../raft/host/raft-host.ts';
import { LevelLogStore } from '../../raft/storage/level-log-store.ts';
import { GrpcRaftTransport } from '../../raft/transport/grpc-raft-transport.ts';
import type { NodeId } from '../../raft/types.ts';
import { DEFAULT_MIN_PART_SIZE_BYTES } from '../limits.ts';
import type { ChunkDeleter } from '../gc/chunk-deleter.ts';
import { GarbageCollector, type GarbageCollectorOptions } from '../gc/garbage-collector.ts';
import { CommandStamper } from '../rpc/command-stamper.ts';
import { LeaderForwarder } from '../rpc/leader-forwarder.ts';
import { raftObserverFor, raftSources } from '../../common/metrics/index.ts';
import { metaServiceHandlers } from '../rpc/meta-service-handlers.ts';
import { RequestRouter } from '../rpc/request-router.ts';
import { PeerSnapshotInstaller } from '../snapshot/peer-snapshot-installer.ts';
import { MetaStateMachine, type CommandOutcome } from '../state/meta-state-machine.ts';
import { MetaStateStore } from '../state/meta-state-store.ts';
import { ensureBucketStats } from '../stats/bucket-stat-rebuild.ts';

/** How long in-flight calls may finish after stop() before they are cancelled. */
export const META_SHUTDOWN_GRACE_MS = 2_000;

export interface MetaPeer {
  raftAddress: string;
  apiAddress: string;
}

export interface MetaReplicaOptions {
  id: NodeId;
  zone?: string;
  /** Holds `raft/` (the log) and `state/` (the metadata). */
  dataDir: string;
  /** host:port for Raft peers (port 0: any free port). */
  raftAddress: string;
  /** host:port for MetaService clients (port 0: any free port). */
  apiAddress: string;
  /** Every replica of the cluster (this one may be included; its addresses are taken from above). */
  peers: Record<NodeId, MetaPeer>;
  tickMs?: number;
  electionTicks?: number;
  snapshotEvery?: number;
  snapshotKeepEntries?: number;
  minPartSizeBytes?: number;
  /** Enables garbage collection of chunks (on the leader). */
  chunkDeleter?: ChunkDeleter;
  gc?: Partial<GarbageCollectorOptions>;
  log: Logger;
  /** Called if the replica dies on its own (storage failure). */
  onFatal?: (err: Error) => void;
}

function withPort(addr: string, port: number): string {
  return `${addr.slice(0, addr.lastIndexOf(':'))}:${port}`;
}

function hostIp(addr: string): string | undefined {
  const host = grpc.experimental.splitHostPort(addr)?.host;
  return host && isIP(host) && host !== '0.0.0.0' && host !== '::' ? host : undefined;
}

export class MetaReplica {
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly id: NodeId,
    readonly raftAddress: string,
    readonly apiAddress: string,
    readonly host: RaftHost<CommandOutcome>,
    readonly stateMachine: MetaStateMachine,
    readonly garbageCollector: GarbageCollector | null,
    private readonly parts: {
      transport: GrpcRaftTransport; server: grpc.Server; store: MetaStateStore;
      installer: PeerSnapshotInstaller; forwarder: LeaderForwarder; unregisterMetrics: () => void;
    },
  ) {}

  static async start(o: MetaReplicaOptions): Promise<MetaReplica> {
    mkdirSync(join(o.dataDir, 'raft'), { recursive: true });
    mkdirSync(join(o.dataDir, 'state'), { recursive: true });
    const raftPeers: Record<NodeId, string> = {};
    const apiAddresses: Record<NodeId, string> = {};
    for (const [id, p] of Object.entries(o.peers)) {
      raftPeers[id] = p.raftAddress;
      apiAddresses[id] = p.apiAddress;
    }
    const localAddress = hostIp(o.apiAddress);
    const voters = [...new Set([o.id, ...Object.keys(o.peers)])].sort();
    const cleanup: Array<() => Promise<unknown> | unknown> = [];
    let host: RaftHost<CommandOutcome> | undefined;
    try {
      const store = await MetaStateStore.open(join(o.dataDir, 'state'));
      cleanup.push(() => store.close());
      // A store from before bucket stats (or a new one) gets its s/ records once, at open.
      await ensureBucketStats(store, o.log);
      const installer = new PeerSnapshotInstaller({
        selfId: o.id, store, apiAddresses, localAddress, leader: () => host?.leader ?? '', log: o.log,
      });
      const sm = new MetaStateMachine(store, installer, o.log);
      const logStore = await LevelLogStore.open(join(o.dataDir, 'raft'));
      const transport = new GrpcRaftTransport({
        id: o.id, listenAddress: o.raftAddress, peers: raftPeers, log: o.log,
        onMessages: (ms) => host?.receive(ms),
        onUnreachable: (peer) => host?.reportUnreachable(peer),
      });
      try {
        host = await RaftHost.open<CommandOutcome>({
          id: o.id, voters, store: logStore, stateMachine: sm, transport, log: o.log, onFatal: o.onFatal,
          observer: raftObserverFor(o.id),
          ...(o.tickMs !== undefined && { tickMs: o.tickMs }),
          ...(o.electionTicks !== undefined && { electionTicks: o.electionTicks }),
          ...(o.snapshotEvery !== undefined && { snapshotEvery: o.snapshotEvery }),
          ...(o.snapshotKeepEntries !== undefined && { snapshotKeepEntries: o.snapshotKeepEntries }),
        });
      } catch (err) {
        await logStore.close();
        throw err;
      }
      const h = host;
      const unregisterMetrics = raftSources.add(o.id, () => {
        const st = h.status();
        return { term: st.term, isLeader: h.isLeader, leader: st.leader, commit: st.commit, applied: st.applied, voters: st.conf.voters.length };
      });
      cleanup.push(unregisterMetrics);
      cleanup.push(async () => {
        const stopping = h.stop();
        installer.stop();
        await stopping;
      });
      const raftPort = await transport.start();
      cleanup.push(() => transport.stop());

      const forwarder = new LeaderForwarder(apiAddresses, localAddress);
      cleanup.push(() => forwarder.close());
      const router = new RequestRouter(h, store, new CommandStamper({ minPartSizeBytes: o.minPartSizeBytes ?? DEFAULT_MIN_PART_SIZE_BYTES }), forwarder, apiAddresses);
      const server = new grpc.Server();
      addService(server, MetaService, metaServiceHandlers({ host: h, sm, store, router, zone: o.zone ?? '', apiAddresses, log: o.log }));
      const apiPort = await bindInternal(server, o.apiAddress);
      cleanup.push(() => shutdownServer(server, META_SHUTDOWN_GRACE_MS));
      const apiAddress = withPort(o.apiAddress, apiPort);
      // Peers reach this replica at the address the cluster announced for it (e.g. meta-1:7000 in
      // compose, bound on 0.0.0.0:7000); only a replica with no announced port names its bound one.
      const announced = apiAddresses[o.id];
      if (announced === undefined || announced.endsWith(':0')) apiAddresses[o.id] = apiAddress;

      let gc: GarbageCollector | null = null;
      if (o.chunkDeleter) {
        gc = new GarbageCollector({
          store, deleter: o.chunkDeleter, isLeader: () => h.isLeader, log: o.log,
          acknowledge: (ids) => router.write('ackGarbage', { case: 'ackGarbage', value: { $typeName: 'zonestore.meta.v1.AckGarbageRequest', ids } }, true),
        }, o.gc);
        gc.start();
      }
      o.log.info({ id: o.id, raftAddress: withPort(o.raftAddress, raftPort), apiAddress, applied: store.appliedIndex }, 'meta replica started');
      return new MetaReplica(o.id, withPort(o.raftAddress, raftPort), apiAddress, h, sm, gc,
        { transport, server, store, installer, forwarder, unregisterMetrics });
    } catch (err) {
      for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => {});
      throw err;
    }
  }

  status(): RaftHostStatus {
    return this.host.status();
  }

  /** Stops everything in reverse order of start; later calls return the same promise. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const { transport, server, store, installer, forwarder, unregisterMetrics } = this.parts;
    unregisterMetrics();
    await this.garbageCollector?.stop();
    await shutdownServer(server, META_SHUTDOWN_GRACE_MS);
    forwarder.close();
    await transport.stop();
    const stopping = this.host.stop();
    installer.stop();
    await stopping;
    await store.close();
  }
}

/** Starts a replica (see MetaReplicaOptions); the function form for hosts composing services. */
export function startMetaReplica(options: MetaReplicaOptions): Promise<MetaReplica> {
  return MetaReplica.start(options);
}
