// The failure detector of the placement map. Each zone reports its own data nodes every second
// (data-node-reporter.ts); a zone that dies stops reporting, and nobody else would ever say its
// nodes are gone. So the zone whose meta replica leads marks every node DOWN whose last report
// is older than the timeout. Only the leader does it (one judge, and its clock stamped the
// reports), and only after leading for a full timeout: during an election nobody could report,
// and a new leader must give every zone a chance first.
//
// A node that is alive but was judged stale (a report lost in a leader change, say) flips back
// to UP with its zone's next report.
import type { Logger } from 'pino';
import { DataNodeState, type DataNode } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { PeriodicTask } from './periodic-task.ts';

/** A node whose zone has not reported it for this long is marked DOWN. */
export const DEFAULT_REPORT_TIMEOUT_MS = 5_000;
/** How often the leader looks for stale nodes. */
export const DEFAULT_SWEEP_INTERVAL_MS = 1_000;

/** Ids of the nodes still UP whose last report is older than `timeoutMs` at `nowMs`. Pure. */
export function staleDataNodes(nodes: readonly DataNode[], nowMs: number, timeoutMs: number): string[] {
  return nodes
    .filter((n) => n.state === DataNodeState.UP && nowMs - Number(n.reportedMs) > timeoutMs)
    .map((n) => n.id);
}

export interface StaleNodeSweeperOptions {
  meta: MetaClient;
  /** Whether this zone's meta replica is the leader right now. */
  isLeader(): boolean;
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  log: Logger;
}

export class StaleNodeSweeper {
  /** When this replica was first seen leading (undefined while it is not). */
  private leaderSince: number | undefined;
  private readonly task: PeriodicTask;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly o: StaleNodeSweeperOptions) {
    this.timeoutMs = o.timeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS;
    this.now = o.now ?? Date.now;
    this.task = new PeriodicTask(async () => { await this.sweep(); }, o.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, o.log, 'stale data node sweep failed');
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One look at the map; returns the ids marked DOWN. */
  async sweep(): Promise<string[]> {
    if (!this.o.isLeader()) {
      this.leaderSince = undefined;
      return [];
    }
    this.leaderSince ??= this.now();
    if (this.now() - this.leaderSince < this.timeoutMs) return [];
    const { nodes } = await this.o.meta.call('getPlacementMap', {});
    const stale = new Set(staleDataNodes(nodes, this.now(), this.timeoutMs));
    const marked: string[] = [];
    for (const n of nodes) {
      if (!stale.has(n.id) || this.task.stopped || !this.o.isLeader()) continue;
      await this.o.meta.call('reportDataNodeHealth', {
        id: n.id, state: DataNodeState.DOWN, capacityBytes: n.capacityBytes, usedBytes: n.usedBytes,
      });
      marked.push(n.id);
      this.o.log.warn({ node: n.id, nodeZone: n.zone, lastReportMs: Number(n.reportedMs) }, 'data node marked DOWN: its zone stopped reporting it');
    }
    return marked;
  }
}
