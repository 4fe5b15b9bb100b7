// Process entry of one zone of a local cluster (what `zonestore up` starts, once per zone):
// the zone's meta replica, data nodes and S3 gateway in one process, so killing it is losing the zone.
// Prints exactly one `READY {json}` line (addresses, see ZoneInfo) on stdout once everything
// serves; logs (pino JSON) go to stderr. SIGTERM/SIGINT stop it cleanly.
//
//   node --import tsx services/cli/zone/zone-main.ts --zone zone-1 --host 127.0.0.11 \
//     --data-dir ./data/zone-1 --meta-id meta-1 --meta-raft 127.0.0.11:7111 --meta-api 127.0.0.11:7110 \
//     --meta-peer meta-1=127.0.0.11:7111/127.0.0.11:7110 --meta-peer meta-2=… --meta-peer meta-3=… \
//     --data-node-port 7112 --data-node-port 7113 --data-node-port 7114 \
//     --gateway-port 9000 --credentials-file ./data/root-credentials.json
//
// Test/chaos hooks (not for production use):
//   --advertise-data-node <host:port>  (one per --data-node-port, in order) the address recorded
//       in the placement map, e.g. a fault proxy in front of the node; the zone's own gateway
//       still reaches the node in process, and its reporter probes the node itself.
//   --control-stdin  read commands on stdin, one per line, after READY; one reply line each on
//       stdout, `CONTROL {"ok":true,"cmd":…}` or `CONTROL {"ok":false,"cmd":…,"error":…}`:
//         node-stop <nodeId>   stop one data node as if it crashed (its gateway client fails like
//                              a dead node's; reported DOWN)
//         node-start <nodeId>  start it again on the same port, directory and advertised address
//       (see zone-control.ts).
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { readTlsMaterial, useInternalTls } from '../../common/tls/index.ts';
import { pino } from 'pino';
import { serveUntilSignalled } from '../../common/process-lifecycle.ts';
import type { MetaPeer } from '../../meta/replica/meta-replica.ts';
import { DEFAULT_REPORT_INTERVAL_MS } from './data-node-reporter.ts';
import { DEFAULT_REPORT_TIMEOUT_MS } from './stale-node-sweeper.ts';
import { DEFAULT_REPAIR_INTERVAL_MS } from '../../gateway/repair/index.ts';
import { MAX_DATA_NODES_PER_ZONE } from './zone-layout.ts';
import { AddressInUseError, startZone } from './zone-process.ts';
import { hostPort, nonNegativeInt, positiveInt } from '../../common/cli-options.ts';
import { serveControlChannel } from './zone-control.ts';
import { addMetaPeer } from '../../meta/replica/meta-peer-option.ts';
import { readRootCredentials, rootCredentialsFromEnv } from '../../gateway/credentials/root-credentials.ts';
import { kmsRootKeyFromEnv, readKmsRootKey } from '../../kms/root-key-file.ts';
import { DEFAULT_BASE_DOMAINS, DEFAULT_REGION } from '../../gateway/gateway.ts';

function addPort(value: string, previous: number[]): number[] {
  const port = nonNegativeInt(value);
  if (port > 65_535) throw new InvalidArgumentError(`not a port: ${value}`);
  return [...previous, port];
}

