// A real three-zone local cluster (one zone process per zone: meta replica + three data nodes)
// for the data path tests, with an ObjectDataPath in this process acting as zone-1's gateway,
// direct clients of every data node (to delete or list chunks behind the data path's back),
// and the helpers the tests share. Everything started is registered for teardown.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { create } from '@bufbuild/protobuf';
import { DataNodeClient } from '../../../services/data/data-client.ts';
import { fanOutDirs } from '../../../services/data/chunk-id.ts';
import { DataNodeState, ManifestSchema, type DataNode, type Manifest } from '../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaClient } from '../../../services/meta/client/meta-client.ts';
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import { plannedDataNodeIds } from '../../../services/cli/zone/zone-layout.ts';
import { ObjectDataPath, type WriteResult } from '../../../services/gateway/objects/index.ts';
import { freePortPlan, waitFor } from '../cluster/cluster-fixture.ts';

/** Short heartbeats so a dead zone is marked DOWN within a few seconds. */
const ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', '250', '--report-timeout-ms', '1500'];
/** Spawn to nine registered, UP data nodes; three zones share two CPUs while tsx compiles. */
export const CLUSTER_READY_MS = 90_000;
/** The local zone of the data path under test. */
export const LOCAL_ZONE = 'zone-1';

export type Cleanup = () => Promise<void> | void;

export class DataPathCluster {
  private readonly nodeClients = new Map<string, DataNodeClient>();

  private constructor(
    readonly zones: LocalZoneCluster,
    readonly meta: MetaClient,
    readonly dataPath: ObjectDataPath,
    readonly root: string,
  ) {}

  /** Starts the cluster and waits for all nine data nodes to be UP; registers teardown in `cleanups`. */
  static async start(cleanups: Cleanup[]): Promise<DataPathCluster> {
    const { root, specs } = await freePortPlan(3, 3);
    const zones = new LocalZoneCluster(specs, { extraArgs: ZONE_ARGS });
    cleanups.push(() => zones.stopAll(), () => rmSync(root, { recursive: true, force: true }));
    await zones.startAll();
    const local = specs.find((s) => s.zone === LOCAL_ZONE)!;
    const meta = new MetaClient({ addresses: zones.metaApiAddresses, localAddress: local.host, retryForMs: 5_000, callTimeoutMs: 2_000 });
    cleanups.push(() => meta.close());
    const expected = plannedDataNodeIds(specs);
    await waitFor('nine UP data nodes in the placement map', async () => {
      const nodes = (await meta.call('getPlacementMap', {})).nodes;
      return expected.every((id) => nodes.some((n) => n.id === id && n.state === DataNodeState.UP));
    }, CLUSTER_READY_MS);
    // Only now: its first map read then sees the whole cluster.
    const dataPath = new ObjectDataPath({ meta, localZone: LOCAL_ZONE, localAddress: local.host, placementRefreshMs: 250 });
    const c = new DataPathCluster(zones, meta, dataPath, root);
    cleanups.push(() => c.close());
    return c;
  }

  async nodes(): Promise<DataNode[]> {
    return (await this.meta.call('getPlacementMap', {})).nodes;
  }

  async nodeClient(nodeId: string): Promise<DataNodeClient> {
    const node = (await this.nodes()).find((n) => n.id === nodeId);
    if (!node) throw new Error(`no node ${nodeId}`);
    let c = this.nodeClients.get(node.address);
    if (!c) this.nodeClients.set(node.address, (c = new DataNodeClient(node.address, { timeoutMs: 5_000 })));
    return c;
  }

  /** Every chunk id on every node of the given zones (all by default). */
  async chunkIds(zones?: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const n of await this.nodes()) {
      if (zones && !zones.includes(n.zone)) continue;
      for await (const c of (await this.nodeClient(n.id)).listChunks()) out.add(`${n.id}/${c.chunkId}`);
    }
    return out;
  }

  async deleteShard(shard: { node?: string; chunkId?: string }): Promise<void> {
    await (await this.nodeClient(shard.node!)).deleteChunk(shard.chunkId!);
  }

  /** Flips one byte of a chunk file on disk: the node's block checksums must catch it. */
  corruptShard(shard: { node?: string; zone?: string; chunkId?: string }): void {
    const spec = this.zones.spec(shard.zone!);
    const n = Number(/-data-(\d+)$/.exec(shard.node!)![1]);
    const file = join(spec.dataDir, `data-${n}`, 'chunks', ...fanOutDirs(shard.chunkId!), shard.chunkId!);
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(file, bytes);
  }

  close(): void {
    this.dataPath.close();
    this.meta.close();
    for (const c of this.nodeClients.values()) c.close();
  }
}

/** The body as an HTTP request would deliver it: 64 KiB pieces. */
export async function* bodyOf(bytes: Uint8Array, piece = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

export function randomObject(size: number): Buffer {
  return randomBytes(size);
}

export function manifestOf(...parts: WriteResult[]): Manifest {
  return create(ManifestSchema, {
    scheme: parts[0]!.scheme, blockSize: BigInt(parts[0]!.blockSize),
    parts: parts.map((p, i) => ({ number: i + 1, size: BigInt(p.size), stripes: p.stripes })),
  });
}

/** The bytes a stream gave before it ended or failed, and its error. */
export async function drain(s: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const p of s) parts.push(p as Buffer);
    return { bytes: Buffer.concat(parts) };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}
