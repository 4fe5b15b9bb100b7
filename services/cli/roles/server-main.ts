// The container image's entry (deploy/Dockerfile bundles this file): `zonestore` with the server
// roles and the operator commands that need nothing but the cluster (`status`, `redundancy`).
// The development commands (up, bench, chaos, demo) are in services/cli/main.ts only, since they
// need the dev dependencies and the source tree.
import { Command } from 'commander';
import { registerRoleCommands } from './index.ts';
import { registerStatusCommand } from '../status-command.ts';
import { registerRedundancyCommand } from '../redundancy-command.ts';

const program = new Command('zonestore')
  .description('zonestore server: run a role (gateway, meta, data, or zone for all of one zone), or inspect a cluster')
  .showHelpAfterError();
registerRoleCommands(program);
registerStatusCommand(program);
registerRedundancyCommand(program);

await program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`zonestore: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
