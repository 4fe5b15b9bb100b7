// `zonestore gateway`: one stateless S3/OSS gateway (run as many per zone as the load needs).
// At stop it refuses new connections and lets requests in flight finish (up to the gateway's
// STOP_GRACE_MS) before closing its clients.
import { Command } from 'commander';
import { z } from 'zod';
import { MetaClient } from '../../meta/client/meta-client.ts';
import { DEFAULT_BASE_DOMAINS, DEFAULT_REGION, startGateway } from '../../gateway/gateway.ts';
import {
  addCommonRoleOptions, commonRoleSchema, listField, mergedOptions, metaPeersField, parseRoleConfig, portField, roleOption,
} from './role-config.ts';
import { roleLogger, serveRole } from './role-lifecycle.ts';
import { roleRootCredentials } from './credentials-config.ts';
import { readFileSync } from 'node:fs';

export const DEFAULT_GATEWAY_PORT = 9000;
export const DEFAULT_GATEWAY_TLS_PORT = 9443;
/** The readiness probe's meta call: short, so a probe never waits out a retry budget. */
const READY_META_TIMEOUT_MS = 1_500;

const schema = commonRoleSchema.extend({
  metaPeers: metaPeersField,
  metaNearest: z.string().optional(),
  port: portField.default(DEFAULT_GATEWAY_PORT),
  credentialsFile: z.string().optional(),
  region: z.string().min(1).default(DEFAULT_REGION),
  baseDomains: listField.default([...DEFAULT_BASE_DOMAINS]),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  tlsPort: portField.default(DEFAULT_GATEWAY_TLS_PORT),
}).refine((c) => !c.tlsCert === !c.tlsKey, { message: 'give both --tls-cert and --tls-key, or neither', path: ['tlsCert'] });

export function registerGatewayRole(program: Command): void {
  const cmd = program.command('gateway').description('Run one S3/OSS gateway (stateless; any gateway serves any request)');
  addCommonRoleOptions(cmd);
  roleOption(cmd, '--meta-peers <list>', 'every meta replica, comma-separated id=raftHost:port/apiHost:port');
  roleOption(cmd, '--meta-nearest <id>', 'the meta replica to ask first (this zone\'s)');
  roleOption(cmd, '--port <port>', `S3/OSS port (default ${DEFAULT_GATEWAY_PORT})`);
  roleOption(cmd, '--credentials-file <file>', 'the root key as JSON {accessKeyId, secretAccessKey} (ZONESTORE_ROOT_ACCESS_KEY_ID/_SECRET_ACCESS_KEY override it)');
  roleOption(cmd, '--region <name>', `the region buckets report (default ${DEFAULT_REGION})`);
  roleOption(cmd, '--base-domains <list>', `comma-separated domains for virtual-hosted buckets, bucket.<domain> (default ${DEFAULT_BASE_DOMAINS.join(',')})`);
  roleOption(cmd, '--tls-cert <file>', 'PEM certificate (chain): also serve HTTPS on --tls-port');
  roleOption(cmd, '--tls-key <file>', 'PEM private key of --tls-cert');
  roleOption(cmd, '--tls-port <port>', `HTTPS port when a certificate is given (default ${DEFAULT_GATEWAY_TLS_PORT})`);
  cmd.action(async () => {
    const c = parseRoleConfig(schema, mergedOptions(cmd));
    const log = roleLogger('gateway', c.zone);
    const credentials = roleRootCredentials(c.credentialsFile);
    await serveRole({ role: 'gateway', log, listenHost: c.listenHost, healthPort: c.healthPort, start: async () => {
      const peers = Object.entries(c.metaPeers).sort(([a], [b]) => Number(b === c.metaNearest) - Number(a === c.metaNearest));
      const metaAddresses = peers.map(([, p]) => p.apiAddress);
      // HTTPS is served by the gateway itself (node:https), so SecureTransport conditions see it.
      const tls = c.tlsCert && c.tlsKey
        ? { certPem: readFileSync(c.tlsCert, 'utf8'), keyPem: readFileSync(c.tlsKey, 'utf8'), port: c.tlsPort }
        : undefined;
      const gateway = await startGateway({
        host: c.listenHost, port: c.port, metaAddresses, localZone: c.zone,
        rootCredentials: credentials, region: c.region, baseDomains: c.baseDomains, log, tls,
      });
      const probe = new MetaClient({ addresses: metaAddresses, callTimeoutMs: READY_META_TIMEOUT_MS, retryForMs: READY_META_TIMEOUT_MS });
      return {
        info: { role: 'gateway', zone: c.zone, address: gateway.address, ...(gateway.httpsAddress !== undefined && { tlsAddress: gateway.httpsAddress }) },
        checks: {
          meta: async () => {
            const map = await probe.call('getPlacementMap', {});
            return map.nodes.length > 0 ? undefined : 'no data node registered yet';
          },
        },
        stop: async () => {
          probe.close();
          await gateway.stop();
        },
      };
    } });
  });
}
