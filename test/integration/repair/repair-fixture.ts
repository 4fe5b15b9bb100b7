// Shared pieces of the repair tests: where a shard's chunk file lives on disk in a local
// cluster, bitrot and loss done to it, the manifest of an object as meta records it, and the
// redundancy scan with a bounded wait for it to come back clean.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fanOutDirs } from '../../../services/data/chunk-id.ts';
import type { Manifest, Shard } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { scanRedundancy, type RedundancyReport } from '../../../services/gateway/repair/index.ts';
import type { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import { waitFor } from '../cluster/cluster-fixture.ts';

/** Zone args of the repair tests: the client tests' fast timing plus the given repair interval. */
export function repairZoneArgs(fast: string[], repairIntervalMs: number): string[] {
  return [...fast, '--repair-interval-ms', String(repairIntervalMs)];
}

/** The chunk file of `shard` (node ids are `<zone>-data-<n>`, stored under `<zone dir>/data-<n>`). */
export function chunkPath(cluster: LocalZoneCluster, shard: Shard): string {
  const m = /^(.*)-data-(\d+)$/.exec(shard.node);
  if (!m) throw new Error(`unexpected data node id ${shard.node}`);
  return join(cluster.spec(m[1]!).dataDir, `data-${m[2]}`, 'chunks', ...fanOutDirs(shard.chunkId), shard.chunkId);
}

/** Flips one byte of the chunk's data, as bitrot would (its block checksum no longer holds). */
export function flipByte(path: string, position = 100): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, position);
    b[0]! ^= 0xa5;
    writeSync(fd, b, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

export function deleteFile(path: string): void {
  unlinkSync(path);
}

export async function manifestOf(meta: MetaClient, bucket: string, key: string, versionId = ''): Promise<{ versionId: string; manifest: Manifest }> {
  const v = (await meta.call('getObject', { bucket, key, versionId })).version!;
  return { versionId: v.versionId, manifest: v.manifest! };
}

/** Waits (bounded) for a scan that finds every shard present and valid; returns it. */
export async function waitForFullRedundancy(meta: MetaClient, timeoutMs: number): Promise<RedundancyReport> {
  let last: RedundancyReport | undefined;
  try {
    return await waitFor('full redundancy', async () => {
      last = await scanRedundancy({ meta });
      return last.degraded.length === 0 && last.problems.length === 0 ? last : false;
    }, timeoutMs, 500);
  } catch (err) {
    throw new Error(`${(err as Error).message}; still degraded: ${JSON.stringify(last?.degraded.slice(0, 10))}`);
  }
}
