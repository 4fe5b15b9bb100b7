// `zonestore bench <scenario>`: one scenario against the local cluster (started and stopped by
// the tool), an S3 endpoint, or several side by side; a live progress bar, a summary table, and
// JSON/Markdown/SVG reports. `zonestore bench suite` (suite/) runs the standard set.
// Registration only: the S3 SDK and the runner load when a bench command actually runs, so
// other zonestore commands start as fast as before.
import type { Command } from 'commander';
import { addBenchFlags, parseScenarioName, type BenchFlags } from './bench-options.ts';
import { SCENARIOS, SCENARIO_HELP, type ScenarioName } from './scenario-config.ts';
import { registerSuiteCommand } from './suite/suite-command.ts';

export function registerBenchCommand(program: Command): void {
  // `bench suite` has flags named like bench's own (--rounds, --json…). Commander hands a flag
  // after `suite` to the suite only when every command above it stops reading options at its
  // subcommand; zonestore itself has no options of its own, so this changes nothing else.
  program.enablePositionalOptions();
  const bench = program
    .command('bench')
    .description('measure an S3 endpoint — the local cluster by default — with one scenario; `bench suite` runs the standard set for benchmarks/RESULTS.md')
    .argument('<scenario>', `one of: ${SCENARIOS.join(', ')}`, parseScenarioName)
    .enablePositionalOptions();
  addBenchFlags(bench)
    .addHelpText('after', [
      '',
      'Scenarios:',
      ...SCENARIOS.map((s) => `  ${s.padEnd(12)} ${SCENARIO_HELP[s]}`),
      '',
      'Every target gets the same client settings and the same seeded sequence of operations. Latencies are',
      'HDR histograms of whole operations; CPU and peak RSS of server processes are reported for servers the',
      'tool started (the local cluster\'s zone processes, s3rver).',
      '',
      'Examples:',
      '  zonestore bench put --size 4KiB -c 16 -d 20',
      '  zonestore bench get --size 64MiB -c 4 --vs s3rver --svg get.svg',
      '  zonestore bench mixed --ratio 80:20 --size 4KiB-1MiB --endpoint http://KEY:SECRET@10.0.0.5:9000 --json out.json',
      '  zonestore bench list --list-layout nested --list-keys 10000',
      '  zonestore bench suite            # the standard set, rewrites its section of benchmarks/RESULTS.md',
    ].join('\n'))
    .action(async (scenario: ScenarioName, flags: BenchFlags) => (await import('./bench-action.ts')).benchAction(scenario, flags));
  registerSuiteCommand(bench);
}

