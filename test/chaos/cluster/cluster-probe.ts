// What the chaos harness asks a running cluster, from outside and at the servers' own (direct,
// unproxied) addresses: each meta replica's Status (who leads, in which zone), the placement
// map's data nodes, and whether each gateway answers HTTP. Every call has a short deadline.
// Not `collectClusterReport`: in a chaos cluster each replica names its peers by their proxy
// addresses, which that report would count as more replicas.
import { DataNodeState } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';

/** One replica's Status. */
export const STATUS_TIMEOUT_MS = 2_000;
/** The placement map is a linearizable read: it may wait out an election this long. */
export const PLACEMENT_TIMEOUT_MS = 3_000;
/** A gateway that does not answer an HTTP request this fast counts as down. */
export const GATEWAY_PROBE_TIMEOUT_MS = 2_000;

export interface ReplicaStatus {
  address: string;
  id?: string;
  zone?: string;
  role?: string;
  term?: number;
  error?: string;
}

export async function replicaStatuses(addresses: readonly string[], timeoutMs = STATUS_TIMEOUT_MS): Promise<ReplicaStatus[]> {
  return Promise.all(addresses.map(async (address) => {
    const client = new MetaClient({ addresses: [address], callTimeoutMs: timeoutMs, retryForMs: 0 });
    try {
      const s = await client.call('status', {});
      return { address, id: s.id, zone: s.zone || undefined, role: s.role, term: Number(s.term) };
    } catch (err) {
      return { address, error: (err as Error).message.split('\n')[0] };
    } finally {
      client.close();
    }
  }));
}

/** The zone of the leader with the highest term among the answers (undefined: none leads). */
export function leaderZoneOf(statuses: readonly ReplicaStatus[]): string | undefined {
  const leaders = statuses.filter((s) => s.role === 'leader' && s.zone !== undefined);
  return leaders.sort((a, b) => (b.term ?? 0) - (a.term ?? 0))[0]?.zone;
}

export interface PlacementNode {
  id: string;
  zone: string;
  address: string;
  up: boolean;
  capacityBytes: number;
  usedBytes: number;
}

export async function placementNodes(addresses: readonly string[], timeoutMs = PLACEMENT_TIMEOUT_MS): Promise<PlacementNode[]> {
  const client = new MetaClient({ addresses: [...addresses], callTimeoutMs: timeoutMs, retryForMs: timeoutMs });
  try {
    const map = await client.call('getPlacementMap', {});
    return map.nodes.map((n) => ({
      id: n.id, zone: n.zone, address: n.address, up: n.state === DataNodeState.UP,
      capacityBytes: Number(n.capacityBytes), usedBytes: Number(n.usedBytes),
    }));
  } finally {
    client.close();
  }
}

/** Whether the gateway at `url` answers HTTP at all (any status: an unsigned request is refused). */
export async function gatewayAnswers(url: string, timeoutMs = GATEWAY_PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Everything that keeps the cluster from being healthy, one line each (empty: healthy). */
export async function unhealthyReasons(o: {
  metaApiAddresses: readonly string[];
  endpoints: readonly string[];
  dataNodes: readonly string[];
}): Promise<string[]> {
  const [statuses, gateways] = await Promise.all([
    replicaStatuses(o.metaApiAddresses),
    Promise.all(o.endpoints.map(async (url) => ({ url, ok: await gatewayAnswers(url) }))),
  ]);
  const reasons: string[] = [];
  for (const s of statuses) if (s.error) reasons.push(`meta replica at ${s.address} does not answer: ${s.error}`);
  if (!leaderZoneOf(statuses)) reasons.push('no meta leader');
  for (const g of gateways) if (!g.ok) reasons.push(`gateway ${g.url} does not answer`);
  let nodes: PlacementNode[] = [];
  try {
    nodes = await placementNodes(o.metaApiAddresses);
  } catch (err) {
    reasons.push(`placement map unreadable: ${(err as Error).message.split('\n')[0]}`);
    return reasons;
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of o.dataNodes) {
    const n = byId.get(id);
    if (!n) reasons.push(`data node ${id} is not registered`);
    else if (!n.up) reasons.push(`data node ${id} is not UP`);
  }
  return reasons;
}
