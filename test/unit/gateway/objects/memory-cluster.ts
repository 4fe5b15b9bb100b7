// An in-memory stand-in for the data nodes: chunks by node, with a ShardStore (writes), a
// ShardReader (reads, checked the way shard-reader.ts checks) and deleteChunk for discards,
// plus knobs to fail, stall or lose things. Lets the data path's logic run without sockets.
import { crc32c } from '@node-rs/crc32';
import type { DataNodeClient } from '../../../../services/data/data-client.ts';
import { uniformPlacementMap, type PlacementMap } from '../../../../services/erasure/index.ts';
import type { NodeEntry } from '../../../../services/gateway/objects/placement-snapshot.ts';
import type { ShardSource } from '../../../../services/gateway/objects/shard-choice.ts';
import type { ShardReader } from '../../../../services/gateway/objects/stripe-fetch.ts';
import type { ShardStore } from '../../../../services/gateway/objects/stripe-writer.ts';
import { DataNodeState } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';

export class MemoryCluster {
  readonly chunks = new Map<string, Map<string, Uint8Array>>();
  /** Nodes whose puts and reads fail at once. */
  readonly dead = new Set<string>();
  /** Nodes whose puts never finish until aborted. */
  readonly stalled = new Set<string>();
  readonly failures: string[] = [];
  readonly discarded: string[] = [];
  puts = 0;
  reads = 0;
  readonly map: PlacementMap;
  readonly nodes: Map<string, NodeEntry>;

  constructor(zones = 3, nodesPerZone = 3) {
    this.map = uniformPlacementMap(zones, nodesPerZone);
    this.nodes = new Map(this.map.zones.flatMap((z) => z.nodes.map((n) => [n.id, {
      id: n.id, zone: z.id, address: `${n.id}:1`, state: DataNodeState.UP, writable: true, healthy: true,
    }] as const)));
    for (const id of this.nodes.keys()) this.chunks.set(id, new Map());
  }

  chunkCount(): number {
    return [...this.chunks.values()].reduce((a, m) => a + m.size, 0);
  }

  readonly store: ShardStore = {
    put: async (node, chunkId, bytes, crc, signal) => {
      this.puts++;
      await Promise.resolve();
      if (this.dead.has(node.id)) throw new Error(`${node.id} is dead`);
      if (this.stalled.has(node.id)) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      }
      signal.throwIfAborted();
      if (crc32c(bytes) !== crc) throw new Error('crc mismatch');
      this.chunks.get(node.id)!.set(chunkId, Uint8Array.from(bytes));
    },
    nodeFailed: (node) => { this.failures.push(node); },
    nodeSucceeded: () => {},
    discardLater: (c) => { this.deleteChunk(c.node, c.chunkId); },
  };

  readonly reader: ShardReader = {
    read: async (s: ShardSource, offset, length, shardLength, signal) => {
      this.reads++;
      await Promise.resolve();
      signal.throwIfAborted();
      if (this.dead.has(s.node)) throw new Error(`${s.node} is dead`);
      const chunk = this.chunks.get(s.node)?.get(s.chunkId);
      if (!chunk) throw new Error(`no chunk ${s.chunkId} on ${s.node}`);
      if (chunk.length !== shardLength || crc32c(chunk) !== s.crc32c) throw new Error('not the recorded shard');
      return chunk.slice(offset, offset + length);
    },
  };

  deleteChunk(node: string, chunkId: string): boolean {
    this.discarded.push(chunkId);
    return this.chunks.get(node)?.delete(chunkId) ?? false;
  }

  /** What discardChunks needs of a DataNodeClient. */
  clientOf(node: string): DataNodeClient {
    return {
      deleteChunk: async (chunkId: string) => {
        if (!this.deleteChunk(node, chunkId)) throw Object.assign(new Error('not found'), { code: 5 });
        return {};
      },
    } as unknown as DataNodeClient;
  }

  /** Flips a stored byte of a chunk while keeping its length (the reader's CRC check must catch it). */
  corrupt(node: string, chunkId: string): void {
    const c = this.chunks.get(node)!.get(chunkId)!;
    c[0] = c[0]! ^ 0xff;
  }
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed | 0) || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const PROPERTY_SEED = Number(process.env.GATEWAY_PROPERTY_SEED ?? 0x0b1ec7);
export function propertyParams(numRuns: number): { seed: number; numRuns: number } {
  return { seed: PROPERTY_SEED, numRuns };
}
