// The metadata service's garbage collector deletes chunks through this: DeleteChunk on the data
// node the placement map names. meta may not import data/, so the zone process, which hosts
// both, supplies it. A chunk already gone (NOT_FOUND) counts as deleted, since a collector may
// repeat work after a leader change; so does an id the node refuses as malformed
// (INVALID_ARGUMENT), which it can never have stored — retrying it would hold the queue item
// forever. Anything else leaves the chunk for a later round.
import * as grpc from '@grpc/grpc-js';
import type { ChunkRef } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { DataNodeState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { isServiceError } from '../../common/grpc/service-client.ts';
import { DataNodeClient } from '../../data/data-client.ts';
import type { ChunkDeleteResult, ChunkDeleter } from '../../meta/gc/chunk-deleter.ts';
import type { DataNodeDirectory } from './data-node-directory.ts';

/** Deadline of one DeleteChunk call (a delete is an index write and an unlink). */
export const DELETE_CALL_TIMEOUT_MS = 5_000;
/** DeleteChunk calls in flight per node: enough to hide round trips, few enough not to flood it. */
export const MAX_DELETES_IN_FLIGHT_PER_NODE = 16;

const NOTHING_TO_DELETE: ReadonlySet<grpc.status> = new Set([grpc.status.NOT_FOUND, grpc.status.INVALID_ARGUMENT]);

export interface DataNodeChunkDeleterOptions {
  directory: DataNodeDirectory;
  /** IP outgoing connections bind (the zone's address). */
  localAddress?: string;
  callTimeoutMs?: number;
}

export class DataNodeChunkDeleter implements ChunkDeleter {
  /** One channel per node, replaced when the node moves to another address. */
  private readonly clients = new Map<string, DataNodeClient>();
  private closed = false;

  constructor(private readonly opts: DataNodeChunkDeleterOptions) {}

  async deleteChunks(chunks: ChunkRef[]): Promise<ChunkDeleteResult> {
    const byNode = new Map<string, ChunkRef[]>();
    for (const c of chunks) byNode.set(c.node, [...(byNode.get(c.node) ?? []), c]);
    const failed: ChunkRef[] = [];
    await Promise.all([...byNode].map(async ([nodeId, refs]) => {
      failed.push(...await this.deleteOnNode(nodeId, refs));
    }));
    return { failed };
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  /** The refs that could not be deleted now. */
  private async deleteOnNode(nodeId: string, refs: ChunkRef[]): Promise<ChunkRef[]> {
    const node = await this.opts.directory.lookup(nodeId).catch(() => undefined);
    // Unknown, or known to be down: waiting out a deadline per chunk would stall the whole
    // round, and the queue keeps the item until the node is back.
    if (!node || node.state === DataNodeState.DOWN || this.closed) return refs;
    const client = this.clientFor(nodeId, node.address);
    const failed: ChunkRef[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < refs.length) {
        const ref = refs[next++]!;
        if (!(await this.deleteOne(client, ref.chunkId))) failed.push(ref);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_DELETES_IN_FLIGHT_PER_NODE, refs.length) }, worker));
    return failed;
  }

  private async deleteOne(client: DataNodeClient, chunkId: string): Promise<boolean> {
    try {
      await client.deleteChunk(chunkId, { timeoutMs: this.opts.callTimeoutMs ?? DELETE_CALL_TIMEOUT_MS });
      return true;
    } catch (err) {
      return isServiceError(err) && NOTHING_TO_DELETE.has(err.code);
    }
  }

  private clientFor(nodeId: string, address: string): DataNodeClient {
    const existing = this.clients.get(nodeId);
    if (existing?.address === address) return existing;
    existing?.close();
    const client = new DataNodeClient(address, { localAddress: this.opts.localAddress });
    this.clients.set(nodeId, client);
    return client;
  }
}
