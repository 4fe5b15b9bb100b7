// Runs one metadata operation in a closed loop at a fixed concurrency for a fixed time and
// reports throughput and latency percentiles.

export interface LoadResult {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `op(worker, n)` performs one operation; errors are counted, not thrown. */
export async function runLoad(concurrency: number, durationMs: number, op: (worker: number, n: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let n = 0; performance.now() < end; n++) {
      const t0 = performance.now();
      try {
        await op(worker, n);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length, seconds, opsPerSec: latencies.length / seconds,
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] ?? 0, errors,
  };
}
