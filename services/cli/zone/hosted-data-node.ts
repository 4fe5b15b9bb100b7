// One data node slot of a zone process: the node itself, which can be stopped and started again
// on the same port and directory (the chaos harness's `node-stop` / `node-start`), and the
// in-process chunk client the zone's gateway uses for it. While the node is stopped that client
// fails every call with UNAVAILABLE, exactly as a gRPC client of a dead node would, so the
// gateway's shard reader and writer treat it as an unreachable node rather than a bad chunk.
import { status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { DataNode } from '../../data/data-node.ts';
import type { ScrubFinding } from '../../data/scrubber.ts';
import { ChunkError } from '../../data/chunk-error.ts';
import type { ChunkDownload, PutChunkSpec } from '../../data/data-client.ts';
import { LocalChunkClient, type ChunkClient } from '../../data/local-chunk-client.ts';
import type { ChunkInfo, PutChunkResponse } from '../../common/gen/zonestore/data/v1/data_pb.ts';

export interface HostedDataNodeConfig {
  id: string;
  zone: string;
  dir: string;
  /** host:port; port 0 picks a free port at the first start, which later starts reuse. */
  listen: string;
  /** What the placement map records (other zones dial it); default: the bound address. */
  advertisedAddress?: string;
  capacityBytes?: number;
  log: Logger;
  /** Scrub found a damaged chunk on this node (the zone's repair worker queues it). */
  onScrubFinding?: (finding: ScrubFinding) => void;
}

/** The error a dead node's gRPC client gives: the gateway marks the node failed on it. */
function unavailable(id: string, why: string): Error {
  return Object.assign(new Error(`data node ${id} is unavailable: ${why}`), { code: status.UNAVAILABLE });
}

export class HostedDataNode {
  private node: DataNode | undefined;
  private client: LocalChunkClient | undefined;
  private listen: string;
  private advertised: string | undefined;
  /** Serialises start and stop, so a command never meets a half-started node. */
  private busy: Promise<unknown> = Promise.resolve();
  readonly chunkClient: ChunkClient;

  constructor(private readonly config: HostedDataNodeConfig) {
    this.listen = config.listen;
    this.advertised = config.advertisedAddress;
    this.chunkClient = new HostedChunkClient(this);
  }

  get id(): string {
    return this.config.id;
  }

  get running(): DataNode | undefined {
    return this.node;
  }

  /** The bound host:port (known after the first start). */
  get address(): string {
    return this.listen;
  }

  /** What the placement map records for this node. */
  get advertisedAddress(): string {
    return this.advertised ?? this.listen;
  }

  /** Starts the node (again); a no-op while it runs. */
  start(): Promise<void> {
    return this.serialised(async () => {
      if (this.node) return;
      const node = await DataNode.start({
        id: this.config.id, zone: this.config.zone, dir: this.config.dir, listen: this.listen,
        capacityBytes: this.config.capacityBytes, log: this.config.log, onScrubFinding: this.config.onScrubFinding,
      });
      this.node = node;
      this.client = new LocalChunkClient(node.store, node.config.id);
      // A restart must come back where peers (and the placement map) know it.
      this.listen = node.address;
    });
  }

  /** Stops the node (drains in-flight calls, bounded by the node's own grace); a no-op when stopped. */
  stop(): Promise<void> {
    return this.serialised(async () => {
      const node = this.node;
      this.node = undefined;
      this.client = undefined;
      await node?.stop();
    });
  }

  private serialised(action: () => Promise<void>): Promise<void> {
    const next = this.busy.then(action, action);
    this.busy = next.catch(() => {});
    return next;
  }

  /** The running node's in-process client, or the UNAVAILABLE a dead node gives. */
  local(): LocalChunkClient {
    if (!this.client) throw unavailable(this.config.id, 'stopped');
    return this.client;
  }

  /** A store closed under a call (the node stopped meanwhile) is a dead node too. */
  translate(err: unknown): unknown {
    return err instanceof ChunkError && err.code === 'StoreClosed' ? unavailable(this.config.id, err.message) : err;
  }
}

async function* failingFrames(err: unknown): AsyncGenerator<{ offset: number; data: Uint8Array }> {
  yield* [];
  throw err;
}

class HostedChunkClient implements ChunkClient {
  constructor(private readonly host: HostedDataNode) {}

  async putChunk(spec: PutChunkSpec, source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<PutChunkResponse> {
    try {
      return await this.host.local().putChunk(spec, source);
    } catch (err) {
      throw this.host.translate(err);
    }
  }

  getChunk(chunkId: string, range?: { offset?: number; length?: number }): ChunkDownload {
    let download: ChunkDownload;
    try {
      download = this.host.local().getChunk(chunkId, range);
    } catch (err) {
      const failed = Promise.reject(err);
      failed.catch(() => {});
      return { info: () => failed, frames: () => failingFrames(err), cancel: () => {} };
    }
    const host = this.host;
    const info = download.info().catch((err: unknown) => {
      throw host.translate(err);
    });
    info.catch(() => {});
    return {
      info: () => info,
      async *frames() {
        try {
          yield* download.frames();
        } catch (err) {
          throw host.translate(err);
        }
      },
      cancel: () => download.cancel(),
    };
  }

  async deleteChunk(chunkId: string): Promise<ChunkInfo> {
    try {
      return await this.host.local().deleteChunk(chunkId);
    } catch (err) {
      throw this.host.translate(err);
    }
  }

  async statChunk(chunkId: string, verify?: boolean): Promise<ChunkInfo> {
    try {
      return await this.host.local().statChunk(chunkId, verify);
    } catch (err) {
      throw this.host.translate(err);
    }
  }

  close(): void {}
}
