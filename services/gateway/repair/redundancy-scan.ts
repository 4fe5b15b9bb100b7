// The redundancy check: walks every stored object version and in-progress upload part, asks
// each shard's data node whether the chunk is there and valid (the node reads it and checks
// every block checksum; only its length and CRC32C come back), and reports every shard that
// lacks full redundancy — missing, corrupt, on a node that is down, unreachable or unknown, or
// never recorded at all (a write acknowledged while its node or zone was down). What the chaos
// harness's redundancy checker calls after healing, from a test process: it needs only the
// meta replicas' API addresses and dials data nodes at their registered addresses.
//
//   const report = await scanClusterRedundancy({ metaAddresses: cluster.metaApiAddresses });
//   assert.deepEqual(report.degraded, []);
import { DataNodeClient } from '../../data/data-client.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import { assessStripe, type DegradedState, shardsNeededToRead } from '../../erasure/index.ts';
import { MetaClient } from '../../meta/client/meta-client.ts';
import { buildPlacementSnapshot } from '../objects/placement-snapshot.ts';
import { observeStoredData } from './stripe-observation.ts';
import type { StoredData } from './stored-data.ts';
import { walkStoredData, type WalkProblem } from './stored-data-walk.ts';
import { TaskLimit } from './task-limit.ts';

/** Shard checks in flight at once, cluster-wide. */
export const DEFAULT_SCAN_CONCURRENCY = 8;
/** Deadline of one shard check (a verify reads the whole chunk on its node). */
export const SCAN_CALL_TIMEOUT_MS = 10_000;

export interface RedundancyScanOptions {
  meta: MetaClient;
  /** The client of a data node's registered address; default: one DataNodeClient per address, closed when the scan ends. */
  clientOf?: (address: string) => ChunkClient;
  /** IP the default data node clients bind (a zone's address); unset: any. */
  localAddress?: string;
  /** Have nodes read whole chunks and check every checksum (default); false consults their indexes only. */
  verify?: boolean;
  concurrency?: number;
  callTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Where a stripe is: the version (or in-progress upload), part and stripe. */
export interface StripeLocation {
  bucket: string;
  key: string;
  /** The version's id, or '' for a part of an in-progress upload. */
  versionId: string;
  /** The upload's id, or '' for a version. */
  uploadId: string;
  /** ManifestPart.number. */
  part: number;
  /** The stripe's position in its part. */
  stripe: number;
}

export interface DegradedShardReport extends StripeLocation {
  /** The shard's index in the stripe. */
  shard: number;
  /** Null for a shard never recorded (`absent`). */
  node: string | null;
  /** The shard's zone, or for an absent one the zone it belongs in. */
  zone: string;
  chunkId: string | null;
  state: DegradedState;
}

export interface UnrebuildableStripe extends StripeLocation {
  /** Distinct shards found valid. */
  valid: number;
  needed: number;
}

export interface RedundancyReport {
  /** Object versions and in-progress uploads whose data was checked. */
  objectsChecked: number;
  stripesChecked: number;
  /** Shards recorded in manifests and checked. */
  shardsChecked: number;
  /** Every shard short of full redundancy; empty when the cluster is fully redundant. */
  degraded: DegradedShardReport[];
  /** Stripes that cannot be rebuilt from what is valid now (their data is unreadable until a node returns). */
  unrebuildable: UnrebuildableStripe[];
  /** Records that could not be interpreted (never expected; reported rather than thrown). */
  problems: WalkProblem[];
}

/** Scans with a MetaClient of its own over `metaAddresses`, closed at the end. */
export async function scanClusterRedundancy(o: Omit<RedundancyScanOptions, 'meta'> & { metaAddresses: string[] }): Promise<RedundancyReport> {
  const meta = new MetaClient({ addresses: o.metaAddresses, localAddress: o.localAddress });
  try {
    return await scanRedundancy({ ...o, meta });
  } finally {
    meta.close();
  }
}

export async function scanRedundancy(o: RedundancyScanOptions): Promise<RedundancyReport> {
  const report: RedundancyReport = { objectsChecked: 0, stripesChecked: 0, shardsChecked: 0, degraded: [], unrebuildable: [], problems: [] };
  const owned = new Map<string, DataNodeClient>();
  const clientOf = o.clientOf ?? ((address: string) => {
    let c = owned.get(address);
    if (!c) owned.set(address, (c = new DataNodeClient(address, { localAddress: o.localAddress })));
    return c;
  });
  try {
    const nodes = (await o.meta.call('getPlacementMap', {})).nodes;
    const { map, nodes: entries } = buildPlacementSnapshot(nodes, new Set());
    const zones = map ? map.zones.map((z) => z.id) : [];
    const concurrency = o.concurrency ?? DEFAULT_SCAN_CONCURRENCY;
    const ctx = {
      nodes: entries, clientOf, verify: o.verify ?? true, timeoutMs: o.callTimeoutMs ?? SCAN_CALL_TIMEOUT_MS,
      limit: new TaskLimit(concurrency), signal: o.signal,
    };
    const checkOne = async (data: StoredData): Promise<void> => {
      const observed = await observeStoredData(ctx, data);
      report.objectsChecked++;
      for (const s of observed) {
        const part = data.parts[s.partIndex]!;
        report.stripesChecked++;
        report.shardsChecked += s.shards.length;
        const verdict = assessStripe({ scheme: part.scheme, zones: zones.length > 0 ? zones : [...new Set(s.shards.map((x) => x.zone))], shards: s.shards });
        const where = { ...data.ref, part: part.number, stripe: s.stripe };
        for (const d of verdict.degraded) {
          const record = d.node === null ? undefined : s.shards.find((x) => x.index === d.index && x.node === d.node && x.state === d.state)?.record;
          report.degraded.push({ ...where, shard: d.index, node: d.node, zone: d.zone, chunkId: record?.chunkId ?? null, state: d.state });
        }
        const valid = new Set(s.shards.filter((x) => x.state === 'valid').map((x) => x.index)).size;
        const needed = shardsNeededToRead(part.scheme);
        if (valid < needed) report.unrebuildable.push({ ...where, valid, needed });
      }
    };
    // Whole objects in flight up to the concurrency; their shard checks share one limit.
    const inFlight = new Set<Promise<void>>();
    for await (const data of walkStoredData(o.meta, (p) => report.problems.push(p), o.signal)) {
      const p: Promise<void> = checkOne(data).finally(() => inFlight.delete(p));
      p.catch(() => {}); // seen by the race or the final wait
      inFlight.add(p);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    report.degraded.sort(compareReports);
    report.unrebuildable.sort(compareReports);
    return report;
  } finally {
    for (const c of owned.values()) c.close();
  }
}

type Located = { bucket: string; key: string; versionId: string; uploadId: string; part: number; stripe: number; shard?: number };

/** Object order, then part, stripe and shard: a stable order for reports and tests. */
function compareReports(a: Located, b: Located): number {
  for (const f of ['bucket', 'key', 'versionId', 'uploadId'] as const) if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
  return a.part - b.part || a.stripe - b.stripe || (a.shard ?? 0) - (b.shard ?? 0);
}
