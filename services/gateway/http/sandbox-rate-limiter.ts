// The owner's request rate in a sandboxed bucket, per gateway: one token bucket per bucket name
// (capacity one second's worth, refilled continuously at the setting's requestsPerSecond). Pure:
// the caller passes the clock's reading. At most MAX_RATE_LIMITED_BUCKETS are tracked; past
// that the oldest entry is dropped (it restarts full, which only ever lets a burst through).
export const MAX_RATE_LIMITED_BUCKETS = 10_000;

interface TokenBucket { tokens: number; atMs: number; rate: number }

export class SandboxRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly maxBuckets = MAX_RATE_LIMITED_BUCKETS) {}

  /** Takes one token for `bucket` at `requestsPerSecond`; false when none is left (throttle). */
  tryTake(bucket: string, requestsPerSecond: number, nowMs: number): boolean {
    let b = this.buckets.get(bucket);
    if (!b) {
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: requestsPerSecond, atMs: nowMs, rate: requestsPerSecond };
      this.buckets.set(bucket, b);
    }
    if (b.rate !== requestsPerSecond) {
      b.rate = requestsPerSecond;
      b.tokens = Math.min(b.tokens, requestsPerSecond);
    }
    const elapsed = Math.max(0, nowMs - b.atMs);
    b.tokens = Math.min(requestsPerSecond, b.tokens + (elapsed * requestsPerSecond) / 1000);
    b.atMs = Math.max(b.atMs, nowMs);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets a bucket taken out of the sandbox. */
  forget(bucket: string): void {
    this.buckets.delete(bucket);
  }
}
