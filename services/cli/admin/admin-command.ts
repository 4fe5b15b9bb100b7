// `zonestore admin account|user|key|policy|sandbox|kms|whoami …`: a client of the gateway's admin
// API. Endpoint and key: the flags, else ZONESTORE_ACCESS_KEY_ID / ZONESTORE_SECRET_ACCESS_KEY,
// else the local `zonestore up` cluster of --data-dir (its record and root credentials).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { readClusterRecord } from '../zone/local-cluster-record.ts';
import { DEFAULT_DATA_DIR, ROOT_CREDENTIALS_FILE } from '../zone/zone-layout.ts';
import { AdminApiError, AdminClient } from './admin-client.ts';
import { registerKmsCommand, type KmsTarget } from './kms-command.ts';

interface GlobalOptions {
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  caFile?: string;
  dataDir: string;
  json?: boolean;
  accountId?: string;
}

export function adminClientOf(o: GlobalOptions, env: NodeJS.ProcessEnv = process.env): AdminClient {
  return new AdminClient(adminTargetOf(o, env));
}

/** Endpoint and signing key of the admin (and KMS) commands. */
export function adminTargetOf(o: GlobalOptions, env: NodeJS.ProcessEnv = process.env): KmsTarget {
  const dataDir = resolve(o.dataDir);
  const record = readClusterRecord(dataDir);
  const endpoint = o.endpoint ?? record?.gatewayEndpoints?.[0];
  if (!endpoint) throw new Error(`no endpoint: pass --endpoint (no local cluster record in ${dataDir})`);
  let accessKeyId = o.accessKeyId ?? env.ZONESTORE_ACCESS_KEY_ID;
  let secretAccessKey = o.secretAccessKey ?? env.ZONESTORE_SECRET_ACCESS_KEY;
  const file = join(dataDir, ROOT_CREDENTIALS_FILE);
  if ((!accessKeyId || !secretAccessKey) && existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    accessKeyId ??= c.accessKeyId;
    secretAccessKey ??= c.secretAccessKey;
  }
  if (!accessKeyId || !secretAccessKey) throw new Error('no key: pass --access-key-id and --secret-access-key (or set ZONESTORE_ACCESS_KEY_ID / ZONESTORE_SECRET_ACCESS_KEY)');
  return { endpoint, accessKeyId, secretAccessKey, ...(o.caFile ? { caFile: o.caFile } : {}) };
}

type Action = (client: AdminClient, o: GlobalOptions, ...args: string[]) => Promise<unknown>;

