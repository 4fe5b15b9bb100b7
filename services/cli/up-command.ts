// `zonestore up` (and `npm start`): the local cluster — one process per zone, each hosting that
// zone's meta replica and data nodes on its own loopback address, state under ./data/zone-N.
// Each zone also runs an S3 gateway (port 9000 on its address). Waits until the cluster is
// healthy, prints the endpoints and the root credentials, and stops every zone on Ctrl-C.
import { InvalidArgumentError, type Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectClusterReport } from './status/cluster-report.ts';
import type { ClusterReport } from './status/cluster-health.ts';
import { readClusterRecord, shapeMismatch, writeClusterRecord } from './zone/local-cluster-record.ts';
import { LocalZoneCluster } from './zone/local-zone-cluster.ts';
import { zoneHosts } from './zone/zone-hosts.ts';
import {
  DEFAULT_BASE_PORT, DEFAULT_DATA_DIR, DEFAULT_GATEWAY_PORT, DEFAULT_DATA_NODES_PER_ZONE, DEFAULT_ZONE_COUNT, MAX_DATA_NODES_PER_ZONE, MAX_ZONES,
  ZONE_PORT_STRIDE, fixedZonePorts, highestPort, planZones, plannedDataNodeIds, type ZoneSpec,
} from './zone/zone-layout.ts';
import { takenAddresses } from './zone/zone-port-check.ts';
import type { ZoneReady } from './zone/zone-launcher.ts';
import { DEFAULT_REGION } from '../gateway/gateway.ts';
import type { RootCredentials } from '../gateway/credentials/root-credentials.ts';

/** From start until the cluster must be healthy (a leader, every data node registered and up). */
export const DEFAULT_UP_READY_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 250;
/** Ports below this need privileges. */
const LOWEST_BASE_PORT = 1024;
const HIGHEST_PORT = 65_535;

interface UpOptions {
  zones: number;
  dataNodesPerZone: number;
  dataDir: string;
  basePort: number;
  gatewayPort: number;
  baseDomain?: string[];
  readyTimeoutMs: number;
  tls: boolean;
  http: boolean;
  httpsPort: number;
  lifecycleDayLengthMs?: number;
  lifecycleIntervalMs?: number;
}

/** Each zone's gateway serves HTTPS here on its own address (port+N−1 when zones share 127.0.0.1). */
export const DEFAULT_GATEWAY_HTTPS_PORT = 9443;

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start a local cluster: one process per zone (meta replica, data nodes, S3/OSS gateway), state kept in --data-dir; prints the endpoint and root key; Ctrl-C stops it')
    .option('--zones <n>', `zones, one process each (1-${MAX_ZONES})`, intIn(1, MAX_ZONES), DEFAULT_ZONE_COUNT)
    .option('--data-nodes-per-zone <n>', `data nodes in each zone (1-${MAX_DATA_NODES_PER_ZONE})`, intIn(1, MAX_DATA_NODES_PER_ZONE), DEFAULT_DATA_NODES_PER_ZONE)
    .option('--data-dir <dir>', 'cluster state, one zone-N directory per zone (the next `up` finds it again)', DEFAULT_DATA_DIR)
    .option('--base-port <port>', `zone N listens on ports base+${ZONE_PORT_STRIDE}N to base+${ZONE_PORT_STRIDE}N+${ZONE_PORT_STRIDE - 1}`,
      intIn(LOWEST_BASE_PORT, HIGHEST_PORT), DEFAULT_BASE_PORT)
    .option('--gateway-port <port>', 'each zone\'s S3 gateway listens on this port of its own address (port+N−1 when zones share 127.0.0.1)',
      intIn(LOWEST_BASE_PORT, HIGHEST_PORT), DEFAULT_GATEWAY_PORT)
    .option('--base-domain <domain>', 'buckets are also addressed as bucket.<domain> (virtual-host style; repeat for several; default localhost)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--https-port <port>', 'each zone\'s gateway serves HTTPS on this port of its own address (port+N−1 when zones share 127.0.0.1)',
      intIn(LOWEST_BASE_PORT, HIGHEST_PORT), DEFAULT_GATEWAY_HTTPS_PORT)
    .option('--no-http', 'the gateways serve HTTPS only')
    .option('--no-tls', 'no TLS at all: plain HTTP gateways and insecure internal gRPC (not for shared machines)')
    .option('--ready-timeout-ms <ms>', 'give up when the cluster is not healthy this long after start', intIn(1, 3_600_000), DEFAULT_UP_READY_TIMEOUT_MS)
    .option('--lifecycle-day-length-ms <ms>', 'TEST KNOB: how long a lifecycle "day" lasts (default 86400000, a real day), so lifecycle rules can be tried in seconds', intIn(1, 86_400_000))
    .option('--lifecycle-interval-ms <ms>', 'pause between lifecycle passes of the meta leader (default 60000)', intIn(1, 86_400_000))
    .action((opts: UpOptions) => up(opts));
}

