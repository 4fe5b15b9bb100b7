// The chunk operations a gateway needs, served straight from a ChunkStore hosted in the same
// process (a zone process runs its gateway beside its data nodes). It skips gRPC framing and
// protobuf for the third of the shards that live in the gateway's own zone; the store does the
// same checks either way (length and CRC32C up front, per-block checksums on read).
import type { CallOptions } from '../common/grpc/service-client.ts';
import type { ChunkDownload, PutChunkSpec } from './data-client.ts';
import type { ChunkStore } from './chunk-store.ts';
import { chunkInfo } from './data-service.ts';
import type { ChunkInfo, PutChunkResponse } from '../common/gen/zonestore/data/v1/data_pb.ts';
import { create } from '@bufbuild/protobuf';
import { PutChunkResponseSchema } from '../common/gen/zonestore/data/v1/data_pb.ts';
import { ChunkError } from './chunk-error.ts';
import { recordChunkRead, recordChunkWrite } from '../common/metrics/index.ts';

/** What the gateway's data path calls on a data node, remote (DataNodeClient) or local. */
export interface ChunkClient {
  putChunk(spec: PutChunkSpec, source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: CallOptions): Promise<PutChunkResponse>;
  getChunk(chunkId: string, range?: { offset?: number; length?: number }, options?: CallOptions): ChunkDownload;
  deleteChunk(chunkId: string, options?: CallOptions): Promise<ChunkInfo>;
  /**
   * The stored chunk's info; with `verify`, after reading it all on the node and checking every
   * checksum. Optional: wrappers may leave it out, and callers then read the chunk instead.
   */
  statChunk?(chunkId: string, verify?: boolean, options?: CallOptions): Promise<ChunkInfo>;
  close(): void;
}

export class LocalChunkClient implements ChunkClient {
  /** `nodeId`: the node's id in chunk latency metrics (none: not measured). */
  constructor(private readonly store: ChunkStore, private readonly nodeId?: string) {}

  async putChunk(spec: PutChunkSpec, source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<PutChunkResponse> {
    if (this.nodeId === undefined) return this.put(spec, source);
    const t0 = performance.now();
    let ok = false;
    try {
      const res = await this.put(spec, source);
      ok = true;
      return res;
    } finally {
      recordChunkWrite(this.nodeId, (performance.now() - t0) / 1000, ok);
    }
  }

  private async put(spec: PutChunkSpec, source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<PutChunkResponse> {
    const begun = await this.store.beginPut(
      { chunkId: spec.chunkId, length: spec.length, crc32c: spec.crc32c >>> 0 }, { replaceDamaged: spec.replaceDamaged });
    if (begun.kind === 'existing') return create(PutChunkResponseSchema, { chunk: chunkInfo(begun.entry), alreadyExisted: true });
    const put = begun.put;
    try {
      for await (const piece of source) await put.write(piece);
      return create(PutChunkResponseSchema, { chunk: chunkInfo(await put.commit()), alreadyExisted: false, replacedDamaged: begun.replacing });
    } catch (err) {
      await put.abort();
      throw err;
    }
  }

  getChunk(chunkId: string, range: { offset?: number; length?: number } = {}): ChunkDownload {
    const opening = this.store.openRead(chunkId, range.offset ?? 0, range.length ?? 0);
    // Settled as soon as the chunk is open, like the remote client's info() once the first frame
    // is in: readers race it against "not known yet" after a frame.
    const info = opening.then(({ reader }) => chunkInfo(reader.entry));
    info.catch(() => {}); // observed through info() or frames()
    let cancelled = false;
    const nodeId = this.nodeId;
    return {
      info: () => info,
      async *frames() {
        const t0 = performance.now();
        let ok = false;
        try {
          const { reader, offset, length } = await opening;
          try {
            for await (const frame of reader.frames(offset, length)) {
              if (cancelled) throw new ChunkError('Cancelled', `GetChunk ${chunkId}: cancelled`, chunkId);
              yield frame;
            }
            ok = true;
          } finally {
            await reader.close();
          }
        } finally {
          if (nodeId !== undefined) recordChunkRead(nodeId, (performance.now() - t0) / 1000, ok);
        }
      },
      cancel: () => {
        cancelled = true;
        // A download never iterated still holds an open file.
        void opening.then(({ reader }) => reader.close(), () => {});
      },
    };
  }

  async deleteChunk(chunkId: string): Promise<ChunkInfo> {
    return chunkInfo(await this.store.delete(chunkId));
  }

  async statChunk(chunkId: string, verify = false): Promise<ChunkInfo> {
    return chunkInfo(verify ? await this.store.verify(chunkId) : await this.store.stat(chunkId));
  }

  close(): void {}
}
