// A client for one data node: chunk payloads streamed in bounded frames with backpressure,
// everything else as plain promises. This is what the gateway, repair and tests use.
import * as grpc from '@grpc/grpc-js';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { crc32c } from '@node-rs/crc32';
import {
  DataService, PutChunkRequestSchema, type ChunkInfo, type NodeInfoResponse, type PutChunkResponse,
  type RunScrubResponse,
} from '../common/gen/zonestore/data/v1/data_pb.ts';
import { boundTarget } from '../common/grpc/local-address-resolver.ts';
import { createClient, type CallOptions, type ServiceClient } from '../common/grpc/service-client.ts';
import { WriteWindow } from './write-window.ts';

/** Payload bytes per PutChunk data frame. */
export const PUT_FRAME_BYTES = 256 * 1024;
/** PutChunk frames handed to grpc-js and not yet sent, per stream. */
export const MAX_PUT_FRAMES_IN_FLIGHT = 4;
/** Matches the server's limit (data-node.ts); frames are far smaller. */
const CLIENT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/**
 * HTTP/2 receive window of the channel. The default 64 KiB makes a node pause for a
 * WINDOW_UPDATE round trip every 64 KiB of a GetChunk stream; 1 MiB keeps it streaming while
 * still bounding what one download can buffer.
 */
const CLIENT_FLOW_CONTROL_WINDOW_BYTES = 1024 * 1024;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** Channel options of every data client (exported so benchmarks can match them). */
export const DATA_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': CLIENT_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': CLIENT_MAX_MESSAGE_BYTES,
  'grpc-node.flow_control_window': CLIENT_FLOW_CONTROL_WINDOW_BYTES,
  // grpc-js replays a retried call from a 256 KiB per-call buffer, which a chunk stream
  // outgrows at once, so channel retries cannot help here; callers retry, or read another
  // shard, themselves.
  'grpc.enable_retries': 0,
};

export interface DataClientOptions {
  /** IP the outgoing socket binds (a zone's address), see local-address-resolver.ts. */
  localAddress?: string;
  /** Deadline for every call that does not pass its own. */
  timeoutMs?: number;
}

export interface PutChunkSpec {
  chunkId: string;
  length: number;
  crc32c: number;
  /** Repair: replace a stored chunk of this id, length and CRC32C whose file is gone or fails its checksums. */
  replaceDamaged?: boolean;
}

/** A chunk read: `info` arrives with the first frame; iterate `frames()` once. */
export interface ChunkDownload {
  info(): Promise<ChunkInfo>;
  frames(): AsyncGenerator<{ offset: number; data: Uint8Array }>;
  cancel(): void;
}

type DataServiceClient = ServiceClient<typeof DataService.method>;

export class DataNodeClient {
  readonly rpc: DataServiceClient;
  private readonly timeoutMs: number;

