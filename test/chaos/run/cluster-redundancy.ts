// The chaos run's redundancy check on a real cluster: the repair module's scan (every manifest,
// every shard verified on its node), turned into one line per shard short of full redundancy.
import { scanClusterRedundancy, type StripeLocation } from '../../../services/gateway/repair/index.ts';
import type { RedundancyCheck } from './redundancy-wait.ts';

export function clusterRedundancyCheck(metaAddresses: readonly string[]): RedundancyCheck {
  return async () => {
    const r = await scanClusterRedundancy({ metaAddresses: [...metaAddresses], callTimeoutMs: 10_000 });
    const where = (d: StripeLocation) =>
      `${d.bucket}/${d.key} ${d.uploadId ? `upload ${d.uploadId}` : `version ${d.versionId}`} part ${d.part} stripe ${d.stripe}`;
    return {
      objectsChecked: r.objectsChecked,
      shardsChecked: r.shardsChecked,
      degraded: [
        ...r.degraded.map((d) => `${where(d)} shard ${d.shard} on ${d.node ?? `(none, belongs in ${d.zone})`}: ${d.state}`),
        ...r.unrebuildable.map((u) => `${where(u)}: UNREBUILDABLE`),
        ...r.problems.map((p) => `unreadable record: ${p.message}`),
      ],
    };
  };
}
