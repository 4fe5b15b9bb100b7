// The one Prometheus registry of a process. A zone process of `zonestore up` hosts a meta replica,
// data nodes and a gateway side by side; they all register here, so one scrape of any of its
// endpoints (the gateway's /_zonestore/metrics, a role's health server /metrics) shows the whole
// process. Metrics that read live state (Raft status, disk usage, repair counters) do so at scrape
// time from "sources" a component registers while it runs and removes when it stops.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const processRegistry = new Registry();

// process_cpu_seconds_total, process_resident_memory_bytes, nodejs_* (event loop lag, heap, GC).
collectDefaultMetrics({ register: processRegistry });

/** Prometheus text of everything this process exports. */
export function processMetricsText(): Promise<string> {
  return processRegistry.metrics();
}

export const PROMETHEUS_TEXT_CONTENT_TYPE = processRegistry.contentType;

/**
 * Components of one kind alive in this process (replicas, data nodes, repair workers), each under
 * a key that becomes its label value; a gauge's collect() walks them at scrape time.
 */
export class MetricSources<T> {
  private readonly byKey = new Map<string, T>();

  /** Adds (or replaces) `key`; the returned function removes it again (call it on stop). */
  add(key: string, source: T): () => void {
    this.byKey.set(key, source);
    return () => {
      if (this.byKey.get(key) === source) this.byKey.delete(key);
    };
  }

  entries(): IterableIterator<[string, T]> {
    return this.byKey.entries();
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** Latency buckets in seconds from 1 ms to 30 s: object requests span both ends. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
