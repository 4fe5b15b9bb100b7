// A real three-zone cluster with an S3 gateway per zone, for the client tests: zone processes on
// free ports in a fresh temp dir (the same launcher `zonestore up` uses), healthy before use,
// and every process killed in teardown. Also S3 clients configured the way users configure them.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { collectClusterReport } from '../../services/cli/status/cluster-report.ts';
import { LocalZoneCluster } from '../../services/cli/zone/local-zone-cluster.ts';
import type { ZoneReady } from '../../services/cli/zone/zone-launcher.ts';
import { plannedDataNodeIds } from '../../services/cli/zone/zone-layout.ts';
import type { RootCredentials } from '../../services/gateway/credentials/root-credentials.ts';
import { freePortPlan, waitFor } from '../integration/cluster/cluster-fixture.ts';

/** Short Raft ticks and health reports, so elections and a dead zone show within seconds. */
export const FAST_ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', '250', '--report-timeout-ms', '1500'];
export const CLUSTER_HEALTHY_LIMIT_MS = 45_000;
export const REGION = 'us-east-1';

export interface S3Cluster {
  cluster: LocalZoneCluster;
  root: string;
  credentials: RootCredentials;
  /** Gateway URL of each zone, in zone order. */
  endpoints: string[];
  /** With `tls`: each zone gateway's HTTPS URL, and the cluster CA that signed its certificate. */
  httpsEndpoints: (string | undefined)[];
  caFile?: string;
  ready: ZoneReady[];
  stop(): Promise<void>;
}

/**
 * `zoneArgs`: zone-main flags (default FAST_ZONE_ARGS; benchmarks pass [] for `zonestore up`'s
 * own timing); `env`: the zone processes' environment; `control`: open each zone's control
 * channel (ZoneProcess.control).
 */
export async function startS3Cluster(o: { zoneArgs?: string[]; env?: NodeJS.ProcessEnv; control?: boolean; tls?: boolean } = {}): Promise<S3Cluster> {
  const { root, specs } = await freePortPlan(3, 3);
  const cluster = new LocalZoneCluster(specs, { extraArgs: o.zoneArgs ?? FAST_ZONE_ARGS, env: o.env, control: o.control, ...(o.tls ? { tls: true } : {}) });
  const stop = async (): Promise<void> => {
    await cluster.stopAll();
    reportLoggedErrors(cluster);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const { credentials } = cluster.rootCredentials();
    const ready = await cluster.startAll();
    const expectedDataNodes = plannedDataNodeIds(specs);
    await waitFor('a healthy cluster',
      async () => (await collectClusterReport(cluster.metaApiAddresses, { expectedDataNodes })).healthy, CLUSTER_HEALTHY_LIMIT_MS);
    return {
      cluster, root, credentials, endpoints: ready.map((z) => z.gateway.url), ready, stop,
      httpsEndpoints: ready.map((z) => z.gateway.httpsUrl), ...(o.tls ? { caFile: cluster.caFile } : {}),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Most error lines of the zones' logs shown when a suite ends: the why of a 500 a test saw. */
const SHOWN_ERROR_LINES = 20;

/** Prints the zones' logged errors (pino level ≥ 50) to stderr, so a failed run says what went wrong inside. */
function reportLoggedErrors(cluster: LocalZoneCluster): void {
  for (const spec of cluster.specs) {
    const file = cluster.logFile(spec.zone);
    if (!existsSync(file)) continue;
    const errors = readFileSync(file, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
    if (errors.length === 0) continue;
    process.stderr.write(`${spec.zone} logged ${errors.length} errors; the last ones:\n${errors.slice(-SHOWN_ERROR_LINES).join('\n')}\n`);
  }
}

/** An SDK client as a user would make one: endpoint, credentials, path-style addressing. */
export function s3Client(endpoint: string, credentials: RootCredentials, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint, region: REGION, forcePathStyle: true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    ...extra,
  });
}

/** Deterministic pseudo-random bytes (xorshift), so a failing comparison can be reproduced. */
export function seededBytes(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = (seed | 0) || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, size);
}

export async function bodyBytes(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> };
  if (!b?.transformToByteArray) throw new Error('response has no body');
  return Buffer.from(await b.transformToByteArray());
}

/** The S3 error code an SDK call failed with (its `name`). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { name?: string; Code?: string }).Code ?? (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

/** The HTTP status an SDK call failed with (for answers without a body, such as 304). */
export async function errorStatus(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
  throw new Error('expected the call to fail');
}

export interface S3Suite {
  readonly c: S3Cluster;
  /** A client of zone-1's gateway. */
  readonly s3: S3Client;
}

/**
 * The usual suite set-up: a cluster started before the tests (with `bucket` created, if
 * given) and stopped after them, however they end.
 */
export function useS3Cluster(o: { bucket?: string; timeoutMs: number; tls?: boolean; setup?: (suite: S3Suite) => Promise<void> }): S3Suite {
  let cluster: S3Cluster | undefined;
  let client: S3Client | undefined;
  before(async () => {
    cluster = await startS3Cluster(o.tls ? { tls: true } : {});
    client = s3Client(cluster.endpoints[0]!, cluster.credentials);
    if (o.bucket) await client.send(new CreateBucketCommand({ Bucket: o.bucket }));
    await o.setup?.(suite);
  }, { timeout: o.timeoutMs });
  after(async () => {
    client?.destroy();
    await cluster?.stop();
  });
  const suite: S3Suite = {
    get c() {
      if (!cluster) throw new Error('the cluster is not started yet');
      return cluster;
    },
    get s3() {
      if (!client) throw new Error('the cluster is not started yet');
      return client;
    },
  };
  return suite;
}
