// The gateway's copy of the placement map: read from meta in the background every
// PLACEMENT_REFRESH_MS and right away after a node fails, so a request never waits on meta
// except for the very first read. A failed refresh keeps the last good map (it is at most a
// few seconds stale, and node failures are still caught by NodeSuspicion).
import type { Logger } from 'pino';
import type { DataNode } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../errors/store-error.ts';
import { PLACEMENT_REFRESH_MS } from './data-path-limits.ts';
import { NodeSuspicion } from './node-suspicion.ts';
import { buildPlacementSnapshot, type PlacementSnapshot } from './placement-snapshot.ts';

export interface PlacementCacheOptions {
  fetchNodes: () => Promise<DataNode[]>;
  refreshMs?: number;
  suspicion?: NodeSuspicion;
  log?: Logger;
  now?: () => number;
  /** Called after each successful read of the map with the previous node list (null the first time). */
  onNodes?: (nodes: readonly DataNode[], previous: readonly DataNode[] | null) => void;
}

export class PlacementCache {
  private nodes: DataNode[] | null = null;
  private version = 0;
  private built: { key: string; snapshot: PlacementSnapshot } | null = null;
  private fetching: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly suspicion: NodeSuspicion;
  private readonly now: () => number;

  constructor(private readonly o: PlacementCacheOptions) {
    this.suspicion = o.suspicion ?? new NodeSuspicion();
    this.now = o.now ?? Date.now;
    this.timer = setInterval(() => this.refreshSoon(), o.refreshMs ?? PLACEMENT_REFRESH_MS);
    this.timer.unref();
    // Read at once, so the first request (and uploadScheme, which cannot wait) finds a map.
    this.refreshSoon();
  }

  /** The latest map with current suspicions applied; waits for meta only before the first map. */
  async current(): Promise<PlacementSnapshot> {
    if (!this.nodes) {
      try {
        await this.refresh();
      } catch (err) {
        throw new StoreError('ServiceUnavailable', `the placement map cannot be read: ${(err as Error).message}`);
      }
    }
    return this.latest()!;
  }

  /** Resolves once a map has been read (at once after the first). */
  async ready(): Promise<void> {
    if (!this.nodes) await this.current();
  }

  /** The last map read (with current suspicions), without waiting; null before the first read. */
  latest(): PlacementSnapshot | null {
    if (!this.nodes) return null;
    const suspects = this.suspicion.suspects(this.now());
    // Readers ask per shard; rebuild only when the map or the suspicions changed.
    const key = `${this.version}|${[...suspects].sort().join(',')}`;
    if (this.built?.key !== key) this.built = { key, snapshot: buildPlacementSnapshot(this.nodes, suspects, this.version) };
    return this.built.snapshot;
  }

  nodeFailed(node: string): void {
    this.suspicion.failed(node, this.now());
    this.refreshSoon();
  }

  /** Reads the map again now and waits for it (a failed read keeps the last good map). */
  async fresh(): Promise<PlacementSnapshot> {
    await this.refresh().catch(() => {});
    return this.current();
  }

  /** Reads the map again now, in the background. */
  refreshSoon(): void {
    void this.refresh().catch(() => {});
  }

  nodeSucceeded(node: string): void {
    this.suspicion.succeeded(node);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Concurrent callers share one read. */
  private refresh(): Promise<void> {
    this.fetching ??= this.o.fetchNodes().then((nodes) => {
      const previous = this.nodes;
      this.nodes = nodes;
      this.version++;
      this.o.onNodes?.(nodes, previous);
    }, (err: unknown) => {
      this.o.log?.warn({ err }, 'placement map refresh failed');
      throw err;
    }).finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }
}
