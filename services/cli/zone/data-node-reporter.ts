// Keeps this zone's data nodes in the placement map: registers each one (again after every
// restart, since its address may have changed), then every interval probes it with NodeInfo and
// reports UP with its capacity and usage, or DOWN when it does not answer. A report is also the
// node's heartbeat: the leader marks nodes whose reports stop coming DOWN (stale-node-sweeper.ts),
// which is how a whole dead zone shows up.
import type { Logger } from 'pino';
import { DataNodeState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { NodeInfoResponse } from '../../common/gen/zonestore/data/v1/data_pb.ts';
import { DataNodeClient } from '../../data/data-client.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { isMetaError } from '../../meta/meta-error.ts';
import { PeriodicTask } from './periodic-task.ts';

/** Pause between two report rounds: the heartbeat period of a data node. */
export const DEFAULT_REPORT_INTERVAL_MS = 1_000;
/** A node that does not answer NodeInfo this fast is reported DOWN. */
export const PROBE_TIMEOUT_MS = 1_000;

export interface ReportedDataNode {
  id: string;
  /** host:port recorded in the placement map (what other zones dial). */
  address: string;
  /** host:port the probes dial (default: `address`): the node itself when `address` is a proxy. */
  probeAddress?: string;
}

export interface DataNodeReporterOptions {
  meta: MetaClient;
  zone: string;
  nodes: ReportedDataNode[];
  /** IP the probes bind (the zone's address). */
  localAddress?: string;
  intervalMs?: number;
  log: Logger;
}

export class DataNodeReporter {
  private readonly registered = new Set<string>();
  /** The last NodeInfo of each node: a DOWN report keeps its capacity and usage. */
  private readonly lastInfo = new Map<string, NodeInfoResponse>();
  private readonly clients: Map<string, DataNodeClient>;
  private readonly task: PeriodicTask;

  constructor(private readonly o: DataNodeReporterOptions) {
    this.clients = new Map(o.nodes.map((n) => [n.id, new DataNodeClient(n.probeAddress ?? n.address, { localAddress: o.localAddress })]));
    this.task = new PeriodicTask(() => this.round(), o.intervalMs ?? DEFAULT_REPORT_INTERVAL_MS, o.log, 'data node report round failed');
  }

  /** Nodes registered since start (the placement map knows their current address). */
  get registeredCount(): number {
    return this.registered.size;
  }

  start(): void {
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
    for (const c of this.clients.values()) c.close();
  }

  /** One round: every node probed, then registered or reported, all in parallel. */
  async round(): Promise<void> {
    const outcomes = await Promise.allSettled(this.o.nodes.map(async (node) => {
      const info = await this.clients.get(node.id)!.nodeInfo({ timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
      if (info) this.lastInfo.set(node.id, info);
      if (this.task.stopped) return;
      if (!this.registered.has(node.id)) await this.register(node, info);
      else await this.report(node, info);
    }));
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async register(node: ReportedDataNode, info: NodeInfoResponse | undefined): Promise<void> {
    // A node that does not answer has no capacity to register with; the next round tries again.
    if (!info) return;
    await this.o.meta.call('registerDataNode', {
      id: node.id, zone: this.o.zone, address: node.address, capacityBytes: info.capacityBytes,
    });
    this.registered.add(node.id);
    this.o.log.info({ node: node.id, address: node.address }, 'data node registered in the placement map');
  }

  private async report(node: ReportedDataNode, info: NodeInfoResponse | undefined): Promise<void> {
    try {
      await this.o.meta.call('reportDataNodeHealth', {
        id: node.id,
        state: info ? DataNodeState.UP : DataNodeState.DOWN,
        capacityBytes: (info ?? this.lastInfo.get(node.id))?.capacityBytes ?? 0n,
        usedBytes: (info ?? this.lastInfo.get(node.id))?.usedBytes ?? 0n,
      });
    } catch (err) {
      // The map lost the node (a cluster rebuilt under a running zone): register it again.
      if (isMetaError(err) && err.code === 'NoSuchDataNode') this.registered.delete(node.id);
      throw err;
    }
  }
}
