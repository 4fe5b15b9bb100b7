import type { Command } from 'commander';
export function registerSuiteCommand(bench: Command): void {
  bench.command('suite').description('TODO').action(() => {});
}
