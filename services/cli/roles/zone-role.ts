// `zonestore zone`: every role of one zone in one process (its meta replica, data nodes, gateway
// and repair worker: the same startZone as `zonestore up`), for a machine or VM per zone. Its
// stop hands meta leadership away first, then unwinds the zone (gateway drained before the
// replica and data nodes it needs go away).
import { Command } from 'commander';
import { z } from 'zod';
import { NONE } from '../../raft/types.ts';
import { DEFAULT_BASE_DOMAINS, DEFAULT_REGION } from '../../gateway/gateway.ts';
import { DEFAULT_REPAIR_INTERVAL_MS } from '../../gateway/repair/index.ts';
import { DEFAULT_REPORT_INTERVAL_MS } from '../zone/data-node-reporter.ts';
import { DEFAULT_REPORT_TIMEOUT_MS } from '../zone/stale-node-sweeper.ts';
import { MAX_DATA_NODES_PER_ZONE } from '../zone/zone-layout.ts';
import { startZone } from '../zone/zone-process.ts';
import { handOffLeadership } from './leadership-handoff.ts';
import {
  DEFAULT_DATA_DIR, addCommonRoleOptions, commonRoleSchema, listField, mergedOptions, metaPeersField, parseRoleConfig,
  portField, positiveIntField, roleOption,
} from './role-config.ts';
import { roleLogger, serveRole } from './role-lifecycle.ts';
import { addInternalTlsOptions, applyInsecureInternalEnv, installInternalTls, internalTlsSchema } from './internal-tls-config.ts';
import { roleRootCredentials } from './credentials-config.ts';
import { DEFAULT_META_API_PORT, DEFAULT_META_RAFT_PORT } from './meta-role.ts';
import { DEFAULT_GATEWAY_HTTPS_PORT, DEFAULT_GATEWAY_PORT } from './gateway-role.ts';
import { readKmsRootKey } from '../../kms/root-key-file.ts';
import { readFileSync } from 'node:fs';

const DEFAULT_DATA_NODE_PORTS = [7100, 7101, 7102];

const schema = commonRoleSchema.extend(internalTlsSchema.shape).extend({
  metaId: z.string().min(1),
  metaPeers: metaPeersField,
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  metaApiPort: portField.default(DEFAULT_META_API_PORT),
  metaRaftPort: portField.default(DEFAULT_META_RAFT_PORT),
  dataNodePorts: listField.default(DEFAULT_DATA_NODE_PORTS.map(String))
    .transform((ports) => ports.map(Number))
    .pipe(z.array(z.number().int().min(0).max(65_535)).min(1).max(MAX_DATA_NODES_PER_ZONE)),
  gatewayPort: portField.default(DEFAULT_GATEWAY_PORT),
  advertiseHost: z.string().min(1).optional(),
  credentialsFile: z.string().optional(),
  region: z.string().min(1).default(DEFAULT_REGION),
  baseDomains: listField.default([...DEFAULT_BASE_DOMAINS]),
  tickMs: positiveIntField.optional(),
  reportIntervalMs: positiveIntField.default(DEFAULT_REPORT_INTERVAL_MS),
  reportTimeoutMs: positiveIntField.default(DEFAULT_REPORT_TIMEOUT_MS),
  repairIntervalMs: positiveIntField.default(DEFAULT_REPAIR_INTERVAL_MS),
  httpsCert: z.string().optional(),
  httpsKey: z.string().optional(),
  httpsPort: portField.default(DEFAULT_GATEWAY_HTTPS_PORT),
  kmsRootKeyFile: z.string().min(1).optional(),
}).refine((c) => !c.httpsCert === !c.httpsKey, { message: 'give both --https-cert and --https-key, or neither', path: ['httpsCert'] });

