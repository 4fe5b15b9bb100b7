// PUT and GET throughput and latency through the S3 API: zonestore's three-zone cluster (one
// process per zone: meta replica, 3 data nodes and a gateway) against s3rver (one process,
// filesystem-backed) in the same run. For every operation × object size × concurrency cell,
// each system's measured time is cut into slices that alternate between the systems, so drift
// in a shared machine's load hits both alike. GETs read objects written by a prefill step.
//
//   npm run bench:gateway [-- --duration-s 6 --sizes 4KiB 1MiB 64MiB --concurrency 1 16
//                             --only zonestore|s3rver --via spread|one|both --profile --no-write]
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { seededBytes } from '../../test/clients/s3-cluster-fixture.ts';
import { GET_OBJECTS_PER_SIZE, GET_OBJECT_BYTES_PER_SIZE, idleCpuPercent, prefill, printCell, runCell, type CellSpec } from './cell-runner.ts';
import { loadAverage, machineLine } from './machine-info.ts';
import { renderSection, renderTables, sizeLabel, writeSection, type CellRow } from './results-section.ts';
import { S3rverUnderTest, ZonestoreUnderTest, type SystemUnderTest, type ZonestoreRouting } from './systems-under-test.ts';
import { ZoneProfiler, profileBusyLine, profileText } from './zone-profiles.ts';
import type { ZoneTiming } from './zonestore-cluster.ts';

/** Idle servers still tick (Raft heartbeats, health reports): measured once so cells can be read net of it. */
const IDLE_SAMPLE_MS = 3_000;
/** Stopping both systems on Ctrl-C or failure: zone processes get 15 s of grace each, in parallel. */
const TEARDOWN_LIMIT_MS = 30_000;
const PROFILE_TOP_ROWS = 12;

const collect = <T>(parse: (v: string) => T) => (v: string, prev: T[] | undefined): T[] =>
  [...(prev ?? []), ...v.split(',').filter(Boolean).map(parse)];

function parseSize(v: string): number {
  const m = /^(\d+)\s*(b|k|kib|kb|m|mib|mb)?$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: ${v} (use e.g. 4KiB, 1MiB, 64MiB or bytes)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit.startsWith('k') ? 2 ** 10 : unit.startsWith('m') ? 2 ** 20 : 1);
}

function parseProfileCell(v: string): { op: 'PUT' | 'GET'; size: number; concurrency: number } {
  const [op, size, c] = v.split(':');
  if ((op !== 'PUT' && op !== 'GET') || !size || !c) throw new Error(`not a cell: ${v} (use e.g. PUT:1MiB:16)`);
  return { op, size: parseSize(size), concurrency: Number(c) };
}

const program = new Command('bench:gateway')
  .option('--duration-s <s>', 'measured seconds per cell and system (split into --rounds slices)', Number, 6)
  .option('--rounds <n>', 'slices per cell and system, alternating between the systems', Number, 2)
  .option('--min-ops <n>', 'operations per cell and system at least, however long they take', Number, 8)
  .option('--sizes <size...>', 'object sizes (4KiB, 1MiB, 64MiB, or bytes)', collect(parseSize))
  .option('--concurrency <n...>', 'operations in flight', collect(Number))
  .option('--max-inflight-mib <n>', 'caps concurrency × object size (the client shares one body per size; servers buffer their own)', Number, 1024)
  .addOption(new Option('--only <system>', 'run one system only').choices(['zonestore', 's3rver']))
  .addOption(new Option('--via <routing>', 'zonestore clients: spread over the three gateways, one gateway, or both as separate columns')
    .choices(['spread', 'one', 'both']).default('spread'))
  .addOption(new Option('--zone-timing <t>', 'zone Raft tick and health-report flags: as `zonestore up` runs, or the client tests\' fast ones')
    .choices(['default', 'fast']).default('default'))
  .option('--profile', 'after the measured cells, profile the zone processes over extra zonestore-only cells')
  .option('--profile-cells <op:size:c...>', 'the profiled cells', collect(parseProfileCell))
  .option('--profile-out <dir>', 'where the .cpuprofile files are kept', join(tmpdir(), 'zonestore-gateway-bench-profiles'))
  .option('--out <file>', 'Markdown file whose gateway section is written', 'benchmarks/RESULTS.md')
  .option('--no-write', 'print only; leave RESULTS.md alone')
  .option('--note <text...>', 'a note to add above the tables')
  .parse();
