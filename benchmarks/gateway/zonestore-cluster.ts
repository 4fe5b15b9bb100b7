// The zonestore cluster the benchmark measures: the client tests' fixture (startS3Cluster) minus
// its short Raft ticks and health-report intervals, i.e. the zone flags `zonestore up` uses.
// The fixture's 50 ms ticks and 250 ms reports cost ~25% of a core while idle here, which a
// 2-core benchmark would charge to every request.
import { rmSync } from 'node:fs';
import { collectClusterReport } from '../../services/cli/status/cluster-report.ts';
import { LocalZoneCluster } from '../../services/cli/zone/local-zone-cluster.ts';
import { plannedDataNodeIds } from '../../services/cli/zone/zone-layout.ts';
import { freePortPlan, waitFor } from '../../test/integration/cluster/cluster-fixture.ts';
import { CLUSTER_HEALTHY_LIMIT_MS, FAST_ZONE_ARGS, type S3Cluster } from '../../test/clients/s3-cluster-fixture.ts';

const ZONES = 3;
const DATA_NODES_PER_ZONE = 3;

/** `fast`: the client tests' flags (FAST_ZONE_ARGS); `default`: what `zonestore up` runs. */
export type ZoneTiming = 'default' | 'fast';

/** `env`: the zone processes' environment (--profile preloads its hook through NODE_OPTIONS). */
export async function startZonestoreCluster(timing: ZoneTiming, env?: NodeJS.ProcessEnv): Promise<S3Cluster> {
  const { root, specs } = await freePortPlan(ZONES, DATA_NODES_PER_ZONE);
  const cluster = new LocalZoneCluster(specs, { extraArgs: timing === 'fast' ? FAST_ZONE_ARGS : [], env });
  const stop = async (): Promise<void> => {
    await cluster.stopAll();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const { credentials } = cluster.rootCredentials();
    const ready = await cluster.startAll();
    const expectedDataNodes = plannedDataNodeIds(specs);
    await waitFor('a healthy cluster',
      async () => (await collectClusterReport(cluster.metaApiAddresses, { expectedDataNodes })).healthy, CLUSTER_HEALTHY_LIMIT_MS);
    return { cluster, root, credentials, endpoints: ready.map((z) => z.gateway.url), ready, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
