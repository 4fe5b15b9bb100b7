// `<data-dir>/cluster.json`: the shape of the cluster whose state lives there and where its meta
// replicas listen. `zonestore up` refuses to start a different shape on old state (the Raft
// voters are fixed by the zone count), and `zonestore status` finds the cluster through it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLUSTER_RECORD_FILE = 'cluster.json';

export interface LocalClusterRecord {
  zones: number;
  dataNodesPerZone: number;
  basePort: number;
  metaApiAddresses: string[];
  /** The zones' S3 endpoints (absent in records written before the gateway existed). */
  gatewayEndpoints?: string[];
}

export function readClusterRecord(root: string): LocalClusterRecord | undefined {
  const path = join(root, CLUSTER_RECORD_FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as LocalClusterRecord;
}

export function writeClusterRecord(root: string, record: LocalClusterRecord): void {
  const path = join(root, CLUSTER_RECORD_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(record, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Why state recorded as `existing` cannot be started as `wanted`, or undefined when it can. */
export function shapeMismatch(existing: LocalClusterRecord, wanted: Pick<LocalClusterRecord, 'zones' | 'dataNodesPerZone'>): string | undefined {
  if (existing.zones === wanted.zones && existing.dataNodesPerZone === wanted.dataNodesPerZone) return undefined;
  return `it holds a cluster of ${existing.zones} zones with ${existing.dataNodesPerZone} data nodes each, `
    + `not ${wanted.zones} with ${wanted.dataNodesPerZone}`;
}
