// Process entry of one data node:
//
//   node --import tsx services/data/data-node-main.ts --id d1 --zone z1 --dir /var/zs/d1 \
//     --listen 127.0.0.11:0 [--capacity-bytes N] [--scrub-rate-bytes N] [--scrub-interval-ms N]
//
// Prints exactly one `READY {"id","zone","address","pid","dir"}` line on stdout once it serves
// (launchers wait for it); logs (pino JSON) go to stderr. SIGTERM or SIGINT: stop cleanly, exit 0.
import { Command } from 'commander';
import { pino } from 'pino';
import { DataNode } from './data-node.ts';
import { DEFAULT_SCRUB_INTERVAL_MS, DEFAULT_SCRUB_RATE_BYTES_PER_SEC } from './scrubber.ts';
import { serveUntilSignalled } from '../common/process-lifecycle.ts';
import { hostPort, nonNegativeInt, positiveInt } from '../common/cli-options.ts';

const program = new Command('data-node')
  .description('One zonestore data node: checksummed chunks on local disk over gRPC')
  .requiredOption('--id <id>', 'this node\'s id (recorded in <dir>/node.json)')
  .requiredOption('--zone <zone>', 'the zone this node is in')
  .requiredOption('--dir <dir>', 'directory holding chunks, temp files and the index')
  .requiredOption('--listen <host:port>', 'address to serve DataService on (port 0: any free port)', hostPort)
  .option('--capacity-bytes <n>', 'data bytes this node may hold (default: filesystem size)', positiveInt)
  .option('--scrub-rate-bytes <n>', 'scrub read rate, bytes per second', positiveInt, DEFAULT_SCRUB_RATE_BYTES_PER_SEC)
  .option('--scrub-interval-ms <n>', 'pause between background scrub passes', positiveInt, DEFAULT_SCRUB_INTERVAL_MS)
  .parse();

const opts = program.opts<{
  id: string; zone: string; dir: string; listen: string; capacityBytes?: number;
  scrubRateBytes: number; scrubIntervalMs: number;
}>();

const log = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: { node: opts.id, zone: opts.zone } },
  pino.destination({ fd: 2, sync: true }),
);

async function main(): Promise<void> {
  const node = await DataNode.start({
    id: opts.id,
    zone: opts.zone,
    dir: opts.dir,
    listen: opts.listen,
    capacityBytes: opts.capacityBytes,
    scrubRateBytesPerSec: opts.scrubRateBytes,
    scrubIntervalMs: opts.scrubIntervalMs,
    log,
  });
  serveUntilSignalled({
    log, stop: () => node.stop(),
    ready: { id: opts.id, zone: opts.zone, address: node.address, pid: process.pid, dir: opts.dir },
  });
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'data node failed to start');
  process.exit(1);
});
