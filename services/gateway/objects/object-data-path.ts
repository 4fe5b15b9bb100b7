// The gateway's data path: where object bytes go on a PUT and come from on a GET. It wires the
// pure parts (scheme choice, placement, the acknowledgement rule, shard choice, range math) to
// the cluster: a cached placement map from meta and one gRPC channel per data node.
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { PUT_FRAME_BYTES } from '../../data/data-client.ts';
import type { ChunkClient } from '../../data/local-chunk-client.ts';
import { DEFAULT_SCHEME_POLICY, ReedSolomon, type SchemePolicy } from '../../erasure/index.ts';
import type { Manifest } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { discardChunks } from './chunk-discard.ts';
import { SHARD_WRITE_TIMEOUT_MS } from './data-path-limits.ts';
import { DataNodePool } from './data-node-pool.ts';
import { type ByteRange, readObject } from './object-read.ts';
import { chunksOf, type WriteOptions, type WriteResult, writeObject } from './object-write.ts';
import { PlacementCache } from './placement-cache.ts';
import { type NodeEntry, recoveredAddresses } from './placement-snapshot.ts';
import { type SchemeInit, schemeToProto, uploadSchemeFor } from './scheme-codec.ts';
import { createShardReader } from './shard-reader.ts';
import type { ShardStore } from './stripe-writer.ts';

export interface DataPathOptions {
  meta: MetaClient;
  /** The gateway's zone: reads prefer shards stored there. */
  localZone: string;
  /** IP outgoing data node connections bind (the zone's address). */
  localAddress?: string;
  schemePolicy?: SchemePolicy;
  log?: Logger;
  /** Background placement map refresh period (tests shorten it). */
  placementRefreshMs?: number;
  /** Data nodes hosted in this process, by address: reached without gRPC. */
  inProcessNodes?: ReadonlyMap<string, ChunkClient>;
}

/** A shard's bytes as PutChunk frames, checking for abandonment between frames. */
async function* framesOf(bytes: Uint8Array, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += PUT_FRAME_BYTES) {
    signal.throwIfAborted();
    yield bytes.subarray(at, at + PUT_FRAME_BYTES);
  }
}

export class ObjectDataPath {
  private readonly pool: DataNodePool;
  private readonly placement: PlacementCache;
  private readonly codecs = new Map<string, ReedSolomon>();
  private readonly policy: SchemePolicy;
  private readonly log?: Logger;
  private readonly localZone: string;

  constructor(o: DataPathOptions) {
    this.pool = new DataNodePool(o.localAddress, o.inProcessNodes);
    this.policy = o.schemePolicy ?? DEFAULT_SCHEME_POLICY;
    this.log = o.log;
    this.localZone = o.localZone;
    this.placement = new PlacementCache({
      fetchNodes: async () => (await o.meta.call('getPlacementMap', {})).nodes,
      refreshMs: o.placementRefreshMs, log: o.log,
      onNodes: (nodes, previous) => {
        for (const address of recoveredAddresses(nodes, previous)) this.pool.reset(address);
      },
    });
  }

  /** Streams `source` (exactly `o.size` bytes) into shards on data nodes and says where they are. */
  write(source: AsyncIterable<Uint8Array>, o: WriteOptions): Promise<WriteResult> {
    return writeObject({
      store: this.shardStore, policy: this.policy, log: this.log,
      current: () => this.placement.current(),
      codec: (k, m) => this.codec(k, m),
      clientOfNode: (node) => this.clientOfNode(node),
      fresh: () => this.placement.fresh(),
    }, source, o);
  }

  /**
   * The scheme and block size for a new multipart upload (from the cached placement map, so a
   * zone outage makes it replicas); every part is then written with them.
   */
  uploadScheme(o: { storageClass?: string } = {}): { scheme: SchemeInit; blockSize: number } {
    const { scheme, blockSize } = uploadSchemeFor(this.policy, o.storageClass, this.placement.latest()?.map ?? null);
    return { scheme: schemeToProto(scheme), blockSize };
  }

  /**
   * Streams bytes [range.start, range.end] (inclusive; the whole object without a range) of the
   * object `manifest` describes, parts in order. Throws InvalidRange at once for a range outside
   * the object; the stream errors with InternalError if a stripe cannot be rebuilt.
   */
  read(manifest: Manifest, range?: ByteRange): Readable {
    const shards = createShardReader({
      // A node that registered after this gateway last read the map is found by reading it again.
      clientOf: async (node) => this.clientOfNode(node) ?? (await this.placement.fresh(), this.clientOfNode(node)),
      nodeFailed: (node) => this.placement.nodeFailed(node),
    });
    return readObject({
      // A gateway just started may not have its first map yet: node addresses come from it.
      reader: {
        read: async (...args) => {
          await this.placement.ready();
          return shards.read(...args);
        },
      },
      preference: {
        localZone: this.localZone,
        rank: (node) => {
          const entry = this.placement.latest()?.nodes.get(node);
          return entry === undefined ? 2 : entry.healthy ? 0 : 1;
        },
      },
      codec: (k, m) => this.codec(k, m),
    }, manifest, range);
  }

  /** Best-effort delete of the chunks of stripes no manifest will name (a write refused before commit). */
  async discard(stripes: readonly { shards?: readonly { node?: string; chunkId?: string }[] }[]): Promise<void> {
    await this.placement.current().catch(() => undefined);
    const outcome = await discardChunks(chunksOf(stripes), (node) => this.clientOfNode(node));
    this.log?.debug(outcome, 'discarded chunks of an uncommitted write');
  }

  close(): void {
    this.placement.close();
    this.pool.close();
  }

  private readonly shardStore: ShardStore = {
    put: async (node: NodeEntry, chunkId, bytes, crc32c, signal) => {
      await this.pool.client(node.address).putChunk(
        { chunkId, length: bytes.length, crc32c }, framesOf(bytes, signal), { timeoutMs: SHARD_WRITE_TIMEOUT_MS },
      );
    },
    nodeFailed: (node) => {
      this.log?.warn({ node }, 'shard write failed');
      this.placement.nodeFailed(node);
    },
    nodeSucceeded: (node) => this.placement.nodeSucceeded(node),
    discardLater: (chunk) => {
      void discardChunks([chunk], (node) => this.clientOfNode(node));
    },
  };

  private clientOfNode(node: string): ChunkClient | undefined {
    const entry = this.placement.latest()?.nodes.get(node);
    return entry?.address ? this.pool.client(entry.address) : undefined;
  }

  private codec(k: number, m: number): ReedSolomon {
    const key = `${k}+${m}`;
    let c = this.codecs.get(key);
    if (!c) this.codecs.set(key, (c = new ReedSolomon(k, m)));
    return c;
  }
}
