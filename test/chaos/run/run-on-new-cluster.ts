// A chaos run from scratch: a fresh chaos cluster (zone processes behind fault proxies, in a temp
// dir), the run, the report files, and the cluster stopped whatever happened. What
// `zonestore chaos` and the CI chaos test call.
import { ChaosCluster } from '../cluster/chaos-cluster.ts';
import type { ScenarioName } from '../nemesis/nemesis-fault.ts';
import { runChaos, type ChaosRunResult } from './chaos-run.ts';
import { writeChaosReport, type ChaosReportFiles } from './chaos-report.ts';
import { clusterRedundancyCheck } from './cluster-redundancy.ts';

/** Short Raft ticks and health reports (the client tests' timing), for quick runs. */
export const FAST_CHAOS_ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', '250', '--report-timeout-ms', '1500'];
/** Repair scans this often during a chaos run, so redundancy returns within the run's patience. */
export const CHAOS_REPAIR_INTERVAL_MS = 2_000;

export interface NewClusterRunOptions {
  scenario: ScenarioName;
  seed: number;
  durationMs: number;
  clients?: number;
  keyCount?: number;
  network?: 'proxy' | 'proxy+nft';
  /** FAST_CHAOS_ZONE_ARGS instead of `zonestore up`'s own timing. */
  fastTiming?: boolean;
  /** Zone processes' environment (a planted-bug flag goes here). */
  env?: NodeJS.ProcessEnv;
  repairTimeoutMs?: number;
  /** Where the report files go. */
  outDir: string;
  /** Keep the cluster's directory (logs, data) instead of removing it. */
  keepCluster?: boolean;
  log?: (line: string) => void;
}

export async function runChaosOnNewCluster(o: NewClusterRunOptions): Promise<{ result: ChaosRunResult; files: ChaosReportFiles; clusterDir: string }> {
  const zoneArgs = [...(o.fastTiming ? FAST_CHAOS_ZONE_ARGS : []), '--repair-interval-ms', String(CHAOS_REPAIR_INTERVAL_MS)];
  const cluster = await ChaosCluster.start({
    seed: o.seed, zoneArgs, env: o.env, network: o.network ?? 'proxy', keepRoot: o.keepCluster, log: o.log,
  });
  try {
    const result = await runChaos({
      cluster, scenario: o.scenario, seed: o.seed, durationMs: o.durationMs, clients: o.clients, keyCount: o.keyCount,
      redundancy: clusterRedundancyCheck(cluster.metaApiAddresses), repairTimeoutMs: o.repairTimeoutMs, log: o.log,
    });
    const files = writeChaosReport(o.outDir, result);
    return { result, files, clusterDir: cluster.root };
  } finally {
    await cluster.stop();
  }
}
