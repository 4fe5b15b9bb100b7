// Repair metrics of the repair workers in this process (one per zone process), by `zone`: read
// from each worker's counters at scrape time.
import { Counter, Gauge } from 'prom-client';
import { MetricSources, processRegistry } from './process-registry.ts';

export interface RepairMetricSource {
  /** Scrub findings waiting for the next pass. */
  queued: number;
  passes: number;
  failedPasses: number;
  /** Shards rewritten or added (rebuilt) since start. */
  rebuiltShards: number;
  rebuiltBytes: number;
  objectsChecked: number;
  /** Shards of this zone the last finished pass left degraded (waiting, unrepairable, lost or failed). */
  degradedShards: number;
  /** Objects with at least one such shard after the last finished pass. */
  degradedObjects: number;
  lastPassFinishedUnixMs: number;
}

export const repairSources = new MetricSources<() => RepairMetricSource>();

function gauge(name: string, help: string, value: (s: RepairMetricSource) => number): void {
  new Gauge({
    name, help, labelNames: ['zone'] as const, registers: [processRegistry],
    collect() {
      this.reset();
      for (const [zone, s] of repairSources.entries()) this.set({ zone }, value(s()));
    },
  });
}

function counter(name: string, help: string, value: (s: RepairMetricSource) => number): void {
  new Counter({
    name, help, labelNames: ['zone'] as const, registers: [processRegistry],
    collect() {
      this.reset();
      for (const [zone, s] of repairSources.entries()) this.inc({ zone }, value(s()));
    },
  });
}

gauge('zonestore_repair_queue_length', 'Damaged chunks reported by scrub waiting for a repair pass', (s) => s.queued);
gauge('zonestore_degraded_objects', 'Objects with a shard in this zone that the last repair pass left degraded', (s) => s.degradedObjects);
gauge('zonestore_degraded_shards', 'Shards in this zone that the last repair pass left degraded', (s) => s.degradedShards);
gauge('zonestore_repair_last_pass_timestamp_seconds', 'When the last repair pass finished (Unix seconds; 0 before the first)', (s) => s.lastPassFinishedUnixMs / 1000);
counter('zonestore_repair_passes_total', 'Repair passes finished', (s) => s.passes);
counter('zonestore_repair_failed_passes_total', 'Repair passes that ended in an error (retried next interval)', (s) => s.failedPasses);
counter('zonestore_repair_rebuilt_shards_total', 'Shards repair rebuilt and stored (rewritten or added)', (s) => s.rebuiltShards);
counter('zonestore_repair_rebuilt_bytes_total', 'Bytes of the shards repair rebuilt (its throughput)', (s) => s.rebuiltBytes);
counter('zonestore_repair_checked_objects_total', 'Objects repair passes looked at', (s) => s.objectsChecked);
