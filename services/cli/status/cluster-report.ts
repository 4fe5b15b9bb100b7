// Gathers a ClusterReport from meta replica API addresses: Status from each (and from any replica
// they name that was not given), then the placement map through whichever answer. Every call
// has a short deadline, so a dead zone costs one timeout, not a hang.
import { DataNodeState, type DataNode } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaClient } from '../../meta/client/meta-client.ts';
import {
  clusterProblems, leaderOf, zonesOf, type ClusterReport, type DataNodeHealth, type DataNodeView, type ReplicaView,
} from './cluster-health.ts';

/** Deadline of one replica's Status (a dead zone refuses at once on loopback; a hung one waits this). */
export const STATUS_CALL_TIMEOUT_MS = 2_000;
/** Reading the placement map is linearizable: it may wait for an election, up to this long. */
export const PLACEMENT_READ_TIMEOUT_MS = 3_000;

/** Longest error text a report carries per replica (grpc-js details can run long). */
const MAX_ERROR_CHARS = 160;

/** What went wrong, in a few words: grpc-js wraps "connection refused" in a paragraph. */
function shortError(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/deadline exceeded/i.test(message)) return 'no answer before the deadline';
  return message.split('\n')[0]!.slice(0, MAX_ERROR_CHARS);
}

const HEALTH_OF: Record<DataNodeState, DataNodeHealth> = {
  [DataNodeState.UNSPECIFIED]: 'unknown',
  [DataNodeState.UP]: 'up',
  [DataNodeState.DOWN]: 'down',
  [DataNodeState.DRAINING]: 'draining',
};

export interface ReportOptions {
  /** Data nodes that must be registered (see HealthInput). */
  expectedDataNodes?: readonly string[];
  statusTimeoutMs?: number;
  placementTimeoutMs?: number;
}

export interface Peer {
  id: string;
  apiAddress: string;
}

async function replicaStatus(address: string, timeoutMs: number): Promise<{ view: ReplicaView; peers: Peer[] }> {
  const client = new MetaClient({ addresses: [address], callTimeoutMs: timeoutMs, retryForMs: 0 });
  try {
    const s = await client.call('status', {});
    return {
      view: {
        address, reachable: true, id: s.id, zone: s.zone || undefined, role: s.role, leader: s.leader || undefined,
        term: Number(s.term), commit: Number(s.commit), applied: Number(s.applied),
      },
      peers: s.replicas.filter((r) => r.apiAddress !== ''),
    };
  } catch (err) {
    return { view: { address, reachable: false, error: shortError(err) }, peers: [] };
  } finally {
    client.close();
  }
}

function nodeView(n: DataNode): DataNodeView {
  return {
    id: n.id, zone: n.zone, address: n.address, health: HEALTH_OF[n.state] ?? 'unknown',
    capacityBytes: Number(n.capacityBytes), usedBytes: Number(n.usedBytes), updatedMs: Number(n.reportedMs),
  };
}

/**
 * Replicas the asked ones know of but that were not asked (`status --endpoint <one>`). A replica
 * that already answered is not asked again at another address: one that lists itself at its
 * listen address (0.0.0.0:7000 in a container) would otherwise show up twice.
 */
export function addressesToDiscover(asked: ReadonlySet<string>, answers: ReadonlyArray<{ view: ReplicaView; peers: readonly Peer[] }>): string[] {
  const answeredIds = new Set(answers.map((a) => a.view.id).filter((id) => id !== undefined));
  const peers = answers.flatMap((a) => a.peers).filter((p) => !answeredIds.has(p.id));
  return [...new Set(peers.map((p) => p.apiAddress))].filter((a) => !asked.has(a));
}

export async function collectClusterReport(endpoints: readonly string[], opts: ReportOptions = {}): Promise<ClusterReport> {
  const statusTimeoutMs = opts.statusTimeoutMs ?? STATUS_CALL_TIMEOUT_MS;
  const asked = new Set(endpoints);
  const answers = await Promise.all([...asked].map((a) => replicaStatus(a, statusTimeoutMs)));
  const peers = answers.flatMap((a) => a.peers);
  const discovered = addressesToDiscover(asked, answers);
  answers.push(...await Promise.all(discovered.map((a) => replicaStatus(a, statusTimeoutMs))));
  // A replica that does not answer is still named by the others.
  const idAt = new Map(peers.map((p) => [p.apiAddress, p.id]));
  const replicas = answers
    .map((a) => (a.view.id === undefined && idAt.has(a.view.address) ? { ...a.view, id: idAt.get(a.view.address) } : a.view))
    .sort((a, b) => (a.id ?? a.address).localeCompare(b.id ?? b.address, 'en', { numeric: true }));

  const leader = leaderOf(replicas);
  const reachable = replicas.filter((r) => r.reachable).map((r) => r.address);
  let dataNodes: DataNodeView[] | undefined;
  let placementError: string | undefined;
  if (reachable.length > 0) {
    const order = leader ? [leader.address, ...reachable.filter((a) => a !== leader.address)] : reachable;
    const timeoutMs = opts.placementTimeoutMs ?? PLACEMENT_READ_TIMEOUT_MS;
    const client = new MetaClient({ addresses: order, callTimeoutMs: timeoutMs, retryForMs: timeoutMs });
    try {
      const map = await client.call('getPlacementMap', {});
      dataNodes = map.nodes.map(nodeView).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    } catch (err) {
      placementError = shortError(err);
    } finally {
      client.close();
    }
  }
  const problems = clusterProblems({ replicas, dataNodes, placementError, expectedDataNodes: opts.expectedDataNodes });
  return {
    checkedAtMs: Date.now(), zones: zonesOf(replicas, dataNodes), leader, replicas, dataNodes, placementError,
    problems, healthy: problems.length === 0,
  };
}
