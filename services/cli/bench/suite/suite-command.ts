// `zonestore bench suite`: its flags only; the work loads when it runs (suite-action.ts).
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { intIn } from '../bench-options.ts';
import { SUITE_CELLS } from './suite-plan.ts';

/** benchmarks/RESULTS.md of this checkout, wherever the command is run from. */
export const DEFAULT_RESULTS_FILE = fileURLToPath(new URL('../../../../benchmarks/RESULTS.md', import.meta.url));
export const DEFAULT_SUITE_SECONDS = 8;
export const DEFAULT_SUITE_ROUNDS = 2;
export const DEFAULT_PROFILE_SECONDS = 6;

export interface SuiteFlags {
  out: string;
  write: boolean;
  seconds: number;
  rounds: number;
  only?: string;
  profile: boolean;
  profileSeconds: number;
  profileDir: string;
  json?: string;
  progress: boolean;
  note?: string[];
}

export function registerSuiteCommand(bench: Command): void {
  bench
    .command('suite')
    .description('the standard set for benchmarks/RESULTS.md: every scenario on the local cluster, s3rver and the physical limit '
      + '(nginx for reads, an fsync\'ing node:http sink for writes), side by side; rewrites its own section of the file')
    .option('--out <file>', 'the Markdown file whose bench-suite section is rewritten', DEFAULT_RESULTS_FILE)
    .option('--no-write', 'print the section; leave the file alone')
    .option('--seconds <s>', 'measured seconds per target and cell', intIn(1, 3600), DEFAULT_SUITE_SECONDS)
    .option('--rounds <n>', 'slices per target and cell, interleaved between the targets', intIn(1, 100), DEFAULT_SUITE_ROUNDS)
    .option('--only <ids>', `comma-separated cells to run (implies --no-write): ${SUITE_CELLS.map((c) => c.id).join(', ')}`)
    .option('--no-profile', 'skip the profiled re-runs of the cells whose target was missed')
    .option('--profile-seconds <s>', 'length of each profiled re-run', intIn(1, 600), DEFAULT_PROFILE_SECONDS)
    .option('--profile-dir <dir>', 'where the .cpuprofile files are kept', join(tmpdir(), 'zonestore-bench-suite-profiles'))
    .option('--json <file>', 'also write every cell\'s full report as JSON')
    .option('--no-progress', 'no live progress bar')
    .option('--note <text>', 'a line added to the section\'s notes (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .action(async (flags: SuiteFlags) => (await import('./suite-action.ts')).suiteAction(flags));
}
