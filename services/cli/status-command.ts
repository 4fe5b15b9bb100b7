// `zonestore status`: the cluster as its meta replicas see it — zones, the leader, every
// replica's role, term, commit and applied index, every data node's health, capacity and usage.
// Exit code 0 when healthy, 1 otherwise (no leader, a replica or data node down), so scripts
// and tests can wait on it.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { collectClusterReport } from './status/cluster-report.ts';
import { renderClusterReport } from './status/status-render.ts';
import { addStatusTlsOptions, installStatusTls, PLAINTEXT_HINT, type StatusTlsOptions } from './status/status-tls.ts';
import { readClusterRecord } from './zone/local-cluster-record.ts';
import { zoneHosts } from './zone/zone-hosts.ts';
import { DEFAULT_BASE_PORT, DEFAULT_DATA_DIR, DEFAULT_ZONE_COUNT, fixedZonePorts } from './zone/zone-layout.ts';

interface StatusOptions extends StatusTlsOptions {
  endpoint?: string[];
  dataDir: string;
  json?: boolean;
}

function addEndpoints(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((e) => e.trim()).filter(Boolean)];
}

/** The meta API addresses of the cluster `zonestore up` runs from `dataDir`, else of a default `up`. */
export async function localMetaEndpoints(dataDir: string): Promise<string[]> {
  const record = readClusterRecord(resolve(dataDir));
  if (record) return record.metaApiAddresses;
  const hosts = await zoneHosts(DEFAULT_ZONE_COUNT);
  return hosts.map((h, i) => `${h}:${fixedZonePorts(DEFAULT_BASE_PORT, i + 1, 0).metaApi}`);
}

export function registerStatusCommand(program: Command): void {
  const cmd = program
    .command('status')
    .description('print the cluster (zones, meta leader and replicas, data nodes); exit code 1 when unhealthy')
    .option('--endpoint <host:port>', 'meta API address of a replica (repeat, or comma-separate; others are found through it); '
      + 'default: the local cluster of --data-dir', addEndpoints)
    .option('--data-dir <dir>', 'data directory of the local cluster (`zonestore up --data-dir`)', DEFAULT_DATA_DIR)
    .option('--json', 'print the report as JSON');
  addStatusTlsOptions(cmd)
    .action(async (opts: StatusOptions) => {
      const tls = installStatusTls(opts, opts.dataDir);
      const endpoints = opts.endpoint ?? await localMetaEndpoints(opts.dataDir);
      const report = await collectClusterReport(endpoints);
      if (!tls && !report.replicas.some((r) => r.reachable)) report.problems.push(PLAINTEXT_HINT);
      console.log(opts.json ? JSON.stringify(report, null, 2) : renderClusterReport(report, Date.now()));
      process.exitCode = report.healthy ? 0 : 1;
    });
}
