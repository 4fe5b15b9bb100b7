// Raft benchmark runner (issue 2): zonestore's 3-node Raft KV against a 3-member etcd, both
// as real processes on loopback with fsync, driven by the same Node gRPC client design.
//   npm run bench:raft -- [--duration 10] [--concurrency 1,16,256] [--systems etcd,zonestore]
// By default both clusters stay up and the cells alternate (etcd c=1, zonestore c=1, etcd
// c=16, ...): on a shared 2-core machine the background load drifts over minutes, and
// alternating keeps each ratio's two cells close in time. The idle cluster costs ~1% of a core
// (counted in "others CPU"). --order sequential runs one whole system, stops it, then the next.
import { Command } from 'commander';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ChildRegistry } from './child-registry.ts';
import { runCell, type CellResult, type CellPlan } from './load-cell.ts';
import { SYSTEMS, type SystemName } from './put-rpc.ts';
import { ensureEtcdInstalled } from './etcd-cluster.ts';
import { kvNodeEntryExists } from './zonestore-cluster.ts';
import { launchEtcd, launchZonestore, type SystemUnderTest, type ZonestoreUnderTest } from './systems-under-test.ts';
import { collectProfiles, profilerToggle, renderProfileSection } from './zonestore-profile.ts';
import { renderConsoleTable, renderMarkdownSection, writeResultsSection, type MachineInfo } from './results-report.ts';
import { REPO_ROOT } from './repo-paths.ts';

