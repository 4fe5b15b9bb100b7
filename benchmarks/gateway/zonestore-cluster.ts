// The zonestore cluster the benchmark measures: the client tests' fixture (startS3Cluster) minus
// its short Raft ticks and health-report intervals, i.e. the zone flags `zonestore up` uses.
// The fixture's 50 ms ticks and 250 ms reports cost ~25% of a core while idle here, which a
// 2-core benchmark would charge to every request.
import { FAST_ZONE_ARGS, type S3Cluster, startS3Cluster } from '../../test/clients/s3-cluster-fixture.ts';

/** `fast`: the client tests' flags (FAST_ZONE_ARGS); `default`: what `zonestore up` runs. */
export type ZoneTiming = 'default' | 'fast';

/** `env`: the zone processes' environment (--profile preloads its hook through NODE_OPTIONS). */
export function startZonestoreCluster(timing: ZoneTiming, env?: NodeJS.ProcessEnv): Promise<S3Cluster> {
  return startS3Cluster({ zoneArgs: timing === 'fast' ? FAST_ZONE_ARGS : [], env });
}
