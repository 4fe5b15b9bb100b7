// `zonestore demo raft-kv`: the Raft KV demo — three kv-node processes, one per zone address,
// replicating a key-value register with zonestore's Raft library. It was `zonestore up` before
// the zone cluster existed; the Raft benchmark drives the same kv nodes.
import { InvalidArgumentError, type Command } from 'commander';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { KvClusterClient } from './raftkv/kv-cluster-client.ts';
import { LocalKvCluster } from './raftkv/local-kv-cluster.ts';

/** Startup is retried with fresh ports this many times (another process may grab a free port). */
const DEMO_START_ATTEMPTS = 3;
/** How long to wait for the first leader before printing the endpoints anyway. */
const DEMO_LEADER_WAIT_MS = 20_000;
const LEADER_POLL_MS = 200;

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

interface KvDemoOptions {
  dataDir?: string;
  tickMs: number;
  snapshotEvery: number;
}

export function registerDemoCommand(program: Command): void {
  const demo = program.command('demo').description('demonstrations of the building blocks');
  demo
    .command('raft-kv')
    .description('start a three-node Raft key-value demo (one node per zone address); Ctrl-C stops it')
    .option('--data-dir <dir>', 'keep node state here (reused on the next `up`); default: a temp dir removed on exit')
    .option('--tick-ms <ms>', 'Raft tick in milliseconds (elections after 10-20 ticks)', nonNegativeInt, 100)
    .option('--snapshot-every <n>', 'snapshot each node every n applied entries (0: never)', nonNegativeInt, 10_000)
    .action((opts: KvDemoOptions) => runKvDemo(opts));
}

async function runKvDemo(opts: KvDemoOptions): Promise<void> {
  const ownsRoot = opts.dataDir === undefined;
  const root = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(resolve(tmpdir(), 'zonestore-kv-demo-'));
  mkdirSync(root, { recursive: true });
  let cluster: LocalKvCluster | undefined;
  let stopping = false;

  const cleanup = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the three nodes…');
    await cluster?.stopAll();
    if (ownsRoot) rmSync(root, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void cleanup(0));
  process.on('SIGTERM', () => void cleanup(0));
  process.on('exit', () => cluster?.killAllNow());

  console.log('zonestore demo raft-kv — starting the Raft KV demo.');
  for (let attempt = 1; ; attempt++) {
    cluster = await LocalKvCluster.plan({ root, tickMs: opts.tickMs, snapshotEvery: opts.snapshotEvery });
    try {
      await cluster.startAll();
      break;
    } catch (err) {
      await cluster.stopAll();
      if (attempt >= DEMO_START_ATTEMPTS) {
        console.error(`could not start the cluster: ${(err as Error).message}`);
        await cleanup(1);
        return;
      }
      console.error(`start attempt ${attempt} failed (${(err as Error).message}); retrying with new ports`);
    }
  }

  const endpoints = cluster.kvEndpoints;
  const leader = await waitForLeader(endpoints);
  printBanner(cluster, root, ownsRoot, leader);

  for (const id of cluster.specs.keys()) {
    void cluster.node(id)?.exited.then((how) => {
      if (!stopping) console.error(`node ${id} exited (${how}); see ${cluster!.specs.get(id)!.logFile}`);
    });
  }
}

async function waitForLeader(endpoints: string[]): Promise<string | undefined> {
  const client = new KvClusterClient(endpoints);
  const deadline = Date.now() + DEMO_LEADER_WAIT_MS;
  try {
    while (Date.now() < deadline) {
      for (const e of endpoints) {
        const s = await client.status(e, 1_000).catch(() => undefined);
        if (s?.leader) return `${s.leader} at ${s.leaderAddress}`;
      }
      await new Promise((r) => setTimeout(r, LEADER_POLL_MS));
    }
    return undefined;
  } finally {
    client.close();
  }
}

function printBanner(cluster: LocalKvCluster, root: string, ownsRoot: boolean, leader: string | undefined): void {
  const rows = [...cluster.specs.values()].map((s) => `  ${s.id.padEnd(5)} ${s.kvAddr.padEnd(22)} ${s.raftAddr.padEnd(22)} ${s.logFile}`);
  const all = cluster.kvEndpoints.join(',');
  const first = cluster.kvEndpoints[0]!;
  console.log(`
This is the Raft KV demo: three replicas of a key-value register, one per zone, replicated
with zonestore's Raft library (durable log, gRPC transport). The object store is \`zonestore up\`.

  node  KV endpoint            Raft endpoint          log
${rows.join('\n')}

leader:  ${leader ?? 'not elected yet (check the logs)'}
data:    ${root}${ownsRoot ? ' (temporary, removed on exit; use --data-dir to keep it)' : ''}

Try it (in another terminal):
  npm run zonestore -- kv put --endpoint ${all} hello world
  npm run zonestore -- kv get --endpoint ${all} hello
  npm run zonestore -- kv status --endpoint ${first}

Ctrl-C stops the cluster.`);
}
