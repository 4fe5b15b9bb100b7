// What `zonestore bench suite` does: start zonestore (local cluster), s3rver, nginx and the fsync
// sink once; run every cell of the plan over zonestore, s3rver and the cell's limit, slices
// interleaved; re-run the cells whose target was missed with the zones profiled; write the
// section of RESULTS.md; stop everything it started, whatever happens.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZoneProfiler, profileBusyLine, profileText } from '../../../../benchmarks/gateway/zone-profiles.ts';
import { readProfile, summarizeProfile } from '../../../../benchmarks/raft/cpu-profile-summary.ts';
import { profileReading } from './profile-reading.ts';
import { commandLine } from '../bench-report-output.ts';
import { runBench, type RunIo } from '../bench-run.ts';
import type { BenchClientOptions } from '../bench-s3-client.ts';
import { startLocalTarget, startS3rverTarget, type BenchTarget } from '../bench-target.ts';
import { describeMachine, loadLine } from '../machine-description.ts';
import { targetReport } from '../report-build.ts';
import { terminalSummary } from '../report-text.ts';
import { describeSizeSpec } from '../size-spec.ts';
import { TargetRegistry } from '../target-registry.ts';
import { startNginxTarget, startSinkTarget } from './limit-targets.ts';
import type { SuiteFlags } from './suite-command.ts';
import { SUITE_CELLS, type SuiteCell } from './suite-plan.ts';
import { judgeTargets, renderSection, writeSection, type CellResult } from './suite-section.ts';
import { suiteNotes } from './suite-notes.ts';

const log = (line: string): void => { process.stderr.write(line + '\n'); };
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SEED = 1;
/** Cells profiled at most: each costs a run plus writing three profiles. */
const MAX_PROFILED_CELLS = 4;
const PROFILE_TOP_ROWS = 12;

