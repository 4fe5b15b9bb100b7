// Data node id → where it serves and whether it is up, from the placement map. Garbage
// collection names chunks by node id; the address can change when a node restarts on another
// port, so it is looked up, with a short-lived cache (one map read serves a whole GC round).
import type { DataNode } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

/** How long a fetched placement map answers lookups before it is read again. */
export const DIRECTORY_CACHE_MS = 5_000;

export interface DataNodeDirectory {
  /** The node's entry in the placement map, or undefined when it is not registered. */
  lookup(nodeId: string): Promise<DataNode | undefined>;
}

export class PlacementMapDirectory implements DataNodeDirectory {
  private nodes = new Map<string, DataNode>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private fetching: Promise<void> | null = null;

  constructor(
    /** Reads the placement map (a linearizable GetPlacementMap in the zone process). */
    private readonly fetchNodes: () => Promise<DataNode[]>,
    private readonly cacheMs = DIRECTORY_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(nodeId: string): Promise<DataNode | undefined> {
    // An unknown id may have registered since the last read: read again rather than fail it.
    if (this.now() - this.fetchedAt > this.cacheMs || !this.nodes.has(nodeId)) await this.refresh();
    return this.nodes.get(nodeId);
  }

  /** Concurrent lookups share one read. */
  private refresh(): Promise<void> {
    this.fetching ??= this.fetchNodes().then((nodes) => {
      this.nodes = new Map(nodes.map((n) => [n.id, n]));
      this.fetchedAt = this.now();
    }).finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }
}
