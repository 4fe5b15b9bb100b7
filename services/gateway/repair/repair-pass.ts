// One repair pass of one zone: walk every stored object, verify the shards placed on this
// zone's data nodes, and for each stripe whose shards in this zone are missing, corrupt or were
// never recorded, read enough of its other shards, rebuild them and write them back — the same
// chunk id on the same node (replacing a damaged copy), or a new chunk on a node of this zone
// recorded in the manifest through meta (AddRepairedShards). Each zone repairs only its own
// zone's shards, so work splits by zone and no two zones ever write the same shard.
import { crc32c } from '@node-rs/crc32';
import type { Logger } from 'pino';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { PUT_FRAME_BYTES } from '../../data/data-client.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import {
  assessStripe, chooseNodeForAddedShard, type PlacementMap, type ReedSolomon, type ShardRepair, type StorageScheme,
} from '../../erasure/index.ts';
import type { RepairedShardSchema } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { isMetaError } from '../../meta/meta-error.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { newChunkId } from '../objects/chunk-naming.ts';
import { SHARD_WRITE_TIMEOUT_MS } from '../objects/data-path-limits.ts';
import type { NodeEntry } from '../objects/placement-snapshot.ts';
import type { ShardReader } from '../objects/stripe-fetch.ts';
import { rebuildShards } from './stripe-rebuild.ts';
import { observeStoredData, type StripeObservation } from './stripe-observation.ts';
import { describeRef, type StoredData } from './stored-data.ts';
import { walkStoredData } from './stored-data-walk.ts';
import { TaskLimit } from './task-limit.ts';

/** What one pass did (also summed into the worker's counters). */
export interface RepairPassReport {
  objectsChecked: number;
  /** This zone's shards verified. */
  shardsChecked: number;
  /** Missing or corrupt shards written back under their own chunk id. */
  rewritten: number;
  /** Shards never recorded, stored on a node of this zone and recorded in the manifest. */
  added: number;
  /** Rewrites the node answered were needless (the chunk was healthy by then). */
  alreadyHealthy: number;
  /** This zone's degraded shards whose stripe has too few readable shards to rebuild now. */
  unrepairable: number;
  /** This zone's degraded shards that must wait: node DOWN or unreachable, or no node of the zone UP to add to. */
  waiting: number;
  /** This zone's shards on nodes the placement map no longer lists (re-placement is not built). */
  lost: number;
  /** Rebuilt shards that could not be written or recorded (tried again next pass). */
  failed: number;
  /** Bytes of the shards rewritten or added (what repair throughput is measured by). */
  bytesRebuilt: number;
  /** Objects left with a degraded shard of this zone (waiting, unrepairable, lost or failed) after this pass. */
  degradedObjects: number;
  /** Chunks (node/chunk id) of this zone seen in manifests: lets the worker tell a scrub finding is garbage. */
  seenChunks: Set<string>;
}

export interface RepairPassContext {
  readonly meta: MetaClient;
  readonly zone: string;
  readonly map: PlacementMap | null;
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  clientOf(address: string): ChunkClient;
  readonly reader: ShardReader;
  codec(k: number, m: number): ReedSolomon;
  /** Shard checks in flight at once. */
  readonly concurrency: number;
  /** Objects repaired at once. */
  readonly objectConcurrency: number;
  /** Read this zone's shards whole (true), or only check the chunk is indexed (false). */
  readonly verify: boolean;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

type RepairedShardInit = MessageInitShape<typeof RepairedShardSchema>;

export function emptyPassReport(): RepairPassReport {
  return {
    objectsChecked: 0, shardsChecked: 0, rewritten: 0, added: 0, alreadyHealthy: 0, unrepairable: 0, waiting: 0, lost: 0, failed: 0,
    bytesRebuilt: 0, degradedObjects: 0, seenChunks: new Set(),
  };
}

async function* framesOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += PUT_FRAME_BYTES) yield bytes.subarray(at, at + PUT_FRAME_BYTES);
}

export async function runRepairPass(ctx: RepairPassContext): Promise<RepairPassReport> {
  const report = emptyPassReport();
  const zones = ctx.map ? ctx.map.zones.map((z) => z.id) : [];
  if (zones.length === 0) return report;
  const check = {
    nodes: ctx.nodes, clientOf: ctx.clientOf, verify: ctx.verify, timeoutMs: ctx.timeoutMs,
    limit: new TaskLimit(ctx.concurrency), signal: ctx.signal, shouldCheck: (s: { zone: string }) => s.zone === ctx.zone,
  };
  const onProblem = (p: { ref: StoredData['ref']; message: string }) => ctx.log.warn({ object: describeRef(p.ref), problem: p.message }, 'repair: record not understood');
  // Objects are repaired several at a time: one object's checks, reads and writes are a chain
  // of round trips, so one at a time leaves the nodes idle (a zone of small objects refilled at
  // a few MiB/s). The first failure ends the pass once the objects in flight have settled.
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for await (const data of walkStoredData(ctx.meta, onProblem, ctx.signal)) {
    const task = repairObject(ctx, check, data, zones, report).catch((err: unknown) => { failure ??= err; });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= ctx.objectConcurrency) await Promise.race(inFlight);
    if (failure !== undefined) break;
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return report;
}