function print(value: unknown, json: boolean | undefined): void {
  if (value === undefined) return;
  if (json || typeof value !== 'object') {
    process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const enc = encodeURIComponent;

export function registerAdminCommand(program: Command): void {
  const admin = program.command('admin')
    .description('manage accounts, users, access keys, user policies, bucket sandboxes (the gateway admin API) and KMS keys (its KMS API)')
    .option('--endpoint <url>', 'gateway URL (default: the local cluster of --data-dir)')
    .option('--access-key-id <id>', 'signing key id (env ZONESTORE_ACCESS_KEY_ID; default: the local root key)')
    .option('--secret-access-key <secret>', 'signing secret (env ZONESTORE_SECRET_ACCESS_KEY)')
    .option('--ca-file <pem>', 'CA certificate for an https endpoint')
    .option('--data-dir <dir>', 'data directory of the local cluster (`zonestore up --data-dir`)', DEFAULT_DATA_DIR)
    .option('--account-id <id>', 'work in this account (the cluster admin only)')
    .option('--json', 'print the raw JSON answer');

  const run = (action: Action) => async (...args: unknown[]) => {
    const o = admin.opts<GlobalOptions>();
    try {
      const client = adminClientOf(o);
      const out = await action(client, o, ...(args.filter((a) => typeof a === 'string') as string[]));
      print(out, o.json);
    } catch (err) {
      process.stderr.write(`zonestore admin: ${err instanceof AdminApiError ? `${err.message} (HTTP ${err.status})` : (err as Error).message}\n`);
      process.exitCode = 1;
    }
  };
  const q = (o: GlobalOptions): Record<string, string> => (o.accountId ? { accountId: o.accountId } : {});
  const body = async (c: AdminClient, m: string, p: string, o: GlobalOptions, b?: unknown) => (await c.call(m, p, b, q(o))).body;

  admin.command('whoami').description('who the signing key is').action(run((c, o) => body(c, 'GET', '/whoami', o)));

  const account = admin.command('account').description('accounts (the cluster admin only)');
  account.command('create <name>').description('create an account and its own key (the secret is shown once)')
    .action(run((c, o, name) => body(c, 'POST', '/accounts', o, { name })));
  account.command('list').description('list accounts').action(run((c, o) => body(c, 'GET', '/accounts', o)));

  const user = admin.command('user').description("the account's users");
  user.command('create <name>').description('create a user').option('--admin', 'may manage the account\'s users, keys and policies')
    .action(async (name: string, opts: { admin?: boolean }) => run((c, o) => body(c, 'POST', '/users', o, { name, admin: opts.admin === true }))());
  user.command('list').description('list users').action(run((c, o) => body(c, 'GET', '/users', o)));
  user.command('get <name>').description('show a user').action(run((c, o, name) => body(c, 'GET', `/users/${enc(name!)}`, o)));
  user.command('delete <name>').description('delete a user with its keys and policies').action(run((c, o, name) => body(c, 'DELETE', `/users/${enc(name!)}`, o)));

  const key = admin.command('key').description("a user's access keys");
  key.command('create <user>').description('create a key (the secret is shown once)').action(run((c, o, u) => body(c, 'POST', `/users/${enc(u!)}/keys`, o)));
  key.command('list <user>').description('list keys (never secrets)').action(run((c, o, u) => body(c, 'GET', `/users/${enc(u!)}/keys`, o)));
  key.command('disable <user> <accessKeyId>').description('make a key Inactive').action(run((c, o, u, k) => body(c, 'PATCH', `/users/${enc(u!)}/keys/${enc(k!)}`, o, { status: 'Inactive' })));
  key.command('enable <user> <accessKeyId>').description('make a key Active').action(run((c, o, u, k) => body(c, 'PATCH', `/users/${enc(u!)}/keys/${enc(k!)}`, o, { status: 'Active' })));
  key.command('delete <user> <accessKeyId>').description('delete a key').action(run((c, o, u, k) => body(c, 'DELETE', `/users/${enc(u!)}/keys/${enc(k!)}`, o)));

  const policy = admin.command('policy').description("a user's policies (IAM or RAM syntax)");
  policy.command('put <user> <policyName> <file>').description('attach (or replace) a policy from a JSON file ("-": stdin)')
    .action(run((c, o, u, p, f) => body(c, 'PUT', `/users/${enc(u!)}/policies/${enc(p!)}`, o, readFileSync(f === '-' ? 0 : f!, 'utf8'))));
  policy.command('list <user>').description('list policy names').action(run((c, o, u) => body(c, 'GET', `/users/${enc(u!)}/policies`, o)));
  policy.command('get <user> <policyName>').description('print a policy document').action(run(async (c, o, u, p) => (await c.call('GET', `/users/${enc(u!)}/policies/${enc(p!)}`, undefined, q(o))).text));
  policy.command('delete <user> <policyName>').description('detach a policy').action(run((c, o, u, p) => body(c, 'DELETE', `/users/${enc(u!)}/policies/${enc(p!)}`, o)));

  const sandbox = admin.command('sandbox').description('bucket sandbox (the cluster admin only)');
  sandbox.command('put <bucket>').description('put a bucket into the sandbox').option('--rps <n>', 'requests per second allowed').option('--reason <text>', 'why')
    .action(async (bucket: string, opts: { rps?: string; reason?: string }) => run((c, o) => body(c, 'PUT', `/buckets/${enc(bucket)}/sandbox`, o, {
      ...(opts.rps ? { requestsPerSecond: Number(opts.rps) } : {}), ...(opts.reason ? { reason: opts.reason } : {}),
    }))());
  sandbox.command('get <bucket>').description('show the sandbox state').action(run((c, o, b) => body(c, 'GET', `/buckets/${enc(b!)}/sandbox`, o)));
  sandbox.command('delete <bucket>').description('take a bucket out of the sandbox').action(run((c, o, b) => body(c, 'DELETE', `/buckets/${enc(b!)}/sandbox`, o)));

  registerKmsCommand(admin, () => adminTargetOf(admin.opts<GlobalOptions>()));
}
