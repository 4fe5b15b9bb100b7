// `zonestore redundancy`: checks that every shard of every stored object version and
// in-progress upload part is present and valid on its data node (each node reads its chunks
// and checks their checksums in place), and lists the shards that are not. Exit code 0 when the
// cluster is fully redundant, 1 otherwise — what an operator runs after a failure heals, and
// what a script can wait on while repair works.
import type { Command } from 'commander';
import { scanClusterRedundancy, type RedundancyReport } from '../gateway/repair/index.ts';
import { localMetaEndpoints } from './status-command.ts';
import { addStatusTlsOptions, installStatusTls, type StatusTlsOptions } from './status/status-tls.ts';
import { DEFAULT_DATA_DIR } from './zone/zone-layout.ts';

/** Degraded shards printed in the text report (all of them with --json). */
const SHOWN_SHARDS = 50;

interface RedundancyOptions extends StatusTlsOptions {
  endpoint?: string[];
  dataDir: string;
  json?: boolean;
  indexOnly?: boolean;
}

function addEndpoints(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((e) => e.trim()).filter(Boolean)];
}

export function renderRedundancyReport(r: RedundancyReport): string {
  const lines = [`${r.objectsChecked} objects, ${r.stripesChecked} stripes, ${r.shardsChecked} shards checked: `
    + (r.degraded.length === 0 ? 'full redundancy' : `${r.degraded.length} shards degraded`)];
  for (const d of r.degraded.slice(0, SHOWN_SHARDS)) {
    const what = d.uploadId !== '' ? `upload ${d.uploadId}` : `version ${d.versionId}`;
    lines.push(`  ${d.state.padEnd(12)} ${d.bucket}/${d.key} ${what} part ${d.part} stripe ${d.stripe} shard ${d.shard} on ${d.node ?? `(none, ${d.zone})`}`);
  }
  if (r.degraded.length > SHOWN_SHARDS) lines.push(`  … ${r.degraded.length - SHOWN_SHARDS} more (--json lists all)`);
  for (const u of r.unrebuildable) {
    lines.push(`unrebuildable now: ${u.bucket}/${u.key} part ${u.part} stripe ${u.stripe}: ${u.valid} valid of ${u.needed} needed`);
  }
  for (const p of r.problems) lines.push(`not understood: ${p.ref.bucket}/${p.ref.key}: ${p.message}`);
  return lines.join('\n');
}

export function registerRedundancyCommand(program: Command): void {
  const cmd = program
    .command('redundancy')
    .description('check every shard of every stored object is present and valid; exit code 1 when any is not')
    .option('--endpoint <host:port>', 'meta API address of a replica (repeat, or comma-separate); default: the local cluster of --data-dir', addEndpoints)
    .option('--data-dir <dir>', 'data directory of the local cluster (`zonestore up --data-dir`)', DEFAULT_DATA_DIR)
    .option('--index-only', 'ask nodes only whether each chunk is indexed, without reading it')
    .option('--json', 'print the report as JSON');
  // The same client certificate as `zonestore status`: flags, ZONESTORE_TLS_*, or the local cluster's launcher.
  addStatusTlsOptions(cmd)
    .action(async (opts: RedundancyOptions) => {
      installStatusTls(opts, opts.dataDir);
      const metaAddresses = opts.endpoint ?? await localMetaEndpoints(opts.dataDir);
      const report = await scanClusterRedundancy({ metaAddresses, verify: !opts.indexOnly });
      console.log(opts.json ? JSON.stringify(report, null, 2) : renderRedundancyReport(report));
      process.exitCode = report.degraded.length === 0 && report.problems.length === 0 ? 0 : 1;
    });
}
