// The `zonestore` command. Until the object gateway exists, `up` runs the three-node Raft KV
// demo (the replicated store the metadata service is built on), and `status`/`kv` talk to it.
import { Command } from 'commander';
import { registerUpCommand } from './up-command.ts';
import { registerKvCommands } from './kv-commands.ts';

const program = new Command('zonestore')
  .description('zonestore: a three-zone, strongly consistent object store (today: the Raft KV demo)')
  .showHelpAfterError();

registerUpCommand(program);
registerKvCommands(program);

await program.parseAsync();