export async function suiteAction(flags: SuiteFlags): Promise<void> {
  const started = performance.now();
  const registry = new TargetRegistry(log);
  const profiler = flags.profile ? ZoneProfiler.create() : undefined;
  try {
    const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only?.filter((id) => !SUITE_CELLS.some((c) => c.id === id)) ?? [];
    if (unknown.length > 0) throw new Error(`unknown cells: ${unknown.join(', ')}`);
    const cells = only ? SUITE_CELLS.filter((c) => only.includes(c.id)) : SUITE_CELLS;
    const machine = describeMachine();
    const startedAt = new Date().toISOString();
    log(`bench suite: ${cells.length} cells, ${flags.seconds} s per target and cell in ${flags.rounds} rounds; load average ${loadLine(machine.loadAverage)}`);
    const clientOpts: BenchClientOptions = { region: 'us-east-1', checksums: 'required', requestTimeoutMs: 120_000 };

    log('starting the local three-zone cluster, s3rver, nginx and the fsync sink…');
    const zonestore = registry.add(await startLocalTarget(clientOpts, 'spread', profiler?.env()));
    const s3rver = registry.add(await startS3rverTarget(clientOpts));
    const nginx = cells.some((c) => c.limit === 'nginx') ? registry.add(await startNginxTarget(clientOpts, log)) : undefined;
    const sink = cells.some((c) => c.limit === 'fsync-sink') ? registry.add(await startSinkTarget(clientOpts)) : undefined;
    const everyone = [zonestore, s3rver, nginx, sink].filter((t): t is BenchTarget => t !== undefined);
    const io: RunIo = { log, progress: flags.progress, allServerPids: () => everyone.flatMap((t) => t.servers().map((s) => s.pid)) };

    const results: CellResult[] = [];
    for (const [i, cell] of cells.entries()) {
      const limit = cell.limit === 'nginx' ? nginx : cell.limit === 'fsync-sink' ? sink : undefined;
      const targets = [zonestore, s3rver, ...(limit ? [limit] : [])];
      const t0 = performance.now();
      log(`\n[${i + 1}/${cells.length}] ${cell.title}, c=${cell.concurrency}: ${targets.map((t) => t.label).join(' vs ')}`);
      const outcomes = await runBench(targets, planOf(cell, flags.seconds * 1000, flags.rounds, `suite-${cell.id}`), io);
      const reports = outcomes.map(targetReport);
      results.push({ cell, targets: reports });
      log(terminalSummary({ ...stubReport(cell, flags), targets: reports }).split('\n').slice(2).join('\n'));
      log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }

    const profiles = profiler ? await profileMissed(results, zonestore, profiler, flags, io) : [];
    const run = {
      command: commandLine('zonestore bench suite', process.argv.slice(4)), machine, loadAtEnd: describeMachine().loadAverage, startedAt,
      runSeconds: (performance.now() - started) / 1000, secondsPerTarget: flags.seconds, rounds: flags.rounds, cells: results, profiles,
      notes: [...suiteNotes(flags.seconds, flags.rounds), ...(flags.note ?? [])],
    };
    const section = renderSection(run);
    if (flags.json) {
      writeFileSync(flags.json, JSON.stringify({ ...run, verdicts: judgeTargets(results) }, null, 2) + '\n');
      log(`wrote ${flags.json}`);
    }
    if (flags.write && !only) {
      writeSection(resolve(flags.out), section);
      log(`\nwrote the bench-suite section of ${resolve(flags.out)}`);
    } else {
      console.log(section);
    }
    log(`bench suite: ${((performance.now() - started) / 1000).toFixed(0)} s end to end (before teardown)`);
  } catch (err) {
    log(`zonestore bench suite: ${(err as Error).stack ?? (err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await registry.stopAll();
    profiler?.remove();
  }
}

function planOf(cell: SuiteCell, durationMs: number, rounds: number, bucket: string) {
  return {
    scenario: cell.scenario, concurrency: cell.concurrency, rounds, seed: SEED, bucket, prefix: 'suite/',
    ...(cell.ops !== undefined ? { ops: cell.ops } : { durationMs }),
  };
}

/** Enough of a report for the terminal summary of one cell. */
function stubReport(cell: SuiteCell, flags: SuiteFlags) {
  const m = describeMachine();
  return {
    tool: 'zonestore bench' as const, reportVersion: 1, command: '', startedAt: '', finishedAt: '', machine: m, loadAverageAtEnd: m.loadAverage,
    scenario: { name: cell.scenario.name, size: describeSizeSpec(cell.scenario.size), concurrency: cell.concurrency, durationS: flags.seconds,
      rounds: flags.rounds, seed: SEED, keys: cell.scenario.keys, details: {} },
  };
}

/**
 * Re-runs zonestore alone on the cells whose limit or latency target was missed (then, room
 * permitting, those behind s3rver), the V8 profiler on in every zone, and summarizes the
 * busiest zone in full and the others by busy time.
 */
async function profileMissed(results: CellResult[], zonestore: BenchTarget, profiler: ZoneProfiler, flags: SuiteFlags, io: RunIo): Promise<string[]> {
  const missed = judgeTargets(results).filter((v) => v.met === false);
  const ids = [...new Set([...missed.filter((v) => v.target.judge.kind !== 'ratio-to-peer'), ...missed].map((v) => v.target.cellId))]
    .slice(0, MAX_PROFILED_CELLS);
  const blocks: string[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const names = new Map(zonestore.servers().map((s) => [s.pid, s.name]));
  for (const id of ids) {
    const cell = results.find((r) => r.cell.id === id)!.cell;
    log(`\nprofiling zonestore on ${cell.title}, c=${cell.concurrency} (${flags.profileSeconds} s)…`);
    let pids: number[] = [];
    // Reads reuse the measured run's pool; what consumes objects (delete) gets its own.
    const reusePools = ['get', 'mixed', 'list'].includes(cell.scenario.name);
    const outcome = await runBench([zonestore], {
      ...planOf(cell, flags.profileSeconds * 1000, 1, `suite-${cell.id}`), ...(reusePools ? { reusePools } : { prefix: 'profile/' }),
    }, {
      ...io, onPhaseStart: () => { pids = profiler.toggle(zonestore.servers().map((s) => s.pid)); }, onPhaseEnd: () => { profiler.toggle(pids); },
    });
    const report = targetReport(outcome[0]!);
    const files = await profiler.collect(pids, resolve(flags.profileDir), (pid) => `${stamp}-${cell.id}-${names.get(pid)}`);
    if (files.size === 0) {
      blocks.push(`${cell.title}: no zone process wrote a profile.`);
      continue;
    }
    const cpu = new Map(report.servers.map((s) => [s.pid, s.cpuPercent]));
    const [hot, ...rest] = [...files].sort(([a], [b]) => (cpu.get(b) ?? 0) - (cpu.get(a) ?? 0));
    const z = report.total;
    blocks.push([
      `**${cell.title}, c=${cell.concurrency}** (profiled re-run: ${figure2(z.opsPerSec)} ops/s, ${figure2(z.mibPerSec)} MiB/s, p99 ${figure2(z.latencyMs.p99)} ms; `
        + `zone CPU ${report.servers.map((s) => `${s.name} ${s.cpuPercent.toFixed(0)}%`).join(', ')}; client ${report.clientCpuPercent.toFixed(0)}%, `
        + `others ${report.othersCpuPercent.toFixed(0)}%). Profiles: \`${[...files.values()].join('`, `')}\`.`,
      '',
      profileReading(names.get(hot![0])!, summarizeProfile(readProfile(hot![1]), PROFILE_TOP_ROWS)),
      '',
      '```text',
      ...rest.map(([pid, file]) => profileBusyLine(names.get(pid)!, file)),
      '',
      profileText(`${names.get(hot![0])} (the busiest zone)`, hot![1], PROFILE_TOP_ROWS),
      '```',
      '',
    ].join('\n'));
  }
  return blocks;
}

const figure2 = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2));
