// `zonestore data`: one data node, which keeps itself in the placement map (registration, then
// a health report every second: the heartbeat by which the leader's zone judges it alive).
import { hostname } from 'node:os';
import { Command } from 'commander';
import { z } from 'zod';
import { MetaClient } from '../../meta/client/meta-client.ts';
import { DataNodeReporter, DEFAULT_REPORT_INTERVAL_MS } from '../zone/data-node-reporter.ts';
import { HostedDataNode } from '../zone/hosted-data-node.ts';
import { ZONE_META_ATTEMPT_TIMEOUT_MS, ZONE_META_CALL_TIMEOUT_MS } from '../zone/zone-process.ts';
import {
  DEFAULT_DATA_DIR, addCommonRoleOptions, commonRoleSchema, hostPortField, mergedOptions, metaPeersField,
  parseRoleConfig, portField, positiveIntField, roleOption,
} from './role-config.ts';
import { roleLogger, serveRole } from './role-lifecycle.ts';
import { addInternalTlsOptions, applyInsecureInternalEnv, installInternalTls, internalTlsSchema } from './internal-tls-config.ts';

export const DEFAULT_DATA_PORT = 7100;

const schema = commonRoleSchema.extend(internalTlsSchema.shape).extend({
  nodeId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a node id: letters, digits, dot, dash, underscore'),
  metaPeers: metaPeersField,
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  port: portField.default(DEFAULT_DATA_PORT),
  advertise: hostPortField.optional(),
  capacityBytes: positiveIntField.optional(),
  reportIntervalMs: positiveIntField.default(DEFAULT_REPORT_INTERVAL_MS),
});

/** Where local probes reach a server listening on `host`. */
export function probeHostOf(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host;
}

export function registerDataRole(program: Command): void {
  const cmd = program.command('data').description('Run one data node: checksummed chunks on local disk over gRPC');
  addCommonRoleOptions(cmd);
  roleOption(cmd, '--node-id <id>', 'this node\'s id, unique in the cluster (kept in <data-dir>/node.json)');
  roleOption(cmd, '--meta-peers <list>', 'every meta replica, comma-separated id=raftHost:port/apiHost:port');
  roleOption(cmd, '--data-dir <dir>', `chunks and their index (default ${DEFAULT_DATA_DIR})`);
  roleOption(cmd, '--port <port>', `DataService port (default ${DEFAULT_DATA_PORT})`);
  roleOption(cmd, '--advertise <host:port>', 'the address the placement map records, which gateways dial (default <hostname>:<port>)');
  roleOption(cmd, '--capacity-bytes <n>', 'data bytes this node may hold (default: the filesystem\'s size)');
  roleOption(cmd, '--report-interval-ms <ms>', `health report period (default ${DEFAULT_REPORT_INTERVAL_MS})`);
  addInternalTlsOptions(cmd);
  cmd.action(async () => {
    const c = parseRoleConfig(schema, mergedOptions(applyInsecureInternalEnv(cmd)));
    const log = roleLogger('data', c.zone, c.nodeId);
    const tls = installInternalTls(c);
    await serveRole({ role: 'data', log, listenHost: c.listenHost, healthPort: c.healthPort, start: async () => {
      const node = new HostedDataNode({
        id: c.nodeId, zone: c.zone, dir: c.dataDir, listen: `${c.listenHost}:${c.port}`,
        // Port 0 (tests) has no port to name before binding: the bound address is recorded then.
        advertisedAddress: c.advertise ?? (c.port !== 0 ? `${hostname()}:${c.port}` : undefined), capacityBytes: c.capacityBytes, log,
      });
      await node.start();
      const port = node.address.slice(node.address.lastIndexOf(':') + 1);
      const meta = new MetaClient({
        addresses: Object.values(c.metaPeers).map((p) => p.apiAddress),
        callTimeoutMs: ZONE_META_ATTEMPT_TIMEOUT_MS, retryForMs: ZONE_META_CALL_TIMEOUT_MS,
      });
      const reporter = new DataNodeReporter({
        meta, zone: c.zone, intervalMs: c.reportIntervalMs, log,
        nodes: [{ id: c.nodeId, address: node.advertisedAddress, probeAddress: `${probeHostOf(c.listenHost)}:${port}` }],
      });
      reporter.start();
      return {
        info: { role: 'data', internalTls: tls, id: c.nodeId, zone: c.zone, address: node.address, advertisedAddress: node.advertisedAddress },
        checks: {
          serving: async () => (node.running ? undefined : 'the data node is not running'),
          registered: async () => (reporter.registeredCount > 0 ? undefined : 'not registered in the placement map yet (meta unreachable or without a leader)'),
        },
        stop: async () => {
          // The node stops after its last report: reads in flight finish, and the map says DOWN soon after.
          await reporter.stop();
          meta.close();
          await node.stop();
        },
      };
    } });
  });
}
