// The `zonestore` command: `up` runs the local cluster (a process per zone: meta replica, data
// nodes and an S3/OSS gateway), `status` reports on it, `redundancy` checks every shard is
// present and valid, `bench` measures S3 endpoints, `chaos` breaks a fresh cluster under load
// and checks what it promised, `durability` models and measures how many nines a deployment has;
// `demo raft-kv` and `kv` are the Raft key-value demo; `gateway|meta|data|zone` run one server
// role (what containers run, see services/cli/roles/).
import { Command } from 'commander';
import { registerUpCommand } from './up-command.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerRedundancyCommand } from './redundancy-command.ts';
import { registerDemoCommand } from './kv-demo-command.ts';
import { registerKvCommands } from './kv-commands.ts';
import { registerChaosCommand } from './chaos/chaos-command.ts';
import { registerDurabilityCommand } from './durability/durability-command.ts';
import { registerRoleCommands } from './roles/index.ts';
import { registerAdminCommand } from './admin/admin-command.ts';
import { registerCpCommand } from './cp/cp-command.ts';
import { registerLogsCommand } from './logs/logs-command.ts';

const program = new Command('zonestore')
  .description('zonestore: a three-zone, strongly consistent object store speaking S3 and OSS')
  .showHelpAfterError();

registerUpCommand(program);
registerStatusCommand(program);
registerRedundancyCommand(program);
registerDemoCommand(program);
registerKvCommands(program);
registerChaosCommand(program);
registerDurabilityCommand(program);
registerRoleCommands(program);
registerAdminCommand(program);
registerCpCommand(program);
registerLogsCommand(program);
await import('./bench/bench-command.ts').then((m) => m.registerBenchCommand(program));

await program.parseAsync();