export function registerZoneRole(program: Command): void {
  const cmd = program.command('zone').description('Run every role of one zone in one process: meta replica, data nodes, gateway, repair');
  addCommonRoleOptions(cmd);
  roleOption(cmd, '--meta-id <id>', 'this zone\'s meta replica id; must be one of --meta-peers');
  roleOption(cmd, '--meta-peers <list>', 'every meta replica, comma-separated id=raftHost:port/apiHost:port');
  roleOption(cmd, '--data-dir <dir>', `the zone's state: meta/, data-1/, … (default ${DEFAULT_DATA_DIR})`);
  roleOption(cmd, '--meta-api-port <port>', `MetaService port (default ${DEFAULT_META_API_PORT})`);
  roleOption(cmd, '--meta-raft-port <port>', `Raft port (default ${DEFAULT_META_RAFT_PORT})`);
  roleOption(cmd, '--data-node-ports <list>', `comma-separated, one per data node (default ${DEFAULT_DATA_NODE_PORTS.join(',')})`);
  roleOption(cmd, '--gateway-port <port>', `S3/OSS port (default ${DEFAULT_GATEWAY_PORT})`);
  roleOption(cmd, '--advertise-host <host>', 'the host other zones dial for this zone\'s data nodes (default: the listen host)');
  roleOption(cmd, '--credentials-file <file>', 'the root key as JSON {accessKeyId, secretAccessKey} (ZONESTORE_ROOT_ACCESS_KEY_ID/_SECRET_ACCESS_KEY override it)');
  roleOption(cmd, '--region <name>', `the region buckets report (default ${DEFAULT_REGION})`);
  roleOption(cmd, '--base-domains <list>', `comma-separated domains for virtual-hosted buckets (default ${DEFAULT_BASE_DOMAINS.join(',')})`);
  roleOption(cmd, '--tick-ms <ms>', 'Raft tick (elections after 10-20 ticks)');
  roleOption(cmd, '--report-interval-ms <ms>', `data node health report period (default ${DEFAULT_REPORT_INTERVAL_MS})`);
  roleOption(cmd, '--report-timeout-ms <ms>', `a data node not reported for this long is marked DOWN (default ${DEFAULT_REPORT_TIMEOUT_MS})`);
  roleOption(cmd, '--repair-interval-ms <ms>', `pause between repair passes (default ${DEFAULT_REPAIR_INTERVAL_MS})`);
  roleOption(cmd, '--https-cert <file>', 'PEM certificate (chain) for S3/OSS clients: the gateway also serves HTTPS on --https-port');
  roleOption(cmd, '--https-key <file>', 'PEM private key of --https-cert');
  roleOption(cmd, '--https-port <port>', `the gateway's HTTPS port when a certificate is given (default ${DEFAULT_GATEWAY_HTTPS_PORT})`);
  roleOption(cmd, '--kms-root-key-file <file>', 'the KMS root key of the gateway: 32 random bytes as base64 text (`openssl rand -base64 32`), the same on every gateway');
  addInternalTlsOptions(cmd);
  cmd.action(async () => {
    const c = parseRoleConfig(schema, mergedOptions(applyInsecureInternalEnv(cmd)));
    if (!c.metaPeers[c.metaId]) throw new Error(`--meta-id ${c.metaId} is not one of --meta-peers (${Object.keys(c.metaPeers).join(', ')})`);
    const log = roleLogger('zone', c.zone, c.metaId);
    const tls = installInternalTls(c);
    const rootCredentials = roleRootCredentials(c.credentialsFile);
    const kmsRootKey = c.kmsRootKeyFile !== undefined ? readKmsRootKey(c.kmsRootKeyFile) : undefined;
    const gatewayTls = c.httpsCert && c.httpsKey
      ? { certPem: readFileSync(c.httpsCert, 'utf8'), keyPem: readFileSync(c.httpsKey, 'utf8'), port: c.httpsPort }
      : undefined;
    const advertiseHost = c.advertiseHost ?? c.listenHost;
    await serveRole({ role: 'zone', log, listenHost: c.listenHost, healthPort: c.healthPort, start: async () => {
      const metaRaftAddress = `${c.listenHost}:${c.metaRaftPort}`;
      const metaApiAddress = `${c.listenHost}:${c.metaApiPort}`;
      const zone = await startZone({
        zone: c.zone, host: c.listenHost, dataDir: c.dataDir, metaId: c.metaId, metaRaftAddress, metaApiAddress,
        metaPeers: { ...c.metaPeers, [c.metaId]: { raftAddress: metaRaftAddress, apiAddress: metaApiAddress } },
        dataNodePorts: c.dataNodePorts,
        advertisedDataNodes: c.advertiseHost && c.dataNodePorts.every((p) => p !== 0) ? c.dataNodePorts.map((p) => `${advertiseHost}:${p}`) : undefined,
        gatewayPort: c.gatewayPort, gatewayTls, kmsRootKey, credentialsFile: c.credentialsFile ?? '', rootCredentials, region: c.region, baseDomains: c.baseDomains,
        tickMs: c.tickMs, reportIntervalMs: c.reportIntervalMs, reportTimeoutMs: c.reportTimeoutMs, repairIntervalMs: c.repairIntervalMs, log,
        onFatal: (err) => {
          log.fatal({ err }, 'exiting: the meta replica failed');
          log.flush();
          process.exit(1);
        },
      });
      return {
        info: { role: 'zone', internalTls: tls, ...zone.info },
        checks: {
          leader: async () => (zone.replica.host.leader === NONE ? 'no meta leader known' : undefined),
          dataNodes: async () => (zone.dataNodes.length === c.dataNodePorts.length ? undefined : `${zone.dataNodes.length} of ${c.dataNodePorts.length} data nodes running`),
        },
        stop: async () => {
          await handOffLeadership(zone.replica, log);
          await zone.stop();
        },
      };
    } });
  });
}