  constructor(readonly address: string, opts: DataClientOptions = {}) {
    this.rpc = createClient(DataService, boundTarget(address, opts.localAddress), {
      channelOptions: DATA_CHANNEL_OPTIONS,
    });
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /**
   * Streams `source` as chunk `spec.chunkId`. The source's bytes are cut into frames of at
   * most PUT_FRAME_BYTES and written as the channel accepts them; `spec.length` and
   * `spec.crc32c` must describe exactly those bytes (the node rejects the put otherwise).
   */
  async putChunk(
    spec: PutChunkSpec,
    source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    options?: CallOptions,
  ): Promise<PutChunkResponse> {
    let settled = false;
    let call!: grpc.ClientWritableStream<unknown>;
    const result = new Promise<PutChunkResponse>((resolve, reject) => {
      call = this.rpc.putChunk((err, res) => {
        settled = true;
        if (err) reject(err);
        else resolve(res!);
      }, this.withDefaults(options)) as grpc.ClientWritableStream<unknown>;
    });
    // The node may answer early (an error, or "already stored"): stop sending then.
    const ended = result.then(() => undefined, () => undefined);
    const sending = new WriteWindow(MAX_PUT_FRAMES_IN_FLIGHT);
    const send = async (frame: MessageInitShape<typeof PutChunkRequestSchema>): Promise<void> => {
      call.write(create(PutChunkRequestSchema, frame), sending.track());
      await Promise.race([sending.room(), ended]);
    };
    try {
      await send({ frame: { case: 'header', value: {
        chunkId: spec.chunkId, length: BigInt(spec.length), crc32c: spec.crc32c >>> 0, replaceDamaged: spec.replaceDamaged ?? false,
      } } });
      for await (const piece of source) {
        for (let off = 0; off < piece.length && !settled; off += PUT_FRAME_BYTES) {
          await send({ frame: { case: 'data', value: piece.subarray(off, off + PUT_FRAME_BYTES) } });
        }
        if (settled) break;
      }
      call.end();
    } catch (err) {
      call.cancel();
      await ended;
      throw err;
    }
    return result;
  }

  /** Puts an in-memory chunk, computing its CRC32C. */
  putChunkBytes(chunkId: string, data: Uint8Array, options?: CallOptions): Promise<PutChunkResponse> {
    return this.putChunk({ chunkId, length: data.length, crc32c: crc32c(data) }, [data], options);
  }

  /** Streams bytes [offset, offset+length) of a chunk (length 0: to the end). */
  getChunk(chunkId: string, range: { offset?: number; length?: number } = {}, options?: CallOptions): ChunkDownload {
    const stream = this.rpc.getChunk(
      { chunkId, offset: BigInt(range.offset ?? 0), length: BigInt(range.length ?? 0) },
      this.withDefaults(options),
    );
    let resolveInfo!: (info: ChunkInfo) => void;
    let rejectInfo!: (err: unknown) => void;
    const info = new Promise<ChunkInfo>((resolve, reject) => {
      resolveInfo = resolve;
      rejectInfo = reject;
    });
    info.catch(() => undefined);
    async function* frames(): AsyncGenerator<{ offset: number; data: Uint8Array }> {
      try {
        for await (const msg of stream) {
          if (msg.chunk !== undefined) resolveInfo(msg.chunk);
          if (msg.data.length > 0) yield { offset: Number(msg.offset), data: msg.data };
        }
      } catch (err) {
        rejectInfo(err);
        throw err;
      }
    }
    return { info: () => info, frames, cancel: () => stream.cancel() };
  }

  /** Reads a whole range into memory: for small chunks and tests, not for the data path. */
  async readChunk(chunkId: string, range: { offset?: number; length?: number } = {}, options?: CallOptions): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const f of this.getChunk(chunkId, range, options).frames()) parts.push(f.data);
    return Buffer.concat(parts);
  }

  async statChunk(chunkId: string, verify = false, options?: CallOptions): Promise<ChunkInfo> {
    const res = await this.rpc.statChunk({ chunkId, verify }, this.withDefaults(options));
    return res.chunk!;
  }

  async deleteChunk(chunkId: string, options?: CallOptions): Promise<ChunkInfo> {
    const res = await this.rpc.deleteChunk({ chunkId }, this.withDefaults(options));
    return res.chunk!;
  }

  /** Every chunk on the node, page by page. */
  async *listChunks(pageSize = 0, options?: CallOptions): AsyncGenerator<ChunkInfo> {
    let pageToken = '';
    do {
      const res = await this.rpc.listChunks({ pageToken, pageSize }, this.withDefaults(options));
      yield* res.chunks;
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  nodeInfo(options?: CallOptions): Promise<NodeInfoResponse> {
    return this.rpc.nodeInfo({}, this.withDefaults(options));
  }

  runScrub(options?: CallOptions): Promise<RunScrubResponse> {
    return this.rpc.runScrub({}, this.withDefaults(options));
  }

  close(): void {
    this.rpc.close();
  }

  private withDefaults(options?: CallOptions): CallOptions {
    return { timeoutMs: this.timeoutMs, ...options };
  }
}
