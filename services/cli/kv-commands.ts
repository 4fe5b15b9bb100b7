// `zonestore kv status|put|get`: small clients of the Raft KV demo (`zonestore demo raft-kv`).
import type { Command } from 'commander';
import { KvClusterClient } from './raftkv/kv-cluster-client.ts';

/** How long `kv put/get` keep retrying (through an election, say) before giving up. */
const KV_COMMAND_TIMEOUT_MS = 10_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

export function registerKvCommands(program: Command): void {
  const kv = program.command('kv').description('talk to the Raft KV demo (`zonestore demo raft-kv`); put/get follow the leader');
  kv.command('status')
    .description('print the Raft status of one KV node')
    .requiredOption('--endpoint <host:port>', 'KV address of the node (as printed by `zonestore demo raft-kv`)')
    .option('--json', 'print JSON')
    .action(async (opts: { endpoint: string; json?: boolean }) => {
      const client = new KvClusterClient([opts.endpoint]);
      try {
        const s = await client.status(opts.endpoint);
        const view = {
          id: s.id, role: s.role, leader: s.leader || '(none)', leaderKvAddress: s.leaderAddress || '(unknown)',
          term: Number(s.term), commit: Number(s.commit), applied: Number(s.applied),
        };
        if (opts.json) console.log(JSON.stringify(view));
        else for (const [k, v] of Object.entries(view)) console.log(`${k.padEnd(17)} ${v}`);
      } catch (err) {
        console.error(`cannot reach ${opts.endpoint}: ${(err as Error).message}`);
        process.exitCode = 1;
      } finally {
        client.close();
      }
    });

  kv.command('put')
    .description('store <value> under <key>; prints the log index it committed at')
    .requiredOption('--endpoint <host:port,...>', 'KV address(es) of any node(s)')
    .argument('<key>')
    .argument('<value>')
    .action(async (key: string, value: string, opts: { endpoint: string }) => {
      await withClient(opts.endpoint, async (c) => {
        const r = await c.put(enc.encode(key), enc.encode(value), KV_COMMAND_TIMEOUT_MS);
        console.log(`OK index ${r.index}`);
      });
    });
  kv.command('get')
    .description('linearizable read of <key>')
    .requiredOption('--endpoint <host:port,...>', 'KV address(es) of any node(s)')
    .argument('<key>')
    .action(async (key: string, opts: { endpoint: string }) => {
      await withClient(opts.endpoint, async (c) => {
        const r = await c.get(enc.encode(key), KV_COMMAND_TIMEOUT_MS);
        if (r.found) console.log(dec.decode(r.value));
        else {
          console.error(`(not found) ${key}`);
          process.exitCode = 2;
        }
      });
    });
}

async function withClient(endpoints: string, fn: (c: KvClusterClient) => Promise<void>): Promise<void> {
  const client = new KvClusterClient(endpoints.split(',').map((e) => e.trim()).filter(Boolean));
  try {
    await fn(client);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}
