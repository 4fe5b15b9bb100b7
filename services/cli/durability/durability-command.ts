// `zonestore durability`: how many nines a deployment has and the evidence for it —
// `model` (closed forms and simulation for a layout), `run` (a real local cluster written,
// broken within tolerance, repaired and verified byte for byte, repair throughput measured) and
// `report` (the model fed with a run's measured repair throughput). Registration only: the
// work loads when a subcommand runs.
import { InvalidArgumentError, type Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../../common/cli-options.ts';
import { parseDuration } from '../chaos/chaos-options.ts';
import type { RunFlags } from './run-action.ts';

export const DEFAULT_RUN_REPORT = 'durability-results/run.json';

function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`expected a number in (0, 1], got "${value}"`);
  return n;
}

export function registerDurabilityCommand(program: Command): void {
  const durability = program
    .command('durability')
    .description('durability of a deployment: the model (nines per scheme), a measured run on a real local cluster, and the model fed with measured repair speed');

  durability
    .command('run')
    .description('write objects to a fresh local three-zone cluster, lose a zone with its disks, then a disk, a node and bitrot up to each stripe\'s tolerance; repair, verify every object byte for byte, measure repair throughput')
    .option('--objects <n>', 'objects to write (mixed: replicated small objects, RS(6,3) objects of one and two stripes, multipart uploads)', positiveInt, 10_000)
    .option('--seed <n>', 'seeds the object sizes and bytes and the bitrot plan', nonNegativeInt, 1)
    .option('--size-scale <s>', 'shrink object sizes above each kind\'s minimum (0 < s ≤ 1)', fraction, 1)
    .option('--concurrency <n>', 'S3 requests in flight while writing and verifying', positiveInt, 8)
    .option('--beyond-tolerance <n>', 'afterwards, delete tolerance + 1 shards of one stripe of n objects: they must be reported lost by name, never read back wrong (exit code 1)', nonNegativeInt, 0)
    .option('--fast-timing', 'short Raft ticks and health reports (as the tests use) instead of `zonestore up`\'s own', false)
    .option('--repair-timeout <time>', 'how long repair gets per phase to restore full redundancy', parseDuration, 30 * 60_000)
    .option('--out <file>', 'where the JSON report goes (read by `durability report`)', DEFAULT_RUN_REPORT)
    .option('--keep', 'keep the cluster directory (logs, data)', false)
    .addHelpText('after', [
      '',
      'Exit code 0 when every object was written, read back intact while degraded and after repair, and repair restored',
      'full redundancy; 1 when any object was lost or served with wrong bytes (each named).',
      '',
      'Examples:',
      '  zonestore durability run --objects 1000 --size-scale 0.25          # a short run (as CI runs it)',
      '  zonestore durability run --objects 10000                           # the run recorded in benchmarks/RESULTS.md',
      '  zonestore durability run --objects 500 --beyond-tolerance 5        # beyond m losses: 5 objects reported lost',
    ].join('\n'))
    .action(async (flags: RunFlags) => {
      process.exitCode = await (await import('./run-action.ts')).durabilityRunAction(flags);
    });
}
