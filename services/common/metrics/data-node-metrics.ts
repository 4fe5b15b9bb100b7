// Data node metrics, by `node` id: capacity and use (read from the chunk store at scrape time),
// scrub counters, and chunk read/write latency pushed by the data service and the in-process
// chunk client (a zone's gateway reaches its own zone's nodes without gRPC).
import { Counter, Gauge, Histogram } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, MetricSources, processRegistry } from './process-registry.ts';

export interface DataNodeMetricSource {
  usage(): Promise<{ capacityBytes: number; usedBytes: number; chunkCount: number; readDamageFound: number }>;
  scrub(): { passesCompleted: number; chunksChecked: number; bytesChecked: number; corruptFound: number; missingFound: number; lastPassFinishedUnixMs: number };
}

export const dataNodeSources = new MetricSources<DataNodeMetricSource>();

type Usage = Awaited<ReturnType<DataNodeMetricSource['usage']>>;
type Scrub = ReturnType<DataNodeMetricSource['scrub']>;

// Each gauge asks every node (a statfs per call: cheap at scrape rates).
async function usages(): Promise<Map<string, Usage>> {
  const out = new Map<string, Usage>();
  await Promise.all([...dataNodeSources.entries()].map(async ([node, s]) => {
    try {
      out.set(node, await s.usage());
    } catch { /* a node stopping mid-scrape: left out */ }
  }));
  return out;
}

function usageGauge(name: string, help: string, value: (u: Usage) => number): void {
  new Gauge({
    name, help, labelNames: ['node'] as const, registers: [processRegistry],
    async collect() {
      this.reset();
      for (const [node, u] of await usages()) this.set({ node }, value(u));
    },
  });
}

usageGauge('zonestore_data_node_capacity_bytes', 'Bytes of chunk data the node may hold', (u) => u.capacityBytes);
usageGauge('zonestore_data_node_used_bytes', 'Bytes of chunk data the node holds', (u) => u.usedBytes);
usageGauge('zonestore_data_node_chunks', 'Chunks the node holds', (u) => u.chunkCount);

// Scrub counters live in the scrubber; exposed as counters that take the scrubber's totals.
function scrubCounter(name: string, help: string, value: (s: Scrub) => number): void {
  new Counter({
    name, help, labelNames: ['node'] as const, registers: [processRegistry],
    collect() {
      this.reset();
      for (const [node, s] of dataNodeSources.entries()) this.inc({ node }, value(s.scrub()));
    },
  });
}

scrubCounter('zonestore_scrub_passes_total', 'Scrub passes the node completed', (s) => s.passesCompleted);
scrubCounter('zonestore_scrub_checked_chunks_total', 'Chunks scrub read and checked', (s) => s.chunksChecked);
scrubCounter('zonestore_scrub_checked_bytes_total', 'Bytes scrub read and checked', (s) => s.bytesChecked);
scrubCounter('zonestore_scrub_corrupt_chunks_total', 'Corrupt chunks (checksum mismatch) scrub found', (s) => s.corruptFound);
scrubCounter('zonestore_scrub_missing_chunks_total', 'Indexed chunks whose file scrub found missing', (s) => s.missingFound);

new Gauge({
  name: 'zonestore_scrub_last_pass_timestamp_seconds', help: 'When the node\'s last scrub pass finished (Unix seconds; 0 before the first)',
  labelNames: ['node'] as const, registers: [processRegistry],
  collect() {
    this.reset();
    for (const [node, s] of dataNodeSources.entries()) this.set({ node }, s.scrub().lastPassFinishedUnixMs / 1000);
  },
});
new Counter({
  name: 'zonestore_chunk_read_damage_total', help: 'Damaged chunks found by ordinary reads (not scrub)',
  labelNames: ['node'] as const, registers: [processRegistry],
  async collect() {
    this.reset();
    for (const [node, u] of await usages()) this.inc({ node }, u.readDamageFound);
  },
});

const readDuration = new Histogram({
  name: 'zonestore_chunk_read_duration_seconds', help: 'Time to stream one chunk (or range) off a node, by outcome (ok|error)',
  labelNames: ['node', 'outcome'] as const, buckets: LATENCY_BUCKETS_SECONDS, registers: [processRegistry],
});
const writeDuration = new Histogram({
  name: 'zonestore_chunk_write_duration_seconds', help: 'Time to receive, checksum and durably store one chunk on a node, by outcome (ok|error)',
  labelNames: ['node', 'outcome'] as const, buckets: LATENCY_BUCKETS_SECONDS, registers: [processRegistry],
});

export function recordChunkRead(node: string, seconds: number, ok: boolean): void {
  readDuration.observe({ node, outcome: ok ? 'ok' : 'error' }, seconds);
}

export function recordChunkWrite(node: string, seconds: number, ok: boolean): void {
  writeDuration.observe({ node, outcome: ok ? 'ok' : 'error' }, seconds);
}