const program = new Command('zone')
  .description('One zone of a local zonestore cluster: its meta replica, data nodes and S3 gateway in one process')
  .requiredOption('--zone <name>', 'zone name (zone-1, …)')
  .requiredOption('--host <ip>', 'loopback address every server of the zone listens on')
  .requiredOption('--data-dir <dir>', 'zone state: meta/ and data-1/, data-2/, …')
  .requiredOption('--meta-id <id>', 'id of this zone\'s meta replica')
  .requiredOption('--meta-raft <host:port>', 'Raft address of this zone\'s meta replica')
  .requiredOption('--meta-api <host:port>', 'MetaService address of this zone\'s meta replica')
  .option('--meta-peer <id=raft/api>', 'a meta replica of the cluster (repeat for each, this one included)', addMetaPeer, {} as Record<string, MetaPeer>)
  .option('--data-node-port <port>', `port of one data node (repeat for each, 1 to ${MAX_DATA_NODES_PER_ZONE}; 0: any free port)`, addPort, [] as number[])
  .option('--gateway-port <port>', 'port of the zone\'s S3 gateway on --host (0: any free port)', nonNegativeInt, 0)
  .requiredOption('--credentials-file <file>', 'the cluster\'s root credentials (JSON; ZONESTORE_ROOT_ACCESS_KEY_ID/_SECRET_ACCESS_KEY override it)')
  .option('--region <name>', 'the region buckets report', DEFAULT_REGION)
  .option('--base-domain <domain>', `a domain under which buckets are addressed virtual-host style, bucket.<domain> (repeat for several; default ${DEFAULT_BASE_DOMAINS.join(', ')})`,
    (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
  .option('--capacity-bytes <n>', 'data bytes each data node may hold (default: filesystem size)', positiveInt)
  .option('--tick-ms <ms>', 'Raft tick of the meta replica (elections after 10-20 ticks)', positiveInt)
  .option('--report-interval-ms <ms>', 'how often data node health is reported', positiveInt, DEFAULT_REPORT_INTERVAL_MS)
  .option('--report-timeout-ms <ms>', 'a data node not reported for this long is marked DOWN (by the leader\'s zone)', positiveInt, DEFAULT_REPORT_TIMEOUT_MS)
  .option('--repair-interval-ms <ms>', 'pause between repair passes (each verifies this zone\'s shards and rebuilds missing or damaged ones)', positiveInt, DEFAULT_REPAIR_INTERVAL_MS)
  .option('--advertise-data-node <host:port>', 'test/chaos hook: the address the placement map records for a data node (repeat, one per --data-node-port, in order; default: where it listens)',
    (v: string, prev: string[]) => [...prev, hostPort(v)], [] as string[])
  .option('--tls-ca <file>', 'internal mutual TLS: the cluster CA (PEM); with --tls-cert/--tls-key every gRPC server demands, and every client presents, a certificate it issued')
  .option('--tls-cert <file>', 'internal mutual TLS: this process\'s certificate (PEM), issued by --tls-ca')
  .option('--tls-key <file>', 'internal mutual TLS: the key of --tls-cert (PEM)')
  .option('--gateway-tls-cert <file>', 'the gateway also serves HTTPS with this certificate (PEM) on --gateway-https-port')
  .option('--gateway-tls-key <file>', 'the key of --gateway-tls-cert (PEM)')
  .option('--gateway-https-port <port>', 'HTTPS port of the gateway on --host (0: any free port)', nonNegativeInt, 0)
  .option('--no-gateway-http', 'the gateway serves HTTPS only (needs --gateway-tls-cert)')
  .option('--kms-root-key-file <file>', 'the KMS root key (32 bytes, base64) that wraps all key material; without it (or ZONESTORE_KMS_ROOT_KEY) KMS and SSE requests are refused')
  .option('--lifecycle-day-length-ms <ms>', 'TEST KNOB: how long a lifecycle "day" lasts (default 86400000, a real day); tests shorten it so rules fire in seconds', positiveInt)
  .option('--lifecycle-interval-ms <ms>', 'pause between lifecycle passes of the meta leader', positiveInt)
  .option('--access-log-interval-ms <ms>', 'how often access / audit log records are delivered as log objects (default 3600000, hourly)', positiveInt)
  .option('--audit-bucket <name>', 'admin and KMS API actions are delivered as audit log objects into this bucket (under audit/); absent: no audit log')
  .option('--control-stdin', 'test/chaos hook: read `node-stop <nodeId>` / `node-start <nodeId>` lines on stdin, reply `CONTROL {json}` on stdout', false)
  .parse();

const o = program.opts<{
  zone: string; host: string; dataDir: string; metaId: string; metaRaft: string; metaApi: string;
  metaPeer: Record<string, MetaPeer>; dataNodePort: number[]; capacityBytes?: number; tickMs?: number;
  gatewayPort: number; credentialsFile: string; region: string; baseDomain?: string[];
  reportIntervalMs: number; reportTimeoutMs: number; advertiseDataNode: string[]; controlStdin: boolean;
  repairIntervalMs: number;
  tlsCa?: string; tlsCert?: string; tlsKey?: string;
  gatewayTlsCert?: string; gatewayTlsKey?: string; gatewayHttpsPort: number; gatewayHttp: boolean;
  kmsRootKeyFile?: string;
  accessLogIntervalMs?: number; auditBucket?: string;
  lifecycleDayLengthMs?: number; lifecycleIntervalMs?: number;
}>();

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { zone: o.zone } }, pino.destination({ fd: 2, sync: true }));