/** Ctrl-C / SIGTERM: how long teardown may take before we stop waiting and SIGKILL. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const program = new Command()
  .name('bench:raft')
  .description('zonestore Raft KV vs etcd: committed Puts/s, p50/p99 latency and CPU at several concurrencies')
  .option('--duration <seconds>', 'measured seconds per cell', '10')
  .option('--warmup <seconds>', 'warm-up seconds per cell (not measured)', '3')
  .option('--concurrency <list>', 'Puts in flight, comma-separated', '1,16,256')
  .option('--systems <list>', 'which systems to run, in order', 'etcd,zonestore')
  .option('--order <order>', 'interleaved (alternate systems per concurrency) or sequential', 'interleaved')
  .option('--value-size <bytes>', 'value size of every Put', '128')
  .option('--channels <n>', 'HTTP/2 connections per client process', '8')
  .option('--two-clients-from <c>', 'use two client processes from this concurrency up', '256')
  .option('--tick-ms <ms>', 'passed to the kv nodes as --tick-ms')
  .option('--kv-node-entry <file>', 'kv node entry to launch instead of services/cli/raftkv/kv-node-main.ts')
  .option('--kv-node-args <args>', 'extra flags for every kv node, space-separated (e.g. "--snapshot-every 0")')
  .option('--out <file>', 'Markdown file whose raft section is written', 'benchmarks/RESULTS.md')
  .option('--no-write', 'print the table only')
  .option('--profile', 'also profile the zonestore nodes during one extra cell at the highest concurrency')
  .option('--profile-out <dir>', 'where the .cpuprofile files are kept', join(tmpdir(), 'zonestore-raft-bench-profiles'))
  .option('--note <text...>', 'a note to put above the table in RESULTS.md (repeatable)')
  .parse();

interface Options {
  duration: string;
  warmup: string;
  concurrency: string;
  systems: string;
  order: string;
  valueSize: string;
  channels: string;
  twoClientsFrom: string;
  tickMs?: string;
  kvNodeEntry?: string;
  kvNodeArgs?: string;
  out: string;
  write: boolean;
  profile?: boolean;
  profileOut: string;
  note?: string[];
}

const opts = program.opts<Options>();
const log = (line: string): void => console.log(`[bench:raft] ${line}`);
const registry = new ChildRegistry();

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
}

function parseSystems(list: string): SystemName[] {
  return list.split(',').map((s) => {
    const name = s.trim() as SystemName;
    if (!SYSTEMS.includes(name)) throw new Error(`unknown system '${s}' (expected ${SYSTEMS.join(', ')})`);
    return name;
  });
}

/** Resolves true when every cell ran. */
async function main(): Promise<boolean> {
  const durationMs = positive('duration', opts.duration) * 1000;
  const warmupMs = Number(opts.warmup) * 1000;
  const concurrencies = opts.concurrency.split(',').map((c) => Math.round(positive('concurrency', c)));
  const systems = parseSystems(opts.systems);
  const valueSize = Math.round(positive('value-size', opts.valueSize));
  const channels = Math.round(positive('channels', opts.channels));
  const twoClientsFrom = positive('two-clients-from', opts.twoClientsFrom);
  if (opts.order !== 'interleaved' && opts.order !== 'sequential') {
    throw new Error(`--order must be interleaved or sequential, got '${opts.order}'`);
  }
  const kvNodeEntry = opts.kvNodeEntry ? resolve(opts.kvNodeEntry) : undefined;
  if (systems.includes('zonestore') && !kvNodeEntryExists(kvNodeEntry)) {
    throw new Error(`the zonestore KV node (${kvNodeEntry ?? 'services/cli/raftkv/kv-node-main.ts'}) does not exist (yet); run with --systems etcd`);
  }

  const baseDir = mkdtempSync(join(tmpdir(), 'zonestore-raft-bench-'));
  registry.addTempDir(baseDir);
  log(`temp dir ${baseDir}`);
  const etcdVersion = systems.includes('etcd') ? await ensureEtcdInstalled(log) : 'not run';
  const runId = Date.now().toString(36);
  const planFor = (system: SystemName, concurrency: number, leaderAddress: string, tag = ''): CellPlan => ({
    system,
    leaderAddress,
    concurrency,
    clientProcesses: concurrency >= twoClientsFrom ? 2 : 1,
    channelsPerProcess: channels,
    valueSize,
    warmupMs,
    durationMs,
    keyPrefix: `bench/${runId}/${system}/c${concurrency}${tag}`,
  });

  const cells: CellResult[] = [];
  const failures: string[] = [];
  // A failed cell (say, a node crashing under load) is reported and the run goes on, so one
  // bad cell does not throw away the others' numbers.
  const attempt = async (system: SystemName, c: number, cell: () => Promise<CellResult>): Promise<void> => {
    try {
      cells.push(report(await cell()));
    } catch (err) {
      const message = `${system} c=${c} failed: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      failures.push(message);
    }
  };
  const profileDir = join(baseDir, 'profiles');
  if (opts.profile) mkdirSync(profileDir, { recursive: true });
  const tickMs = opts.tickMs ? Math.round(positive('tick-ms', opts.tickMs)) : undefined;
  const launch = async (system: SystemName): Promise<SystemUnderTest> =>
    system === 'etcd'
      ? launchEtcd(registry, baseDir, etcdVersion, log)
      : launchZonestore(registry, baseDir, {
          tickMs,
          entry: kvNodeEntry,
          extraArgs: opts.kvNodeArgs?.split(/\s+/).filter((a) => a !== ''),
          profileDir: opts.profile ? profileDir : undefined,
        }, log);
  const runOn = (sut: SystemUnderTest, c: number): Promise<void> =>
    attempt(sut.name, c, async () => {
      const leader = await sut.locateLeader();
      log(`${sut.name} c=${c}: leader ${leader.label} @ ${leader.address}`);
      return runCell(registry, planFor(sut.name, c, leader.address), leader.servers);
    });

  let profileSection: string | undefined;
  const profileZonestore = async (sut: ZonestoreUnderTest): Promise<void> => {
    const c = Math.max(...concurrencies);
    const leader = await sut.leaderNode();
    const servers = sut.nodes.map((n) => ({ name: n.id, pid: n.pid, isLeader: n === leader }));
    log(`zonestore c=${c} (profiled): leader ${leader.id} @ ${leader.kvAddress}`);
    const result = await runCell(registry, planFor('zonestore', c, leader.kvAddress, '/profiled'), servers, profilerToggle(sut.nodes));
    log(`profiled cell: ${Math.round(result.putsPerSec)} puts/s, p99 ${result.latency.p99Ms.toFixed(1)} ms`);
    const profiles = await collectProfiles(profileDir, resolve(opts.profileOut), sut.nodes, leader);
    if (profiles.length === 0) log('no profile was written (did the nodes load the profiler hook?)');
    else {
      profileSection = renderProfileSection(result, profiles, 20);
      console.log(`\n${profileSection}\n`);
    }
  };
  const finish = async (sut: SystemUnderTest): Promise<void> => {
    try {
      if (opts.profile && sut.name === 'zonestore') await profileZonestore(sut as ZonestoreUnderTest);
    } finally {
      await sut.stop();
    }
  };

  if (opts.order === 'sequential') {
    for (const system of systems) {
      const sut = await launch(system);
      for (const c of concurrencies) await runOn(sut, c);
      await finish(sut);
    }
  } else {
    const suts: SystemUnderTest[] = [];
    for (const system of systems) suts.push(await launch(system));
    for (const c of concurrencies) for (const sut of suts) await runOn(sut, c);
    for (const sut of suts) await finish(sut);
  }

  console.log(`\n${renderConsoleTable(cells)}\n`);
  for (const f of failures) log(f);
  if (opts.write) {
    const out = resolve(REPO_ROOT, opts.out);
    const section = renderMarkdownSection({
      command: recordedCommand(process.argv.slice(2)),
      twoClientsFrom,
      order: opts.order,
      machine: machineInfo(etcdVersion),
      durationS: durationMs / 1000,
      warmupS: warmupMs / 1000,
      valueSize,
      channelsPerProcess: channels,
      cells,
      notes: [...(opts.note ?? []), ...failures.map((f) => `Cell ${f}`)],
      profileSection,
    });
    writeResultsSection(out, section);
    log(`wrote ${out}`);
  }
  return failures.length === 0;
}

function report(cell: CellResult): CellResult {
  const errors = cell.errors > 0 ? `, ${cell.errors} errors (first: ${cell.firstError})` : '';
  log(
    `${cell.system} c=${cell.concurrency}: ${Math.round(cell.putsPerSec)} puts/s, p50 ${cell.latency.p50Ms.toFixed(2)} ms, ` +
      `p99 ${cell.latency.p99Ms.toFixed(2)} ms, CPU leader ${Math.round(cell.leaderCpuPct)}% / servers ${Math.round(cell.serversCpuPct)}% / ` +
      `clients ${Math.round(cell.clientsCpuPct)}%, leader runq wait ${Math.round(cell.leaderRunQueueWaitPct)}%, ` +
      `others ${Math.round(cell.otherCpuPct)}%${errors}`,
  );
  return cell;
}

/** The command line to repeat this run; notes are left out (they are printed with the table). */
function recordedCommand(args: string[]): string {
  const kept: string[] = [];
  let inNote = false;
  for (const a of args) {
    if (a === '--note') inNote = true;
    else if (a.startsWith('--')) inNote = false;
    if (!inNote && !a.startsWith('--note=')) kept.push(a);
  }
  return `npm run bench:raft${kept.length > 0 ? ` -- ${kept.map(shellQuote).join(' ')}` : ''}`;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function machineInfo(etcdVersion: string): MachineInfo {
  return {
    nproc: availableParallelism(),
    ramGiB: totalmem() / 2 ** 30,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    etcd: etcdVersion,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** Every exit path tears down what we started: normal end, error, Ctrl-C, SIGTERM. */
let shuttingDown = false;
function shutdown(code: number, why: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  if (why) console.error(`[bench:raft] ${why}; stopping everything started`);
  const force = setTimeout(() => process.exit(code), SHUTDOWN_TIMEOUT_MS);
  void registry.stopAll().finally(() => {
    clearTimeout(force);
    process.exit(code);
  });
}

process.on('SIGINT', () => shutdown(130, 'interrupted'));
process.on('SIGTERM', () => shutdown(143, 'terminated'));
process.on('uncaughtException', (err) => {
  console.error(err);
  shutdown(1, 'uncaught exception');
});
// Last resort if something calls process.exit directly: synchronous SIGKILL of the rest.
process.on('exit', () => registry.killAllNow());

main().then(
  (allCellsRan) => shutdown(allCellsRan ? 0 : 1, allCellsRan ? '' : 'some cells failed'),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    shutdown(1, 'failed');
  },
);
