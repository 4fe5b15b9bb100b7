// `zonestore chaos`: a Jepsen-style run against a fresh local three-zone cluster — a seeded
// schedule of faults (zone kills and pauses, data node kills, partitions through fault proxies,
// disk wipes, bitrot, full disks) while S3 clients on every gateway read and write a small key
// set; then the checkers: linearizability per key, RPO (every acknowledged write readable, byte
// for byte, listings exact), write RTO per fault, and full redundancy after repair.
// Registration only: the harness loads when the command runs.
import type { Command } from 'commander';
import { SCENARIOS } from '../../../test/chaos/nemesis/nemesis-fault.ts';
import { positiveInt } from '../../common/cli-options.ts';
import { parseDuration, parseNetwork, parseScenario, parseSeeds, type ChaosFlags } from './chaos-options.ts';

export const SCENARIO_HELP: Record<(typeof SCENARIOS)[number], string> = {
  'zone-kill': 'kill -9 a zone process (the meta leader\'s zone half the time), restart it',
  'zone-pause': 'SIGSTOP a zone process (alive but silent), SIGCONT it',
  'partition': 'isolate a zone, mute one (one-way), cut two zones apart, or slow a zone\'s links',
  'bitrot': 'flip bytes in stored chunks of a data node',
  'disk-loss': 'wipe a data node\'s disk and start it empty',
  'mixed': 'all of the above, plus single data node kills and full disks',
};

export function registerChaosCommand(program: Command): void {
  program
    .command('chaos')
    .description('run a seeded fault schedule against a fresh local three-zone cluster under an S3 workload, and check linearizability, RPO, RTO and redundancy')
    .option('--scenario <name>', `one of: ${SCENARIOS.join(', ')}`, parseScenario, 'mixed')
    .option('--duration <time>', 'how long the workload runs (60s, 2m, …); faults fit inside it', parseDuration, 60_000)
    .option('--seed <n>', 'seeds the fault schedule, the workload\'s choices and the proxies\' jitter (same seed, same schedule)', positiveInt, 1)
    .option('--seeds <list>', 'a campaign: one run per seed, e.g. 1-30 or 3,8,12 (overrides --seed)', parseSeeds)
    .option('--clients <n>', 'concurrent S3 clients, spread over the zones\' gateways', positiveInt, 6)
    .option('--keys <n>', 'keys the clients share (each one a register)', positiveInt, 6)
    .option('--out <dir>', 'where each run writes verdict.txt, history.json and timeline.html (a folder per run)', 'chaos-results')
    .option('--network <mode>', 'proxy: faults through TCP proxies on every inter-zone link; proxy+nft: also nftables drop rules (root)', parseNetwork, 'proxy')
    .option('--fast-timing', 'short Raft ticks and health reports (as the tests use) instead of `zonestore up`\'s own', false)
    .option('--repair-timeout <time>', 'how long repair gets to restore full redundancy after healing', parseDuration, 90_000)
    .option('--keep', 'keep each run\'s cluster directory (logs, data) next to its report', false)
    .option('--results', 'write the campaign\'s summary and RTO distribution into benchmarks/RESULTS.md', false)
    .addHelpText('after', [
      '',
      'Scenarios:',
      ...SCENARIOS.map((s) => `  ${s.padEnd(11)} ${SCENARIO_HELP[s]}`),
      '',
      'A run fails (exit 1) on any linearizability violation, lost or corrupt acknowledged write, listing',
      'mismatch, fault that could not be injected or healed, writes that never recovered, or redundancy not',
      'restored by repair in time. Every fault is healed before the final checks.',
      '',
      'Examples:',
      '  zonestore chaos --scenario zone-kill --duration 60s --seed 7',
      '  zonestore chaos --scenario mixed --seeds 1-30 --results     # the campaign recorded in RESULTS.md',
    ].join('\n'))
    .action(async (flags: ChaosFlags) => {
      const code = await (await import('./chaos-action.ts')).chaosAction(flags);
      process.exitCode = code;
    });
}
