// Bucket records read for owner checks and versioning state, reused for a moment so a burst of
// small writes does not pay a linearizable read each. Only hits are kept, and only briefly: a
// deleted bucket is refused by the metadata service itself when the write commits, so a stale
// entry can cost a wasted data write, never a wrong answer.
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';

export class BucketCache {
  private readonly entries = new Map<string, { bucket: Bucket; until: number }>();

  constructor(private readonly meta: MetaClient, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  async get(name: string): Promise<Bucket> {
    const hit = this.entries.get(name);
    if (hit && hit.until > this.now()) return hit.bucket;
    const { bucket } = await metaCall(this.meta.call('getBucket', { name }));
    if (!bucket) throw new Error(`meta returned no bucket record for ${name}`);
    this.remember(bucket);
    return bucket;
  }

  remember(bucket: Bucket): void {
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(bucket.name, { bucket, until: this.now() + this.ttlMs });
  }

  /** The last record seen, even if expired, without asking meta (access logging reads its config synchronously). */
  peek(name: string): Bucket | undefined {
    return this.entries.get(name)?.bucket;
  }

  forget(name: string): void {
    this.entries.delete(name);
  }
}
