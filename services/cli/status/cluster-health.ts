// What a cluster looks like to `zonestore status` and `zonestore up`, and the judgement of
// whether it is healthy: a meta leader, every meta replica answering, and every data node
// registered and UP. Pure: the views are gathered by cluster-report.ts.

export interface ReplicaView {
  /** The API address it was asked at. */
  address: string;
  reachable: boolean;
  /** Why it did not answer. */
  error?: string;
  id?: string;
  zone?: string;
  role?: string;
  /** The leader as this replica knows it. */
  leader?: string;
  term?: number;
  commit?: number;
  applied?: number;
}

export type DataNodeHealth = 'up' | 'down' | 'draining' | 'unknown';

export interface DataNodeView {
  id: string;
  zone: string;
  address: string;
  health: DataNodeHealth;
  capacityBytes: number;
  usedBytes: number;
  /** When the placement map entry last changed (leader time, ms since the epoch). */
  updatedMs: number;
}

export interface LeaderView {
  id: string;
  zone?: string;
  address: string;
  term: number;
}

export interface ClusterReport {
  checkedAtMs: number;
  /** Every zone seen: of a replica or of a data node. */
  zones: string[];
  leader?: LeaderView;
  replicas: ReplicaView[];
  /** Undefined when the placement map could not be read (see `placementError`). */
  dataNodes?: DataNodeView[];
  placementError?: string;
  problems: string[];
  healthy: boolean;
}

/** The reachable replica that says it leads; with two (a deposed one not yet told), the newer term. */
export function leaderOf(replicas: readonly ReplicaView[]): LeaderView | undefined {
  const leaders = replicas.filter((r) => r.reachable && r.role === 'leader' && r.id !== undefined);
  const best = leaders.sort((a, b) => (b.term ?? 0) - (a.term ?? 0))[0];
  return best && { id: best.id!, zone: best.zone, address: best.address, term: best.term ?? 0 };
}

export interface HealthInput {
  replicas: readonly ReplicaView[];
  dataNodes?: readonly DataNodeView[];
  placementError?: string;
  /** Data nodes that must be registered (what `up` started); others may be too. */
  expectedDataNodes?: readonly string[];
}

/** Everything wrong, one sentence each; healthy when empty. */
export function clusterProblems(input: HealthInput): string[] {
  const problems: string[] = [];
  const { replicas, dataNodes } = input;
  if (!replicas.some((r) => r.reachable)) {
    problems.push('no meta replica answered: is the cluster running, and are these its addresses?');
    return problems;
  }
  if (!leaderOf(replicas)) problems.push('no meta leader (an election may be under way, or a majority of zones is down)');
  for (const r of replicas) {
    if (!r.reachable) problems.push(`meta replica at ${r.address} does not answer${r.error ? ` (${r.error})` : ''}`);
  }
  if (!dataNodes) {
    problems.push(`the placement map could not be read${input.placementError ? `: ${input.placementError}` : ''}`);
    return problems;
  }
  if (dataNodes.length === 0) problems.push('no data nodes registered');
  for (const n of dataNodes) {
    if (n.health !== 'up') problems.push(`data node ${n.id} (${n.zone}) is ${n.health.toUpperCase()}`);
  }
  const registered = new Set(dataNodes.map((n) => n.id));
  for (const id of input.expectedDataNodes ?? []) {
    if (!registered.has(id)) problems.push(`data node ${id} is not registered yet`);
  }
  return problems;
}

/** Zone names, sorted, from replicas and data nodes. */
export function zonesOf(replicas: readonly ReplicaView[], dataNodes: readonly DataNodeView[] = []): string[] {
  const zones = new Set<string>();
  for (const r of replicas) if (r.zone) zones.add(r.zone);
  for (const n of dataNodes) if (n.zone) zones.add(n.zone);
  return [...zones].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