const opts = program.opts<{
  durationS: number; rounds: number; minOps: number; sizes?: number[]; concurrency?: number[]; maxInflightMib: number;
  only?: 'zonestore' | 's3rver'; via: ZonestoreRouting | 'both'; zoneTiming: ZoneTiming;
  profile?: boolean; profileCells?: Array<ReturnType<typeof parseProfileCell>>; profileOut: string;
  out: string; write: boolean; note?: string[];
}>();
const sizes = opts.sizes ?? [4 * 2 ** 10, 2 ** 20, 64 * 2 ** 20];
const concurrencies = opts.concurrency ?? [1, 16];
const profileCells = opts.profileCells ?? ['PUT:4KiB:16', 'PUT:1MiB:16', 'GET:4KiB:16', 'GET:1MiB:16'].map(parseProfileCell);

interface Stoppable {
  stop(): Promise<void> | void;
  killNow(): void;
}
const running: Stoppable[] = [];
const stopAll = (): Promise<unknown> => Promise.race([
  Promise.allSettled(running.splice(0).map((u) => u.stop())),
  new Promise((r) => setTimeout(r, TEARDOWN_LIMIT_MS).unref()),
]);
process.on('exit', () => { for (const u of running) u.killNow(); });
/** Exit code once Ctrl-C or SIGTERM arrived: requests failing after that are no news. */
let interrupted: number | undefined;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    interrupted = code;
    console.error(`\n${signal}: stopping the servers`);
    void stopAll().then(() => process.exit(code));
  });
}

function capConcurrency(size: number, requested: number): number {
  return Math.max(1, Math.min(requested, Math.floor((opts.maxInflightMib * 2 ** 20) / size)));
}

