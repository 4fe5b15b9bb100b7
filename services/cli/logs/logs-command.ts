// `zonestore logs query`: the real-time log query over every gateway's recent-records index
// (each gateway indexes only the requests it served, so the command asks them all — the local
// cluster's gateways, or each --endpoint — and merges; see docs/access-logs.md).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AdminApiError, AdminClient } from '../admin/admin-client.ts';
import { adminTargetOf } from '../admin/admin-command.ts';
import { readClusterRecord } from '../zone/local-cluster-record.ts';
import { DEFAULT_DATA_DIR } from '../zone/zone-layout.ts';
import { type GatewayLogAnswer, mergeLogAnswers } from './log-query-merge.ts';

interface LogsOptions {
  bucket?: string; since: string; where?: string; groupBy?: string; top: string; endpoint: string[];
  accessKeyId?: string; secretAccessKey?: string; caFile?: string; dataDir: string; json?: boolean;
}

export function registerLogsCommand(program: Command): void {
  const logs = program.command('logs').description('access and audit logs');
  logs.command('query')
    .description('query the last hours of access-log records held by the gateways')
    .option('--bucket <name>', 'only requests to this bucket')
    .option('--since <duration>', 'how far back: 90s, 30m, 1h, 2d', '1h')
    .option('--where <expr>', "filter, e.g. 'status>=400 and operation=GetObject'")
    .option('--group-by <field>', 'count by remoteIp | operation | status | bucket | errorCode | requester | key')
    .option('--top <n>', 'groups (or newest records) shown', '10')
    .option('--endpoint <url>', 'a gateway to ask (repeat for each; default: every gateway of the local cluster)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--access-key-id <id>', 'signing key id (env ZONESTORE_ACCESS_KEY_ID; default: the local root key)')
    .option('--secret-access-key <secret>', 'signing secret (env ZONESTORE_SECRET_ACCESS_KEY)')
    .option('--ca-file <pem>', 'CA certificate for https endpoints')
    .option('--data-dir <dir>', 'data directory of the local cluster', DEFAULT_DATA_DIR)
    .option('--json', 'print the merged JSON answer')
    .action(async (o: LogsOptions) => {
      try {
        const endpoints = o.endpoint.length > 0 ? o.endpoint : readClusterRecord(resolve(o.dataDir))?.gatewayEndpoints ?? [];
        if (endpoints.length === 0) throw new Error(`no gateways: pass --endpoint (no local cluster record in ${resolve(o.dataDir)})`);
        const top = Number(o.top);
        const body = { bucket: o.bucket, since: o.since, where: o.where, groupBy: o.groupBy, top };
        const answers = await Promise.all(endpoints.map(async (endpoint) => {
          const target = adminTargetOf({ ...o, endpoint });
          return (await new AdminClient(target).call('POST', '/logs/query', body)).body as GatewayLogAnswer;
        }));
        const merged = mergeLogAnswers(answers, top);
        if (o.json) { process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`); return; }
        process.stdout.write(`${merged.matched} of ${merged.scanned} records matched (${merged.gateways.map((g) => `${g.gateway} ${g.tookMs} ms`).join(', ')})\n`);
        for (const g of merged.groups ?? []) process.stdout.write(`${String(g.count).padStart(10)}  ${g.value}\n`);
        for (const r of merged.records ?? []) process.stdout.write(`${r.time} ${r.status} ${r.operation} ${r.bucket}/${r.key} ${r.remoteIp} ${r.errorCode || '-'}\n`);
      } catch (err) {
        process.stderr.write(`zonestore logs: ${err instanceof AdminApiError ? `${err.message} (HTTP ${err.status})` : (err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