async function main(): Promise<void> {
  if (o.dataNodePort.length < 1 || o.dataNodePort.length > MAX_DATA_NODES_PER_ZONE) {
    throw new Error(`a zone has 1 to ${MAX_DATA_NODES_PER_ZONE} data nodes (--data-node-port), not ${o.dataNodePort.length}`);
  }
  if (o.advertiseDataNode.length > 0 && o.advertiseDataNode.length !== o.dataNodePort.length) {
    throw new Error(`--advertise-data-node is given ${o.advertiseDataNode.length} times for ${o.dataNodePort.length} data nodes (one each, or none)`);
  }
  const internal = [o.tlsCa, o.tlsCert, o.tlsKey].filter((v) => v !== undefined).length;
  if (internal !== 0 && internal !== 3) throw new Error('internal TLS needs all of --tls-ca, --tls-cert and --tls-key');
  if (!o.gatewayTlsCert !== !o.gatewayTlsKey) throw new Error('give both --gateway-tls-cert and --gateway-tls-key, or neither');
  if (!o.gatewayHttp && !o.gatewayTlsCert) throw new Error('--no-gateway-http needs --gateway-tls-cert and --gateway-tls-key');
  // Before any server or client exists: they all take the process's internal TLS material.
  useInternalTls(internal === 3 ? readTlsMaterial({ caFile: o.tlsCa!, certFile: o.tlsCert!, keyFile: o.tlsKey! }) : null);
  const gatewayTls = o.gatewayTlsCert && o.gatewayTlsKey
    ? { certPem: readFileSync(o.gatewayTlsCert, 'utf8'), keyPem: readFileSync(o.gatewayTlsKey, 'utf8'), port: o.gatewayHttpsPort }
    : undefined;
  const kmsRootKey = o.kmsRootKeyFile ? readKmsRootKey(o.kmsRootKeyFile) : kmsRootKeyFromEnv();
  const zone = await startZone({
    gatewayTls, gatewayPlainHttp: o.gatewayHttp, kmsRootKey,
    accessLog: { intervalMs: o.accessLogIntervalMs, auditBucket: o.auditBucket },
    zone: o.zone, host: o.host, dataDir: o.dataDir, metaId: o.metaId, metaRaftAddress: o.metaRaft, metaApiAddress: o.metaApi,
    metaPeers: { ...o.metaPeer, [o.metaId]: { raftAddress: o.metaRaft, apiAddress: o.metaApi } },
    dataNodePorts: o.dataNodePort, advertisedDataNodes: o.advertiseDataNode.length > 0 ? o.advertiseDataNode : undefined, gatewayPort: o.gatewayPort, credentialsFile: o.credentialsFile, region: o.region,
    baseDomains: o.baseDomain ?? DEFAULT_BASE_DOMAINS,
    rootCredentials: rootCredentialsFromEnv() ?? readRootCredentials(o.credentialsFile), dataNodeCapacityBytes: o.capacityBytes, tickMs: o.tickMs,
    reportIntervalMs: o.reportIntervalMs, reportTimeoutMs: o.reportTimeoutMs, repairIntervalMs: o.repairIntervalMs, log,
    lifecycleDayLengthMs: o.lifecycleDayLengthMs, lifecycleIntervalMs: o.lifecycleIntervalMs,
    onFatal: (err) => {
      log.fatal({ err }, 'exiting: the meta replica failed');
      process.exit(1);
    },
  });
  serveUntilSignalled({ log, stop: () => zone.stop(), ready: { ...zone.info, pid: process.pid } });
  if (o.controlStdin) serveControlChannel({ input: process.stdin, output: process.stdout, target: zone });
}

main().catch((err: unknown) => {
  // The one line a launcher shows when a zone cannot start; the log has the rest.
  if (err instanceof AddressInUseError) process.stderr.write(`${err.message}\n`);
  log.fatal({ err }, 'zone failed to start');
  process.exit(1);
});
