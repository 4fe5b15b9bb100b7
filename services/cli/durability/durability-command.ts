// `zonestore durability`: how many nines a deployment has and the evidence for it —
// `model` (closed forms and simulation for a layout), `run` (a real local cluster written,
// broken within tolerance, repaired and verified byte for byte, repair throughput measured) and
// `report` (the model fed with a run's measured repair throughput). Registration only: the
// work loads when a subcommand runs.
import { InvalidArgumentError, type Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../../common/cli-options.ts';
import { parseDuration } from '../chaos/chaos-options.ts';
import { OBJECT_MIX, type ObjectKind } from '../../../benchmarks/durability/measured/object-set.ts';
import type { HardwareFlags } from './model-action.ts';
import type { RunFlags } from './run-action.ts';

export const DEFAULT_RUN_REPORT = 'durability-results/run.json';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  return n;
}

/** The layout and failure flags `model` and `report` share (absent: the default deployment). */
function hardwareOptions(c: Command, withRepair: boolean): Command {
  c.option('--zones <n>', 'zones (default 3)', positiveInt)
    .option('--nodes-per-zone <n>', 'data nodes per zone (default 3)', positiveInt)
    .option('--drives-per-node <n>', 'drives per node (default 12)', positiveInt)
    .option('--drive-tb <tb>', 'drive size in TB (default 16)', positiveNumber)
    .option('--fill <f>', 'fraction of each drive holding data (default 0.7)', fraction)
    .option('--afr <percent>', 'annual drive failure rate in percent (default 1.57)', positiveNumber);
  if (withRepair) c.option('--repair-mibps <n>', 'repair speed of one failed drive, MiB/s (default 100)', positiveNumber);
  return c.option('--detection-hours <h>', 'hours from a failure to repair starting, added to the rebuild time (default 0)', nonNegativeNumber)
    .option('--zone-outages-per-year <n>', 'zone losses per year counted as able to destroy data (default 0: not modelled)', nonNegativeNumber)
    .option('--zone-outage-hours <h>', 'how long each lasts (default 0)', nonNegativeNumber)
    .option('--svg <file>', 'also write an SVG plot of nines against repair time per scheme');
}

function objectKind(value: string): ObjectKind {
  const kind = OBJECT_MIX.find((k) => k.kind === value)?.kind;
  if (!kind) throw new InvalidArgumentError(`expected one of ${OBJECT_MIX.map((k) => k.kind).join(', ')}, got "${value}"`);
  return kind;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`expected a number in (0, 1], got "${value}"`);
  return n;
}

export function registerDurabilityCommand(program: Command): void {
  const durability = program
    .command('durability')
    .description('durability of a deployment: the model (nines per scheme), a measured run on a real local cluster, and the model fed with measured repair speed');

  hardwareOptions(durability
    .command('model')
    .description('annual loss probability and nines per scheme (RS(6,3), RS(10,4), RS(4,2), 3 and 2 replicas) for a layout: period and Markov models, per stripe group, object and deployment, with the assumptions'), true)
    .addHelpText('after', '\nExample:\n  zonestore durability model --afr 1.57 --drive-tb 16 --repair-mibps 50 --svg nines.svg')
    .action(async (flags: HardwareFlags) => {
      (await import('./model-action.ts')).durabilityModelAction(flags);
    });

  hardwareOptions(durability
    .command('report')
    .description('the model for this deployment with the repair speed a measured run recorded (`durability run --out`)')
    .option('--from <file>', 'the measured run\'s JSON report', DEFAULT_RUN_REPORT), false)
    .action(async (flags: HardwareFlags & { from: string }) => {
      (await import('./model-action.ts')).durabilityReportAction(flags);
    });

  durability
    .command('run')
    .description('write objects to a fresh local three-zone cluster, lose a zone with its disks, then a disk, a node and bitrot up to each stripe\'s tolerance; repair, verify every object byte for byte, measure repair throughput')
    .option('--objects <n>', 'objects to write (mixed: replicated small objects, RS(6,3) objects of one and two stripes, multipart uploads)', positiveInt, 10_000)
    .option('--seed <n>', 'seeds the object sizes and bytes and the bitrot plan', nonNegativeInt, 1)
    .option('--size-scale <s>', 'shrink object sizes above each kind\'s minimum (0 < s ≤ 1)', fraction, 1)
    .option('--only <kind>', `only objects of one kind (${OBJECT_MIX.map((k) => k.kind).join(', ')}): how repair speed depends on object size`, objectKind)
    .option('--concurrency <n>', 'S3 requests in flight while writing and verifying', positiveInt, 8)
    .option('--beyond-tolerance <n>', 'afterwards, delete tolerance + 1 shards of one stripe of n objects: they must be reported lost by name, never read back wrong (exit code 1)', nonNegativeInt, 0)
    .option('--fast-timing', 'short Raft ticks and health reports (as the tests use) instead of `zonestore up`\'s own', false)
    .option('--repair-timeout <time>', 'how long repair gets per phase to restore full redundancy', parseDuration, 30 * 60_000)
    .option('--out <file>', 'where the JSON report goes (read by `durability report`)', DEFAULT_RUN_REPORT)
    .option('--keep', 'keep the cluster directory (logs, data)', false)
    .option('--results', 'write the run and the model fed its repair speed into benchmarks/RESULTS.md', false)
    .addHelpText('after', [
      '',
      'Exit code 0 when every object was written, read back intact while degraded and after repair, and repair restored',
      'full redundancy; 1 when any object was lost or served with wrong bytes (each named).',
      '',
      'Examples:',
      '  zonestore durability run --objects 1000 --size-scale 0.25          # a short run (as CI runs it)',
      '  zonestore durability run --objects 10000 --results                 # the run recorded in benchmarks/RESULTS.md',
      '  zonestore durability run --objects 500 --beyond-tolerance 5        # beyond m losses: 5 objects reported lost',
    ].join('\n'))
    .action(async (flags: RunFlags) => {
      process.exitCode = await (await import('./run-action.ts')).durabilityRunAction(flags);
    });
}
