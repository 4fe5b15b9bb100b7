// Process entry of one Raft KV demo member. Prints exactly one `READY {json}` line to stdout
// once the Raft and KV servers listen (launchers wait for it); logs go to stderr.
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { KvNode } from './kv-node.ts';
import { serveUntilSignalled } from '../../common/process-lifecycle.ts';
import { nonNegativeInt, positiveInt } from '../../common/cli-options.ts';


function parseIdMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || !part.slice(eq + 1).includes(':')) {
      throw new InvalidArgumentError(`expected id=host:port, got "${part}"`);
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const program = new Command('kv-node')
  .description('One member of the zonestore Raft KV demo')
  .requiredOption('--id <id>', 'this member\'s id')
  .requiredOption('--data-dir <dir>', 'directory of the durable Raft log')
  .requiredOption('--raft-addr <host:port>', 'address to serve Raft peers on (port 0: any)')
  .requiredOption('--kv-addr <host:port>', 'address to serve KvService on (port 0: any)')
  .requiredOption('--peers <id=host:port,...>', 'Raft address of every member', parseIdMap)
  .requiredOption('--kv-peers <id=host:port,...>', 'KV address of every member (for redirects)', parseIdMap)
  .option('--tick-ms <ms>', 'milliseconds per Raft tick (election timeout is 10-20 ticks)', positiveInt, 100)
  .option('--snapshot-every <n>', 'snapshot and compact the log every n applied entries (0: never)', nonNegativeInt, 10_000)
  .parse();

const opts = program.opts<{
  id: string; dataDir: string; raftAddr: string; kvAddr: string; peers: Record<string, string>;
  kvPeers: Record<string, string>; tickMs: number; snapshotEvery: number;
}>();

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { node: opts.id } }, pino.destination({ fd: 2, sync: true }));

async function main(): Promise<void> {
  const node = await KvNode.start({
    ...opts, log,
    onFatal: (err) => {
      log.fatal({ err }, 'exiting: raft host failed');
      process.exit(1);
    },
  });
  serveUntilSignalled({
    log, stop: () => node.stop(),
    ready: { id: node.id, raftAddr: node.raftAddr, kvAddr: node.kvAddr },
  });
  log.info({ raftAddr: node.raftAddr, kvAddr: node.kvAddr }, 'kv node ready');
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'kv node failed to start');
  process.exit(1);
});
