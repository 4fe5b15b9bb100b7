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
import { addInternalTlsOptions, applyInsecureInternalEnv, installInternalTls, internalTlsSchema } from './internal-tls-config.ts';
import { readKmsRootKey } from '../../kms/root-key-file.ts';

export const DEFAULT_GATEWAY_PORT = 9000;
export const DEFAULT_GATEWAY_HTTPS_PORT = 9443;
/** The readiness probe's meta call: short, so a probe never waits out a retry budget. */
const READY_META_TIMEOUT_MS = 1_500;

const schema = commonRoleSchema.extend(internalTlsSchema.shape).extend({
  metaPeers: metaPeersField,
  metaNearest: z.string().optional(),
  port: portField.default(DEFAULT_GATEWAY_PORT),
  credentialsFile: z.string().optional(),
  region: z.string().min(1).default(DEFAULT_REGION),
  baseDomains: listField.default([...DEFAULT_BASE_DOMAINS]),
  httpsCert: z.string().optional(),
  httpsKey: z.string().optional(),
  httpsPort: portField.default(DEFAULT_GATEWAY_HTTPS_PORT),
  kmsRootKeyFile: z.string().min(1).optional(),
}).refine((c) => !c.httpsCert === !c.httpsKey, { message: 'give both --https-cert and --https-key, or neither', path: ['httpsCert'] });

export function registerGatewayRole(program: Command): void {
  const cmd = program.command('gateway').description('Run one S3/OSS gateway (stateless; any gateway serves any request)');
  addCommonRoleOptions(cmd);
  roleOption(cmd, '--meta-peers <list>', 'every meta replica, comma-separated id=raftHost:port/apiHost:port');
  roleOption(cmd, '--meta-nearest <id>', 'the meta replica to ask first (this zone\'s)');
  roleOption(cmd, '--port <port>', `S3/OSS port (default ${DEFAULT_GATEWAY_PORT})`);
  roleOption(cmd, '--credentials-file <file>', 'the root key as JSON {accessKeyId, secretAccessKey} (ZONESTORE_ROOT_ACCESS_KEY_ID/_SECRET_ACCESS_KEY override it)');
  roleOption(cmd, '--region <name>', `the region buckets report (default ${DEFAULT_REGION})`);
  roleOption(cmd, '--base-domains <list>', `comma-separated domains for virtual-hosted buckets, bucket.<domain> (default ${DEFAULT_BASE_DOMAINS.join(',')})`);
  roleOption(cmd, '--https-cert <file>', 'PEM certificate (chain) for S3/OSS clients: also serve HTTPS on --https-port');
  roleOption(cmd, '--https-key <file>', 'PEM private key of --https-cert');
  roleOption(cmd, '--https-port <port>', `HTTPS port when a certificate is given (default ${DEFAULT_GATEWAY_HTTPS_PORT})`);
  roleOption(cmd, '--kms-root-key-file <file>', 'the KMS root key: 32 random bytes as base64 text (`openssl rand -base64 32`), the same on every gateway');
  addInternalTlsOptions(cmd);
  cmd.action(async () => {
    const c = parseRoleConfig(schema, mergedOptions(applyInsecureInternalEnv(cmd)));
    const log = roleLogger('gateway', c.zone);
    const credentials = roleRootCredentials(c.credentialsFile);
    const kmsRootKey = c.kmsRootKeyFile !== undefined ? readKmsRootKey(c.kmsRootKeyFile) : undefined;
    const internalTls = installInternalTls(c);
    await serveRole({ role: 'gateway', log, listenHost: c.listenHost, healthPort: c.healthPort, start: async () => {
      const peers = Object.entries(c.metaPeers).sort(([a], [b]) => Number(b === c.metaNearest) - Number(a === c.metaNearest));
      const metaAddresses = peers.map(([, p]) => p.apiAddress);
      // HTTPS is served by the gateway itself (node:https), so SecureTransport conditions see it.
      const tls = c.httpsCert && c.httpsKey
        ? { certPem: readFileSync(c.httpsCert, 'utf8'), keyPem: readFileSync(c.httpsKey, 'utf8'), port: c.httpsPort }
        : undefined;
      const gateway = await startGateway({
        host: c.listenHost, port: c.port, metaAddresses, localZone: c.zone,
        rootCredentials: credentials, region: c.region, baseDomains: c.baseDomains, log, tls, kmsRootKey,
      });
      const probe = new MetaClient({ addresses: metaAddresses, callTimeoutMs: READY_META_TIMEOUT_MS, retryForMs: READY_META_TIMEOUT_MS });
      return {
        info: { role: 'gateway', internalTls, kms: kmsRootKey !== undefined, zone: c.zone, address: gateway.address, ...(gateway.httpsAddress !== undefined && { tlsAddress: gateway.httpsAddress }) },
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
