// The gateway's own Prometheus registry (issue #11's sandbox metrics; #14 adds the rest):
//   zonestore_bucket_sandboxed{bucket}            1 per sandboxed bucket, listed from meta at scrape
//                                                 (at most MAX_SCRAPED_BUCKETS looked at; when meta
//                                                 cannot answer, the sandboxed buckets this gateway saw)
//   zonestore_sandbox_requests_total{bucket,outcome="allowed|denied|throttled"}
import { Counter, Gauge, Registry } from 'prom-client';

/** Buckets a scrape lists from meta to find the sandboxed ones; label sets stay bounded. */
export const MAX_SCRAPED_BUCKETS = 10_000;
/** Distinct bucket label values the request counter keeps. */
export const MAX_COUNTED_SANDBOX_BUCKETS = 1_000;

export type SandboxOutcome = 'allowed' | 'denied' | 'throttled';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly seenSandboxed = new Set<string>();
  private readonly counted = new Set<string>();
  private readonly sandboxRequests: Counter<'bucket' | 'outcome'>;

  /** `listSandboxed`: the sandboxed buckets' names, from meta (throws when meta cannot answer). */
  constructor(listSandboxed?: () => Promise<string[]>) {
    const seen = this.seenSandboxed;
    new Gauge({
      name: 'zonestore_bucket_sandboxed', help: 'Whether a bucket is in the sandbox (1 per sandboxed bucket)',
      labelNames: ['bucket'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        let names: Iterable<string> = seen;
        if (listSandboxed) {
          try {
            names = await listSandboxed();
          } catch { /* meta unreachable: what this gateway saw */ }
        }
        for (const name of names) this.set({ bucket: name }, 1);
      },
    });
    this.sandboxRequests = new Counter({
      name: 'zonestore_sandbox_requests_total', help: 'Requests to sandboxed buckets, by outcome',
      labelNames: ['bucket', 'outcome'] as const, registers: [this.registry],
    });
  }

  /** A request to a sandboxed bucket and how it ended. */
  sandboxRequest(bucket: string, outcome: SandboxOutcome): void {
    if (this.seenSandboxed.size < MAX_COUNTED_SANDBOX_BUCKETS) this.seenSandboxed.add(bucket);
    if (!this.counted.has(bucket)) {
      if (this.counted.size >= MAX_COUNTED_SANDBOX_BUCKETS) return;
      this.counted.add(bucket);
    }
    this.sandboxRequests.inc({ bucket, outcome });
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
