// Process entry of one metadata replica (tests, benchmarks, one-service-per-container deploys;
// `zonestore up` hosts replicas in-process with startMetaReplica instead). Prints exactly one
// `READY {json}` line on stdout once it serves; logs go to stderr. SIGTERM/SIGINT stop it.
//
//   tsx services/meta/meta-node-main.ts --id m1 --data-dir /tmp/m1 \
//     --raft-address 127.0.0.11:7001 --api-address 127.0.0.11:7101 \
//     --peer m1=127.0.0.11:7001/127.0.0.11:7101 --peer m2=... --peer m3=...
import { Command } from 'commander';
import { pino } from 'pino';
import { startMetaReplica, type MetaPeer } from './replica/meta-replica.ts';
import { serveUntilSignalled } from '../common/process-lifecycle.ts';
import { nonNegativeInt } from '../common/cli-options.ts';
import { addMetaPeer } from './replica/meta-peer-option.ts';

const program = new Command('meta-node')
  .description('One zonestore metadata replica')
  .requiredOption('--id <id>', 'this replica\'s id')
  .option('--zone <zone>', 'zone this replica runs in', '')
  .requiredOption('--data-dir <dir>', 'directory for the Raft log and the metadata state')
  .requiredOption('--raft-address <host:port>', 'address for Raft peers (port 0: any)')
  .requiredOption('--api-address <host:port>', 'address for MetaService clients (port 0: any)')
  .option('--peer <id=raft/api>', 'a replica of the cluster (repeat for each)', addMetaPeer, {} as Record<string, MetaPeer>)
  .option('--tick-ms <ms>', 'milliseconds per Raft tick', nonNegativeInt)
  .option('--election-ticks <n>', 'election timeout in ticks', nonNegativeInt)
  .option('--snapshot-every <n>', 'snapshot and compact the log every n applied entries (0: never)', nonNegativeInt)
  .option('--snapshot-keep <n>', 'log entries kept behind a snapshot', nonNegativeInt)
  .option('--min-part-size <bytes>', 'smallest multipart part but the last', nonNegativeInt)
  .parse();

const o = program.opts<{
  id: string; zone: string; dataDir: string; raftAddress: string; apiAddress: string; peer: Record<string, MetaPeer>;
  tickMs?: number; electionTicks?: number; snapshotEvery?: number; snapshotKeep?: number; minPartSize?: number;
}>();

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { meta: o.id } }, pino.destination({ fd: 2, sync: true }));

async function main(): Promise<void> {
  const replica = await startMetaReplica({
    id: o.id, zone: o.zone, dataDir: o.dataDir, raftAddress: o.raftAddress, apiAddress: o.apiAddress, peers: o.peer,
    tickMs: o.tickMs, electionTicks: o.electionTicks, snapshotEvery: o.snapshotEvery, snapshotKeepEntries: o.snapshotKeep,
    minPartSizeBytes: o.minPartSize, log,
    onFatal: (err) => {
      log.fatal({ err }, 'exiting: raft host failed');
      process.exit(1);
    },
  });
  serveUntilSignalled({
    log, stop: () => replica.stop(),
    ready: { id: replica.id, zone: o.zone, raftAddress: replica.raftAddress, apiAddress: replica.apiAddress, pid: process.pid },
  });
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'meta replica failed to start');
  process.exit(1);
});