async function up(opts: UpOptions): Promise<void> {
  const fail = (message: string): void => {
    console.error(`zonestore up: ${message}`);
    process.exitCode = 1;
  };
  if (highestPort(opts.basePort, opts.zones) > HIGHEST_PORT) return fail(`--base-port ${opts.basePort} is too high for ${opts.zones} zones`);
  const root = resolve(opts.dataDir);
  mkdirSync(root, { recursive: true });
  const recorded = readClusterRecord(root);
  const mismatch = recorded && shapeMismatch(recorded, opts);
  if (mismatch) return fail(`${root}: ${mismatch}. Start it with its own shape, or use another --data-dir.`);

  const hosts = await zoneHosts(opts.zones);
  const specs = planZones({
    root, hosts, ports: hosts.map((h, i) => fixedZonePorts(opts.basePort, i + 1, opts.dataNodesPerZone,
      // Zones on distinct addresses share the well-known port; on one shared address they cannot.
      new Set(hosts).size === hosts.length ? opts.gatewayPort : opts.gatewayPort + i)),
  });
  const taken = await takenAddresses(specs);
  if (taken.length > 0) {
    return fail(`these addresses are in use:\n  ${taken.join('\n  ')}\n`
      + 'Is another `zonestore up` running? Stop it, or pick other ports with --base-port.');
  }
  const cluster = new LocalZoneCluster(specs, {
    extraArgs: [
      ...(opts.baseDomain ?? []).flatMap((d) => ['--base-domain', d]),
      ...(opts.lifecycleDayLengthMs ? ['--lifecycle-day-length-ms', String(opts.lifecycleDayLengthMs)] : []),
      ...(opts.lifecycleIntervalMs ? ['--lifecycle-interval-ms', String(opts.lifecycleIntervalMs)] : []),
    ],
    // HTTPS on the gateways and mutual TLS between every internal gRPC server and client.
    tls: opts.tls, plainHttp: opts.http,
    gatewayHttpsPorts: specs.map((_, i) => (new Set(hosts).size === hosts.length ? opts.httpsPort : opts.httpsPort + i)),
  });
  let rootKey;
  let kmsKey: { file: string; created: boolean };
  try {
    rootKey = cluster.rootCredentials();
    kmsKey = cluster.kmsRootKey();
  } catch (err) {
    return fail((err as Error).message);
  }
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping every zone…');
    await cluster.stopAll();
    console.log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('exit', () => cluster.killAllNow());

  console.log(`zonestore up: starting ${opts.zones} zones with ${opts.dataNodesPerZone} data nodes each (state in ${root})…`);
  let ready: ZoneReady[];
  try {
    ready = await cluster.startAll();
  } catch (err) {
    if (stopping) return;
    const message = (err as Error).message;
    // classic-level locks each store: a second `up` on the same directory stops here.
    fail(/\/LOCK\b/.test(message) ? `${message}\nIs another \`zonestore up\` using ${root}?` : message);
    return stop(1);
  }
  // Only now: a run that could not start must not redirect `status` away from one that did.
  writeClusterRecord(root, {
    zones: opts.zones, dataNodesPerZone: opts.dataNodesPerZone, basePort: opts.basePort,
    metaApiAddresses: specs.map((s) => s.metaApiAddress),
    gatewayEndpoints: ready.map((z) => z.gateway.url),
  });
  for (const spec of specs) {
    void cluster.process(spec.zone)?.exited.then((how) => {
      if (stopping) return;
      console.error(`\n${spec.zone} exited unexpectedly (${how}); the other zones keep serving. Log: ${cluster.logFile(spec.zone)}`);
      if (specs.every((s) => !cluster.process(s.zone)?.running)) {
        fail('every zone has exited');
        void stop(1);
      }
    });
  }

  console.log('waiting for a meta leader and every data node to register…');
  const report = await waitUntilHealthy(cluster, plannedDataNodeIds(specs), opts.readyTimeoutMs, () => stopping);
  if (stopping) return;
  if (!report.healthy) {
    fail(`the cluster is not healthy after ${opts.readyTimeoutMs} ms:\n  - ${report.problems.join('\n  - ')}\n`
      + `Zone logs: ${specs.map((s) => cluster.logFile(s.zone)).join(', ')}`);
    return stop(1);
  }
  printBanner(specs, ready, report, root, cluster, rootKey, kmsKey);
}

