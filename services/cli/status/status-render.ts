// The text `zonestore status` prints: a verdict, one line per zone, the meta replicas and the
// data nodes as tables, and what is wrong. Pure (the clock is passed in).
import type { ClusterReport, DataNodeView, ReplicaView } from './cluster-health.ts';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number): string {
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return unit === 0 ? `${v} B` : `${v.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

function formatAge(ms: number): string {
  if (ms < 0) return 'now';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s ago` : `${Math.round(ms / 60_000)}m ago`;
}

/** Columns padded to their widest cell; the last column is not padded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

function zoneLine(zone: string, replicas: readonly ReplicaView[], nodes: readonly DataNodeView[] | undefined): string[] {
  const replica = replicas.find((r) => r.zone === zone);
  const meta = replica ? `${replica.id} ${replica.role}` : 'meta replica not answering';
  const inZone = nodes?.filter((n) => n.zone === zone);
  const data = inZone ? `${inZone.filter((n) => n.health === 'up').length}/${inZone.length} data nodes up` : 'data nodes unknown';
  return [zone, meta, data];
}

export function renderClusterReport(r: ClusterReport, nowMs: number): string {
  const out: string[] = [];
  out.push(`cluster  ${r.healthy ? 'healthy' : 'UNHEALTHY'}`);
  out.push(r.leader
    ? `leader   ${r.leader.id}${r.leader.zone ? ` in ${r.leader.zone}` : ''} at ${r.leader.address}, term ${r.leader.term}`
    : 'leader   none');
  out.push('', `zones (${r.zones.length})`);
  out.push(...table(['ZONE', 'META', 'DATA'], r.zones.map((z) => zoneLine(z, r.replicas, r.dataNodes))));
  out.push('', `meta replicas (${r.replicas.length})`);
  out.push(...table(
    ['ID', 'ZONE', 'API ADDRESS', 'ROLE', 'TERM', 'COMMIT', 'APPLIED'],
    r.replicas.map((m) => (m.reachable
      ? [m.id ?? '?', m.zone ?? '-', m.address, m.role ?? '?', String(m.term), String(m.commit), String(m.applied)]
      : [m.id ?? '?', '-', m.address, 'not answering', '-', '-', '-'])),
  ));
  if (r.dataNodes) {
    out.push('', `data nodes (${r.dataNodes.length})`);
    out.push(...table(
      ['ID', 'ZONE', 'ADDRESS', 'HEALTH', 'CAPACITY', 'USED', 'UPDATED'],
      r.dataNodes.map((n) => [
        n.id, n.zone, n.address, n.health, formatBytes(n.capacityBytes), formatBytes(n.usedBytes), formatAge(nowMs - n.updatedMs),
      ]),
    ));
  }
  if (r.problems.length > 0) out.push('', 'problems', ...r.problems.map((p) => `  - ${p}`));
  return out.join('\n');
}
