// PUT and GET throughput and latency through the S3 API: zonestore's three-zone cluster (one
// process per zone: meta replica, 3 data nodes and a gateway) against s3rver (one process,
// filesystem-backed) in the same run. For every operation × object size × concurrency cell,
// each system's measured time is cut into slices that alternate between the systems, so drift
// in a shared machine's load hits both alike. GETs read objects written by a prefill step.
//
//   npm run bench:gateway [-- --duration-s 6 --sizes 4KiB 1MiB 64MiB --concurrency 1 16
//                             --only zonestore|s3rver --via spread|one|both --no-write]
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Command, Option } from 'commander';
import { seededBytes } from '../../test/clients/s3-cluster-fixture.ts';
import { newCellStats, summarize, type CellStats } from './cell-stats.ts';
import { loadAverage, machineLine } from './machine-info.ts';
import { OP_TIMEOUT_MS, getOp, putOp, runSlice, warmUp } from './object-load.ts';
import { renderSection, renderTables, sizeLabel, writeSection, type CellRow } from './results-section.ts';
import { S3rverUnderTest, ZonestoreUnderTest, type SystemUnderTest, type ZonestoreRouting } from './systems-under-test.ts';

/** Objects each GET cell reads, round robin: enough that one hot object is not the whole test. */
const GET_OBJECTS_PER_SIZE = 16;
/** …but no more than this many bytes of them per size, so 64 MiB prefill stays short. */
const GET_OBJECT_BYTES_PER_SIZE = 256 * 2 ** 20;
const PREFILL_CONCURRENCY = 4;
const WARM_UP_KEY = 'warm-up';
/** Stopping both systems on Ctrl-C: zone processes get 15 s of grace each, in parallel. */
const TEARDOWN_LIMIT_MS = 30_000;

const collect = (parse: (v: string) => number) => (v: string, prev: number[] | undefined): number[] =>
  [...(prev ?? []), ...v.split(',').filter(Boolean).map(parse)];

function parseSize(v: string): number {
  const m = /^(\d+)\s*(b|k|kib|kb|m|mib|mb)?$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: ${v} (use e.g. 4KiB, 1MiB, 64MiB or bytes)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit.startsWith('k') ? 2 ** 10 : unit.startsWith('m') ? 2 ** 20 : 1);
}

const program = new Command('bench:gateway')
  .option('--duration-s <s>', 'measured seconds per cell and system (split into --rounds slices)', Number, 6)
  .option('--rounds <n>', 'slices per cell and system, alternating between the systems', Number, 2)
  .option('--min-ops <n>', 'operations per cell and system at least, however long they take', Number, 8)
  .option('--sizes <size...>', 'object sizes (4KiB, 1MiB, 64MiB, or bytes)', collect(parseSize))
  .option('--concurrency <n...>', 'operations in flight', collect(Number))
  .option('--max-inflight-mib <n>', 'caps concurrency × object size (client buffers are shared, server buffers are not)', Number, 1024)
  .addOption(new Option('--only <system>', 'run one system only').choices(['zonestore', 's3rver']))
  .addOption(new Option('--via <routing>', 'zonestore clients: spread over the three gateways, one gateway, or both as separate columns')
    .choices(['spread', 'one', 'both']).default('spread'))
  .option('--out <file>', 'Markdown file whose gateway section is written', 'benchmarks/RESULTS.md')
  .option('--no-write', 'print only; leave RESULTS.md alone')
  .option('--note <text...>', 'a note to add above the tables')
  .parse();
const opts = program.opts<{
  durationS: number; rounds: number; minOps: number; sizes?: number[]; concurrency?: number[]; maxInflightMib: number;
  only?: 'zonestore' | 's3rver'; via: ZonestoreRouting | 'both'; out: string; write: boolean; note?: string[];
}>();
const sizes = opts.sizes ?? [4 * 2 ** 10, 2 ** 20, 64 * 2 ** 20];
const concurrencies = opts.concurrency ?? [1, 16];