async function waitUntilHealthy(
  cluster: LocalZoneCluster, expectedDataNodes: string[], timeoutMs: number, cancelled: () => boolean,
): Promise<ClusterReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await collectClusterReport(cluster.metaApiAddresses, { expectedDataNodes });
    if (report.healthy || cancelled() || Date.now() >= deadline) return report;
    await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
  }
}

function printBanner(
  specs: readonly ZoneSpec[], ready: readonly ZoneReady[], report: ClusterReport, root: string, cluster: LocalZoneCluster,
  rootKey: { credentials: RootCredentials; created: boolean },
  kmsKey: { file: string; created: boolean },
): void {
  const rows = ready.map((z) => [
    `  ${z.zone}  S3 ${z.gateway.url}   meta ${z.meta.id} API ${z.meta.apiAddress} (Raft ${z.meta.raftAddress})`,
    `          data nodes ${z.dataNodes.map((n) => n.address).join(', ')}`,
    `          log ${cluster.logFile(z.zone)}`,
  ].join('\n'));
  const sameDir = resolve(DEFAULT_DATA_DIR) === root ? '' : ` --data-dir ${root}`;
  const endpoint = ready[0]!.gateway.url;
  const httpsEndpoint = ready[0]!.gateway.httpsUrl;
  const trust = httpsEndpoint === undefined ? '' : `
HTTPS:        ${httpsEndpoint}   (${ready.map((z) => z.gateway.httpsUrl).join(', ')})
CA:           ${cluster.caFile}   (the cluster's own CA, created on first run; trust it:)
                export AWS_CA_BUNDLE=${cluster.caFile}        # aws CLI and SDKs
                aws --ca-bundle ${cluster.caFile} --endpoint-url ${httpsEndpoint} s3 ls
                export NODE_EXTRA_CA_CERTS=${cluster.caFile}  # Node.js clients
Internal gRPC: mutual TLS, certificates issued by that CA (${cluster.tlsDir}/internal/)
`;
  const { accessKeyId, secretAccessKey } = rootKey.credentials;
  console.log(`
The cluster is up: ${specs.length} zones, meta leader ${report.leader?.id} (${report.leader?.zone}), ${report.dataNodes?.length} data nodes healthy.

${rows.join('\n')}

S3 endpoint:  ${endpoint}   (any zone's gateway serves any request: ${ready.map((z) => z.gateway.url).join(', ')})
Region:       ${DEFAULT_REGION}
Access key:   ${accessKeyId}
Secret key:   ${secretAccessKey}
              (the root account's key, ${rootKey.created ? 'created now and ' : ''}kept in ${specs[0]!.credentialsFile})
KMS root key: ${kmsKey.file}${kmsKey.created ? '\n              (created now: 32 random bytes that wrap every KMS key; back it up — without it no SSE object can be read)' : ''}
KMS API:      ${endpoint}/_zonestore/kms   (aws kms --endpoint-url ${endpoint}/_zonestore/kms list-keys)
${trust}
Try it with the aws CLI:
  export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=${DEFAULT_REGION}
  aws --endpoint-url ${endpoint} s3 mb s3://demo
  aws --endpoint-url ${endpoint} s3 cp README.md s3://demo/
  aws --endpoint-url ${endpoint} s3 ls s3://demo

State: ${root} (kept; the next \`zonestore up\` continues from it)
Cluster health in another terminal:  npm run zonestore -- status${sameDir}

Ctrl-C stops every zone.`);
}
