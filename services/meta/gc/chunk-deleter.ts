// What garbage collection needs from the data plane. The implementation (gRPC DeleteChunk on
// data nodes) is supplied by whoever hosts the replica; services/meta may not import data/.
import type { ChunkRef } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

export interface ChunkDeleteResult {
  /** Chunks that could not be deleted now (node down ...): the item is retried later. */
  failed: ChunkRef[];
}

export interface ChunkDeleter {
  /**
   * Deletes each chunk from its node. Must be idempotent: a chunk that is already gone counts
   * as deleted (a collector may repeat work after a leader change).
   */
  deleteChunks(chunks: ChunkRef[]): Promise<ChunkDeleteResult>;
}
