// `zonestore durability run`: the measured run on a fresh local cluster, with a progress bar per
// step on a terminal; prints the report, writes it as JSON (what `durability report` reads), and
// exits 1 when anything was lost or served wrong.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { runMeasured, type ProgressSink } from '../../../benchmarks/durability/measured/measured-run.ts';
import { renderMeasuredRun, runPassed } from '../../../benchmarks/durability/measured/measured-report.ts';
import type { ObjectKind } from '../../../benchmarks/durability/measured/object-set.ts';
import { writeMarkedSection } from '../bench/results-file.ts';
import { describeMachine, loadLine, machineLine } from '../bench/machine-description.ts';
import { DURABILITY_MARKERS, durabilitySection } from './durability-section.ts';
import { hardwareOf } from './model-action.ts';

const RESULTS_FILE = fileURLToPath(new URL('../../../benchmarks/RESULTS.md', import.meta.url));

export interface RunFlags {
  objects: number;
  seed: number;
  sizeScale: number;
  only?: ObjectKind;
  concurrency: number;
  beyondTolerance: number;
  fastTiming: boolean;
  repairTimeout: number;
  out: string;
  keep: boolean;
  results: boolean;
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
  const started = Date.now();
  const machine = describeMachine();
  const report = await runMeasured({
    objects: flags.objects, seed: flags.seed, sizeScale: flags.sizeScale, only: flags.only, concurrency: flags.concurrency,
    beyondTolerance: flags.beyondTolerance, fastTiming: flags.fastTiming, repairTimeoutMs: flags.repairTimeout, keep: flags.keep,
    log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    progress: terminalProgress(),
  });
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, JSON.stringify(report, null, 2) + '\n');
  console.log(renderMeasuredRun(report));
  console.log(`report: ${flags.out} (zonestore durability report --from ${flags.out})`);
  if (flags.results && report.repairMiBps > 0) {
    writeMarkedSection(RESULTS_FILE, durabilitySection({
      command: `zonestore ${process.argv.slice(2).join(' ')}`, machine: machineLine(machine), loadAtStart: loadLine(machine.loadAverage),
      loadAtEnd: loadLine(loadavg()), wallMs: Date.now() - started, run: report, measured: hardwareOf({}, Math.round(report.repairMiBps * 10) / 10),
    }), DURABILITY_MARKERS);
    console.log(`wrote the durability section of ${RESULTS_FILE}`);
  }
  return runPassed(report) ? 0 : 1;
}
