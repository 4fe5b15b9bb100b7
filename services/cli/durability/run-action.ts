// `zonestore durability run`: the measured run on a fresh local cluster, with a progress bar per
// step on a terminal; prints the report, writes it as JSON (what `durability report` reads), and
// exits 1 when anything was lost or served wrong.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { runMeasured, type ProgressSink } from '../../../benchmarks/durability/measured/measured-run.ts';
import { renderMeasuredRun, runPassed } from '../../../benchmarks/durability/measured/measured-report.ts';

export interface RunFlags {
  objects: number;
  seed: number;
  sizeScale: number;
  concurrency: number;
  beyondTolerance: number;
  fastTiming: boolean;
  repairTimeout: number;
  out: string;
  keep: boolean;
}

/** One bar at a time on stderr; nothing when stderr is not a terminal. */
function terminalProgress(): ProgressSink | undefined {
  if (!process.stderr.isTTY) return undefined;
  return {
    start(label, total) {
      const bar = new cliProgress.SingleBar({
        format: ` ${label.padEnd(28)} {bar} {value}/{total} objects | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, stream: process.stderr,
      }, cliProgress.Presets.shades_classic);
      bar.start(total, 0);
      return { tick: () => bar.increment(), done: () => bar.stop() };
    },
  };
}

export async function durabilityRunAction(flags: RunFlags): Promise<number> {
  const report = await runMeasured({
    objects: flags.objects, seed: flags.seed, sizeScale: flags.sizeScale, concurrency: flags.concurrency,
    beyondTolerance: flags.beyondTolerance, fastTiming: flags.fastTiming, repairTimeoutMs: flags.repairTimeout, keep: flags.keep,
    log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    progress: terminalProgress(),
  });
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, JSON.stringify(report, null, 2) + '\n');
  console.log(renderMeasuredRun(report));
  console.log(`report: ${flags.out} (zonestore durability report --from ${flags.out})`);
  return runPassed(report) ? 0 : 1;
}
