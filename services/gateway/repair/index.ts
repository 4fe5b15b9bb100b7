// Public surface of repair: the redundancy scan (what the chaos harness's checker and operators
// call) and the per-zone repair worker (what a zone process runs).
export {
  DEFAULT_SCAN_CONCURRENCY, type DegradedShardReport, type RedundancyReport, type RedundancyScanOptions, scanClusterRedundancy,
  scanRedundancy, type StripeLocation, type UnrebuildableStripe,
} from './redundancy-scan.ts';
export {
  DEFAULT_REPAIR_INTERVAL_MS, type RepairCounters, type RepairPassSummary, RepairWorker, type RepairWorkerOptions,
} from './repair-worker.ts';
export type { RepairPassReport } from './repair-pass.ts';
export type { DataRef } from './stored-data.ts';