async function repairObject(
  ctx: RepairPassContext, check: Parameters<typeof observeStoredData>[0], data: StoredData, zones: string[], report: RepairPassReport,
): Promise<void> {
  const observed = await observeStoredData(check, data);
  report.objectsChecked++;
  const leftDegraded = (): number => report.waiting + report.unrepairable + report.lost + report.failed;
  const degradedBefore = leftDegraded();
  const adds: RepairedShardInit[] = [];
  const rewrites: Array<{ node: string; chunkId: string }> = [];
  for (const s of observed) {
    for (const shard of s.shards) {
      if (shard.zone !== ctx.zone) continue;
      report.shardsChecked++;
      report.seenChunks.add(`${shard.node}/${shard.record.chunkId}`);
    }
    await repairStripe(ctx, data, s, zones, report, adds, rewrites);
  }
  if (adds.length > 0) await recordAdds(ctx, data, adds, report);
  if (rewrites.length > 0) await dropIfGone(ctx, data, rewrites);
  // Objects run concurrently, so another object's shards may land in between: an over-count at
  // worst, which only matters to the degraded-objects gauge (alerting on > 0 stays right).
  if (leftDegraded() > degradedBefore) report.degradedObjects++;
}

async function repairStripe(
  ctx: RepairPassContext, data: StoredData, s: StripeObservation, zones: string[], report: RepairPassReport,
  adds: RepairedShardInit[], rewrites: Array<{ node: string; chunkId: string }>,
): Promise<void> {
  const part = data.parts[s.partIndex]!;
  const stripe = part.stripes[s.stripe]!;
  const verdict = assessStripe({ scheme: part.scheme, zones, shards: s.shards });
  const mine = verdict.degraded.filter((d) => d.zone === ctx.zone);
  if (mine.length === 0) return;
  const where = { object: describeRef(data.ref), part: part.number, stripe: s.stripe };
  for (const d of mine) {
    if (d.state === 'node-down' || d.state === 'unreachable') report.waiting++;
    else if (d.state === 'node-unknown') {
      report.lost++;
      ctx.log.warn({ ...where, shard: d.index, node: d.node }, 'repair: shard on a node the placement map no longer lists (re-placement is not built)');
    }
  }
  const repairs = verdict.repairs.filter((r) => r.zone === ctx.zone);
  if (repairs.length === 0) return;
  if (!verdict.rebuildable) {
    report.unrepairable += repairs.length;
    ctx.log.warn({ ...where, shards: repairs.map((r) => r.index), sources: verdict.sources }, 'repair: too few shards readable to rebuild');
    return;
  }
  const sources = s.shards.filter((x) => x.state === 'valid' || x.state === 'unchecked').map((x) => ({
    index: x.index, node: x.node, zone: x.zone, chunkId: x.record.chunkId, crc32c: x.record.crc32c,
  }));
  let bytes: Map<number, Uint8Array>;
  try {
    bytes = await rebuildShards({ reader: ctx.reader, codec: ctx.codec, localZone: ctx.zone, signal: ctx.signal },
      part.scheme, stripe.shardLength, sources, [...new Set(repairs.map((r) => r.index))]);
  } catch (err) {
    ctx.signal.throwIfAborted();
    report.unrepairable += repairs.length;
    ctx.log.warn({ ...where, err: (err as Error).message }, 'repair: stripe could not be rebuilt this pass');
    return;
  }
  const anchor = sources[0]!.chunkId;
  const stripeNodes = s.shards.map((x) => x.node);
  for (const r of repairs) {
    const shardBytes = bytes.get(r.index)!;
    const crc = crc32c(shardBytes);
    try {
      if (r.kind === 'rewrite') await rewrite(ctx, r, s, shardBytes, crc, report, rewrites, where);
      else {
        const added = await storeAdded(ctx, r, part.scheme, stripeNodes, anchor, shardBytes, crc, report, where);
        if (added) {
          report.bytesRebuilt += shardBytes.length;
          stripeNodes.push(added.node);
          adds.push({ partNumber: part.number, stripe: s.stripe, anchorChunkId: anchor, shard: added });
        }
      }
    } catch (err) {
      ctx.signal.throwIfAborted();
      report.failed++;
      ctx.log.warn({ ...where, shard: r.index, err: (err as Error).message }, 'repair: rebuilt shard could not be written');
    }
  }
}

