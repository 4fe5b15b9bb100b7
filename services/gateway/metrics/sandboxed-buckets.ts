// The sandboxed buckets, listed from meta for a metrics scrape: every bucket record (all owners),
// in pages, at most MAX_SCRAPED_BUCKETS, keeping those whose sandbox setting is present.
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { bucketSandbox } from '../handlers/sandbox-config.ts';
import { MAX_SCRAPED_BUCKETS } from './gateway-metrics.ts';

const PAGE = 1000;

export async function listSandboxedBuckets(meta: MetaClient): Promise<string[]> {
  const out: string[] = [];
  let startAfter = '';
  for (let seen = 0; seen < MAX_SCRAPED_BUCKETS;) {
    const res = await metaCall(meta.call('listBuckets', { owner: '', prefix: '', startAfter, maxBuckets: PAGE }));
    for (const b of res.buckets) if (bucketSandbox(b)) out.push(b.name);
    seen += res.buckets.length;
    if (!res.isTruncated || res.buckets.length === 0) break;
    startAfter = res.buckets[res.buckets.length - 1]!.name;
  }
  return out;
}