async function startSystems(profiler: ZoneProfiler | undefined): Promise<SystemUnderTest[]> {
  const systems: SystemUnderTest[] = [];
  if (opts.only !== 's3rver') {
    const zs = await ZonestoreUnderTest.start(opts.zoneTiming, profiler?.env());
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

/** Extra zonestore-only cells with the profiler on in every zone; returns Markdown for RESULTS.md. */
async function profileZonestore(zs: SystemUnderTest, profiler: ZoneProfiler, bodies: Map<number, Buffer>, benchmarkPids: number[]): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const blocks: string[] = [];
  const files: string[] = [];
  for (const [i, cell] of profileCells.entries()) {
    if (!bodies.has(cell.size)) bodies.set(cell.size, seededBytes(cell.size, 2000 + i));
    const spec: CellSpec = { op: cell.op, size: cell.size, requestedConcurrency: cell.concurrency, concurrency: capConcurrency(cell.size, cell.concurrency) };
    const pids = profiler.toggle(zs.serverPids());
    if (pids.length === 0) return 'No zone process loaded the profiler hook, so there is no profile.';
    const row = await runCell(spec, [zs], bodies, { durationMs: opts.durationS * 1000, rounds: 1, minOps: opts.minOps, firstSystem: 0, keyTag: 'profile', benchmarkPids });
    profiler.toggle(pids);
    printCell(row);
    const names = new Map(zs.serverPids().map((pid, j) => [pid, zs.serverNames[j]!]));
    const label = `${cell.op} ${sizeLabel(cell.size)} c=${spec.concurrency}`;
    const got = await profiler.collect(pids, resolve(opts.profileOut), (pid) => `${stamp}-${label.replace(/\W+/g, '-')}-${names.get(pid)}`);
    const m = row.systems[0]!.summary;
    const texts = [...got].map(([pid, file]) => profileText(`${label}, ${names.get(pid)}`, file, PROFILE_TOP_ROWS));
    files.push(...got.values());
    console.log(texts.join('\n\n'));
    // The busiest zone in full (all run the same code), the others as busy time only.
    const busiest = [...got].sort(([a], [b]) => m.serverCpuPercentByPid[zs.serverPids().indexOf(b)]! - m.serverCpuPercentByPid[zs.serverPids().indexOf(a)]!);
    const [first, ...rest] = busiest;
    blocks.push([
      `${label}: ${m.mibPerSec.toFixed(1)} MiB/s, ${m.opsPerSec.toFixed(0)} ops/s, p99 ${m.p99Ms.toFixed(1)} ms, `
        + `zone CPU ${m.serverCpuPercentByPid.map((p) => `${p.toFixed(0)}%`).join(' / ')} (profiler on)`,
      ...rest.map(([pid, file]) => profileBusyLine(names.get(pid)!, file)),
      '',
      first ? profileText(`${label}, ${names.get(first[0])}`, first[1], PROFILE_TOP_ROWS) : '(no profile written)',
    ].join('\n'));
  }
  return [
    '### Where the zone processes spend their time (V8 sampling profiler, separate profiled cells)',
    '',
    `Each profiled cell ran zonestore alone after the measured cells, ${opts.durationS} s, profiler on in all three zones `
      + '(it costs throughput, so read the shares, not the rates). The busiest zone is shown in full. '
      + `${files.length} profiles kept in \`${resolve(opts.profileOut)}\` (Chrome DevTools › Performance, or `
      + '`node --import tsx benchmarks/raft/cpu-profile-summary.ts <file>`).',
    '',
    '```text',
    blocks.join('\n\n'),
    '```',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  console.log(`machine: ${machineLine()}; load average ${loadAtStart}`);
  const bodies = new Map(sizes.map((size, i) => [size, seededBytes(size, 1000 + i)]));
  const profiler = opts.profile && opts.only !== 's3rver' ? ZoneProfiler.create() : undefined;
  if (profiler) running.push({ stop: () => profiler.remove(), killNow: () => profiler.remove() });
  const systems = await startSystems(profiler);
  const filled = new Set<string>();
  for (const sut of systems) {
    // Zonestore views share one cluster and bucket: fill it once.
    const owner = sut.serverPids().join();
    if (filled.has(owner)) continue;
    filled.add(owner);
    console.log(`prefill ${sut.label}…`);
    await prefill(sut, bodies);
  }
  const benchmarkPids = systems.flatMap((s) => s.serverPids());
  const idle = await idleCpuPercent(systems, IDLE_SAMPLE_MS);
  console.log(`idle server CPU: ${idle}`);

  const rows: CellRow[] = [];
  for (const op of ['PUT', 'GET'] as const) {
    for (const size of sizes) {
      for (const requested of concurrencies) {
        const spec: CellSpec = { op, size, requestedConcurrency: requested, concurrency: capConcurrency(size, requested) };
        const row = await runCell(spec, systems, bodies,
          { durationMs: opts.durationS * 1000, rounds: opts.rounds, minOps: opts.minOps, firstSystem: rows.length, keyTag: 'cell', benchmarkPids });
        rows.push(row);
        printCell(row);
      }
    }
  }
  const loadAtEnd = loadAverage();
  const zonestore = systems.find((s) => s.label.startsWith('zonestore'));
  const appendix = profiler && zonestore ? [await profileZonestore(zonestore, profiler, bodies, benchmarkPids)] : [];
  await stopAll();

  const args = process.argv.slice(2);
  const command = `npm run bench:gateway${args.length > 0 ? ' -- ' + args.join(' ') : ''}`;
  const notes = [
    'All processes on this one machine: the three zone processes (each: meta replica, 3 data nodes and an S3 gateway on one event loop; '
      + `${opts.zoneTiming === 'default' ? 'the zone flags `zonestore up` uses' : 'the client tests\' fast Raft ticks and health reports'}), `
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
    'CPU table: server CPU (utime + stime from /proc/<pid>/stat, all of a system\'s processes) per successful operation, '
      + 'each process in % of one core, this load process per operation, and "others": every process outside the benchmark '
      + '(/proc/stat minus ours) in % of one core — when it is high, the machine rather than the system set the pace.',
    `Server CPU while idle (before the cells, ${IDLE_SAMPLE_MS / 1000} s): ${idle} of one core (included in the CPU table).`,
    ...(opts.note ?? []),
  ];
  console.log('\n' + renderTables(rows));
  if (opts.write) {
    writeSection(opts.out, renderSection({ command, machine: machineLine(), startedAt, loadAtStart, loadAtEnd, notes, rows, appendix }));
    console.log(`\nwrote the gateway section of ${opts.out}`);
  }
}

main().catch(async (err: unknown) => {
  if (interrupted === undefined) console.error(err);
  await stopAll();
  process.exit(interrupted ?? 1);
});