async function rewrite(
  ctx: RepairPassContext, r: Extract<ShardRepair, { kind: 'rewrite' }>, s: StripeObservation, bytes: Uint8Array, crc: number,
  report: RepairPassReport, rewrites: Array<{ node: string; chunkId: string }>, where: object,
): Promise<void> {
  // Every degraded record of this index on this node (normally exactly one).
  for (const x of s.shards.filter((y) => y.index === r.index && y.node === r.node && (y.state === 'missing' || y.state === 'corrupt'))) {
    if (crc !== x.record.crc32c >>> 0) {
      report.failed++;
      ctx.log.error({ ...where, shard: r.index, chunkId: x.record.chunkId }, 'repair: rebuilt bytes do not match the CRC32C the manifest records; not written');
      continue;
    }
    const entry = ctx.nodes.get(r.node)!;
    const res = await ctx.clientOf(entry.address).putChunk(
      { chunkId: x.record.chunkId, length: bytes.length, crc32c: crc, replaceDamaged: true }, framesOf(bytes),
      { timeoutMs: SHARD_WRITE_TIMEOUT_MS },
    );
    if (res.alreadyExisted && !res.replacedDamaged) {
      report.alreadyHealthy++;
      continue;
    }
    report.rewritten++;
    report.bytesRebuilt += bytes.length;
    rewrites.push({ node: r.node, chunkId: x.record.chunkId });
    ctx.log.info({ ...where, shard: r.index, node: r.node, chunkId: x.record.chunkId, was: x.state }, 'repair: shard rewritten');
  }
}

async function storeAdded(
  ctx: RepairPassContext, r: Extract<ShardRepair, { kind: 'add' }>, scheme: StorageScheme, stripeNodes: string[], anchor: string,
  bytes: Uint8Array, crc: number, report: RepairPassReport, where: object,
): Promise<{ index: number; node: string; zone: string; chunkId: string; crc32c: number; size: bigint } | undefined> {
  const zone = ctx.map?.zones.find((z) => z.id === ctx.zone);
  const node = zone ? chooseNodeForAddedShard(zone, stripeNodes, `${anchor}/${r.index}`) : null;
  const entry = node === null ? undefined : ctx.nodes.get(node);
  if (!entry) {
    report.waiting++;
    ctx.log.info({ ...where, shard: r.index, scheme: scheme.kind }, 'repair: no node of this zone is up to take the missing shard');
    return undefined;
  }
  const chunkId = newChunkId();
  await ctx.clientOf(entry.address).putChunk({ chunkId, length: bytes.length, crc32c: crc }, framesOf(bytes), { timeoutMs: SHARD_WRITE_TIMEOUT_MS });
  return { index: r.index, node: entry.id, zone: ctx.zone, chunkId, crc32c: crc, size: BigInt(bytes.length) };
}

/** Records added shards in meta; refused ones are garbage there, so nothing is left unaccounted for. */
async function recordAdds(ctx: RepairPassContext, data: StoredData, adds: RepairedShardInit[], report: RepairPassReport): Promise<void> {
  const object = describeRef(data.ref);
  try {
    const res = await ctx.meta.call('addRepairedShards', { ...data.ref, shards: adds });
    report.added += res.added;
    report.failed += res.refused;
    ctx.log.info({ object, added: res.added, refused: res.refused }, 'repair: missing shards added to the manifest');
  } catch (err) {
    ctx.signal.throwIfAborted();
    report.failed += adds.length;
    // An unknown outcome may have recorded them: never delete chunks a manifest might name.
    ctx.log.warn({ object, err: (err as Error).message, code: isMetaError(err) ? err.code : undefined },
      'repair: added shards could not be recorded (tried again next pass; their chunks may be left unreferenced)');
  }
}

/**
 * A rewrite raced with a delete or overwrite of its version: the garbage collector may already
 * have removed the chunk the rewrite just put back. Check the version still names each
 * rewritten chunk, and delete those it does not (if the collector had not got to them yet, its
 * own delete finds nothing). Not for uploads: an upload that is gone may have been completed,
 * its chunks now the object's.
 */
async function dropIfGone(ctx: RepairPassContext, data: StoredData, rewrites: Array<{ node: string; chunkId: string }>): Promise<void> {
  const { bucket, key, versionId } = data.ref;
  if (versionId === '') return;
  let named: Set<string>;
  try {
    const manifest = (await ctx.meta.call('getObject', { bucket, key, versionId })).version?.manifest;
    named = new Set((manifest?.parts ?? []).flatMap((p) => p.stripes.flatMap((st) => st.shards.map((sh) => `${sh.node}/${sh.chunkId}`))));
  } catch (err) {
    if (!isMetaError(err) || !['NoSuchBucket', 'NoSuchKey', 'NoSuchVersion'].includes(err.code)) return;
    named = new Set();
  }
  const stray = rewrites.filter((c) => !named.has(`${c.node}/${c.chunkId}`));
  for (const c of stray) {
    const entry = ctx.nodes.get(c.node);
    if (entry) await ctx.clientOf(entry.address).deleteChunk(c.chunkId, { timeoutMs: SHARD_WRITE_TIMEOUT_MS }).catch(() => undefined);
  }
  if (stray.length > 0) ctx.log.info({ object: describeRef(data.ref), chunks: stray.length }, 'repair: version replaced or deleted during its repair; rewritten chunks removed');
}