interface Underlying {
  stop(): Promise<void>;
  killNow(): void;
}
const running: Underlying[] = [];
process.on('exit', () => { for (const u of running) u.killNow(); });
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers`);
    const limit = new Promise((resolve) => setTimeout(resolve, TEARDOWN_LIMIT_MS).unref());
    void Promise.race([Promise.allSettled(running.map((u) => u.stop())), limit]).then(() => process.exit(code));
  });
}

async function startSystems(): Promise<SystemUnderTest[]> {
  const systems: SystemUnderTest[] = [];
  if (opts.only !== 's3rver') {
    const zs = await ZonestoreUnderTest.start();
    running.push(zs);
    const routings: ZonestoreRouting[] = opts.via === 'both' ? ['spread', 'one'] : [opts.via];
    systems.push(...routings.map((r) => zs.system(r)));
  }
  if (opts.only !== 'zonestore') {
    const s3rver = await S3rverUnderTest.start();
    running.push(s3rver);
    systems.push(s3rver.system());
  }
  return systems;
}

function getKeys(size: number): string[] {
  const count = Math.max(1, Math.min(GET_OBJECTS_PER_SIZE, Math.floor(GET_OBJECT_BYTES_PER_SIZE / size)));
  return Array.from({ length: count }, (_, i) => `get/${size}/${i}`);
}

/** Writes the GET cells' objects and reads one back in full, so a system that mangles data fails loudly here. */
async function prefill(sut: SystemUnderTest, bodies: Map<number, Buffer>): Promise<void> {
  const send = (cmd: PutObjectCommand | GetObjectCommand, i: number) =>
    sut.client(i, i).send(cmd as PutObjectCommand, { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
  await send(new PutObjectCommand({ Bucket: sut.bucket, Key: WARM_UP_KEY, Body: Buffer.from('w') }), 0);
  for (const [size, body] of bodies) {
    const keys = getKeys(size);
    for (let i = 0; i < keys.length; i += PREFILL_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + PREFILL_CONCURRENCY).map((Key, j) =>
        send(new PutObjectCommand({ Bucket: sut.bucket, Key, Body: body }), i + j)));
    }
    const got = await sut.client(1, 0).send(new GetObjectCommand({ Bucket: sut.bucket, Key: keys[0]! }), { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    if (!bytes.equals(body)) throw new Error(`${sut.label}: ${keys[0]} read back ${bytes.length} bytes that differ from the ${size} written`);
  }
}

function printCell(row: CellRow): void {
  for (const s of row.systems) {
    const m = s.summary;
    console.log(`${row.op} ${sizeLabel(row.size).padStart(7)} c=${String(row.concurrency).padEnd(3)} ${s.label.padEnd(22)} `
      + `${m.mibPerSec.toFixed(1).padStart(7)} MiB/s ${m.opsPerSec.toFixed(1).padStart(7)} ops/s  p50 ${m.p50Ms.toFixed(2).padStart(8)} ms  `
      + `p99 ${m.p99Ms.toFixed(2).padStart(8)} ms  n=${m.ops}  server CPU ${m.serverCpuPercentByPid.map((p) => p.toFixed(0)).join('/')}%  `
      + `errors ${m.errors}${s.errors.size ? ' ' + JSON.stringify(Object.fromEntries(s.errors)) : ''}`);
  }
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  console.log(`machine: ${machineLine()}; load average ${loadAtStart}`);
  const bodies = new Map(sizes.map((size, i) => [size, seededBytes(size, 1000 + i)]));
  const systems = await startSystems();
  const filled = new Set<string>();
  for (const sut of systems) {
    // Zonestore views share one cluster and bucket: fill it once.
    const owner = sut.label.startsWith('zonestore') ? 'zonestore' : sut.label;
    if (filled.has(owner)) continue;
    filled.add(owner);
    console.log(`prefill ${owner}…`);
    await prefill(sut, bodies);
  }

  const rows: CellRow[] = [];
  const sliceMs = (opts.durationS * 1000) / opts.rounds;
  let cellIndex = 0;
  for (const op of ['PUT', 'GET'] as const) {
    for (const size of sizes) {
      for (const requested of concurrencies) {
        const concurrency = Math.max(1, Math.min(requested, Math.floor((opts.maxInflightMib * 2 ** 20) / size)));
        const stats = new Map<SystemUnderTest, CellStats>(systems.map((s) => [s, newCellStats(s.serverPids().length)]));
        for (let round = 0; round < opts.rounds; round++) {
          // Rotate who goes first each round and each cell: A B | B A | …
          const shift = (round + cellIndex) % systems.length;
          for (const sut of [...systems.slice(shift), ...systems.slice(0, shift)]) {
            await warmUp(sut, concurrency, WARM_UP_KEY);
            const body = bodies.get(size)!;
            const load = op === 'PUT'
              ? putOp(sut, body, `put/${size}/c${concurrency}/r${round}/${sut.label.replace(/\W+/g, '-')}`)
              : getOp(sut, getKeys(size), size);
            await runSlice(stats.get(sut)!, sut, { concurrency, durationMs: sliceMs, minOps: Math.ceil(opts.minOps / opts.rounds) }, load);
          }
        }
        cellIndex++;
        const row: CellRow = {
          op, size, requestedConcurrency: requested, concurrency,
          systems: systems.map((s) => ({ label: s.label, serverNames: s.serverNames, summary: summarize(stats.get(s)!), errors: stats.get(s)!.errors })),
        };
        rows.push(row);
        printCell(row);
        for (const [sut, st] of stats) for (const [code, msg] of st.errorSamples) console.log(`  ${sut.label} ${code}: ${msg}`);
      }
    }
  }
  const loadAtEnd = loadAverage();
  await Promise.all(running.splice(0).map((u) => u.stop()));

  const args = process.argv.slice(2);
  const command = `npm run bench:gateway${args.length > 0 ? ' -- ' + args.join(' ') : ''}`;
  const notes = [
    'All processes on this one machine: the three zone processes (each: meta replica, 3 data nodes and an S3 gateway on one event loop), '
      + 's3rver 3.7.1 in its own process (filesystem store in a temp dir, no fsync, no signature check), and this load process (@aws-sdk/client-s3).',
    `Closed loop per cell: c operations in flight, ${opts.durationS} s per system cut into ${opts.rounds} slices that alternate between the systems `
      + `(the first system rotates each round and cell), at least ${opts.minOps} operations per system; c connections opened before each slice are not timed.`,
    'Same client settings for both: path-style, SigV4 over plain HTTP (so the SDK hashes every payload with SHA-256), '
      + 'checksums only when required (s3rver does not decode aws-chunked bodies), keep-alive sockets, no retries.',
    `PUT: one pre-generated body per size, reused, a new key per operation. GET: ${GET_OBJECTS_PER_SIZE} objects per size (at most `
      + `${GET_OBJECT_BYTES_PER_SIZE / 2 ** 20} MiB of them) written before the cells, read round robin and drained without buffering; `
      + 'one per size read back and compared byte for byte first. MiB/s = payload MiB of successful operations / measured seconds.',
    ...(systems.some((s) => s.label === 'zonestore')
      ? ['"zonestore" spreads operations over the three zone gateways (consecutive operations of a worker go to consecutive zones).'] : []),
    ...(opts.note ?? []),
  ];
  console.log('\n' + renderTables(rows));
  if (opts.write) {
    writeSection(opts.out, renderSection({ command, machine: machineLine(), startedAt, loadAtStart, loadAtEnd, notes, rows }));
    console.log(`\nwrote the gateway section of ${opts.out}`);
  }
}

main().catch(async (err: unknown) => {
  console.error(err);
  await Promise.race([Promise.allSettled(running.map((u) => u.stop())), new Promise((r) => setTimeout(r, TEARDOWN_LIMIT_MS).unref())]);
  process.exit(1);
});
