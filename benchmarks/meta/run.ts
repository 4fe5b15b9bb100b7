// Metadata operations per second through MetaService on a local three-replica cluster (three
// processes on the zone addresses): PutObject of a 0-byte object version, GetObject (head),
// and ListObjects of 1000 keys — each through the leader and through a follower (which
// forwards writes and confirms reads with the leader by ReadIndex).
//
//   npm run bench:meta [-- --duration-s 5 --concurrency 1 64 --no-write]
import { cpus, loadavg, totalmem } from 'node:os';
import { Command } from 'commander';
import { MetaProcessCluster } from '../../test/integration/meta/meta-process-cluster.ts';
import type { MetaClient } from '../../services/meta/client/meta-client.ts';
import { runLoad } from './op-load.ts';
import { renderSection, renderTable, writeSection, type Row } from './results-section.ts';

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const LIST_KEYS = 1000;
const PRELOAD_CONCURRENCY = 32;

const program = new Command('bench:meta')
  .option('--duration-s <s>', 'seconds per measured cell', (v) => Number(v), 5)
  .option('--concurrency <n...>', 'concurrent requests per cell', (v, prev: number[] | undefined) => [...(prev ?? []), Number(v)])
  .option('--out <file>', 'Markdown file whose meta section is written', 'benchmarks/RESULTS.md')
  .option('--no-write', 'print only; leave RESULTS.md alone')
  .option('--note <text...>', 'a note to add above the table')
  .parse();
const opts = program.opts<{ durationS: number; concurrency?: number[]; out: string; write: boolean; note?: string[] }>();
const concurrencies = opts.concurrency ?? [1, 64];

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, `
    + `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start, ${new Date().toISOString()}`;
}

async function main(): Promise<void> {
  const started = machine();
  const cluster = await MetaProcessCluster.start({ tickMs: 100, logLevel: 'warn' });
  const rows: Row[] = [];
  try {
    const leader = await cluster.leader();
    const follower = cluster.members.find((m) => m.id !== leader)!.id;
    const via: Record<string, MetaClient> = { leader: cluster.client([leader]), follower: cluster.client([follower]) };
    await via.leader!.call('createBucket', { name: 'bench', owner: 'bench' });
    await via.leader!.call('createBucket', { name: 'bench-list', owner: 'bench' });
    const keys = Array.from({ length: LIST_KEYS }, (_, i) => `obj/${String(i).padStart(6, '0')}`);
    for (let i = 0; i < keys.length; i += PRELOAD_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + PRELOAD_CONCURRENCY).map((key) =>
        via.leader!.call('putObject', { bucket: 'bench-list', key, etag: EMPTY_MD5, size: 0n })));
    }
    const ops: Record<string, (c: MetaClient, tag: string) => (w: number, n: number) => Promise<unknown>> = {
      'put 0-byte object': (c, tag) => (w, n) => c.call('putObject', { bucket: 'bench', key: `${tag}/${w}/${n}`, etag: EMPTY_MD5, size: 0n }),
      'head object': (c) => (w, n) => c.call('getObject', { bucket: 'bench-list', key: keys[(w * 7919 + n) % keys.length]! }),
      [`list ${LIST_KEYS} keys`]: (c) => async () => {
        const r = await c.call('listObjects', { bucket: 'bench-list', maxKeys: LIST_KEYS });
        if (r.objects.length !== LIST_KEYS) throw new Error(`listed ${r.objects.length}`);
      },
    };
    for (const [name, make] of Object.entries(ops)) {
      for (const target of ['leader', 'follower']) {
        for (const c of concurrencies) {
          const result = await runLoad(c, opts.durationS * 1000, make(via[target]!, `${target}-${c}`));
          rows.push({ op: name, via: target, concurrency: c, result });
          console.log(`${name.padEnd(18)} via ${target.padEnd(8)} c=${String(c).padEnd(3)} ${result.opsPerSec.toFixed(0).padStart(7)} ops/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  errors ${result.errors}`);
        }
      }
    }
  } finally {
    await cluster.stop();
  }
  const command = `npm run bench:meta${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const notes = [
    'Three replica processes (one per zone address 127.0.0.11/.12/.13) plus this load process, all on the same machine; '
      + 'the machine is shared with other helpers\' test and benchmark runs, so numbers move between runs.',
    `Closed loop, ${opts.durationS} s per cell, one gRPC channel per target; every write is a Raft commit (fsynced log batch on a quorum), `
      + 'every read a linearizable ReadIndex read (a follower asks the leader for the index first).',
    `${LIST_KEYS}-key list = one ListObjects call returning ${LIST_KEYS} keys; head = GetObject (record + manifest) of a random existing key.`,
    ...(opts.note ?? []),
  ];
  console.log('\n' + renderTable(rows));
  if (opts.write) {
    writeSection(opts.out, renderSection({ command, machine: started, durationS: opts.durationS, rows, notes }));
    console.log(`\nwrote the meta section of ${opts.out}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
