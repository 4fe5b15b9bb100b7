// What to do while one stripe's shards are being written: where each shard goes first, where a
// failed shard is retried (another node of the same zone, never another zone: that would break
// the one-zone-loss guarantee), and whether the shards stored so far meet the acknowledgement
// rule. Pure: the stripe writer feeds it outcomes and does the I/O.
import {
  evaluateWriteAck, placeStripe, type PlacementMap, type StorageScheme, type WriteAckDecision, withNodeHealth, zoneIds,
} from '../../erasure/index.ts';
import { SHARD_WRITE_ATTEMPTS } from './data-path-limits.ts';

export interface ShardTarget {
  readonly shard: number;
  readonly zone: string;
  readonly node: string;
  /** Not the shard's home node (the placement's first choice when every node is up). */
  readonly fallback: boolean;
}

export interface StoredShardRef {
  readonly shard: number;
  readonly zone: string;
  readonly node: string;
}

export class StripeWriteProgress {
  /** The first attempt of every shard whose zone has a node to take it. */
  readonly first: readonly ShardTarget[];

  private readonly zones: string[];
  private readonly homes: string[];
  private readonly attempts: number[];
  private readonly running = new Set<number>();
  private readonly failedNodes = new Set<string>();
  private readonly storedShards: StoredShardRef[] = [];

  constructor(
    private readonly map: PlacementMap,
    private readonly scheme: StorageScheme,
    private readonly objectId: string,
    private readonly stripe: number,
    private readonly maxAttempts = SHARD_WRITE_ATTEMPTS,
  ) {
    this.zones = zoneIds(map);
    const placement = placeStripe(map, scheme, objectId, stripe);
    this.homes = placement.shards.map((s) => s.homeNode);
    this.attempts = placement.shards.map(() => 0);
    this.first = placement.shards
      .filter((s) => s.node !== null)
      .map((s) => this.begin({ shard: s.shard, zone: s.zone, node: s.node!, fallback: s.fallback }));
  }

  get stored(): readonly StoredShardRef[] {
    return this.storedShards;
  }

  /** True when no shard write is running. */
  get settled(): boolean {
    return this.running.size === 0;
  }

  succeeded(target: ShardTarget): void {
    this.running.delete(target.shard);
    this.storedShards.push({ shard: target.shard, zone: target.zone, node: target.node });
  }

  /**
   * Records a failed attempt and returns the retry, if the shard has attempts left and its
   * zone another writable node: the placement recomputed with every node that failed in this
   * stripe marked down, so the retry lands where placement's in-zone fallback would put it.
   */
  failed(target: ShardTarget): ShardTarget | null {
    this.running.delete(target.shard);
    this.failedNodes.add(target.node);
    if (this.attempts[target.shard]! >= this.maxAttempts) return null;
    const avoided = withNodeHealth(this.map, 'down', [...this.failedNodes]);
    const next = placeStripe(avoided, this.scheme, this.objectId, this.stripe).shards[target.shard]!;
    if (next.node === null || this.failedNodes.has(next.node)) return null;
    return this.begin({ shard: target.shard, zone: next.zone, node: next.node, fallback: next.node !== this.homes[target.shard] });
  }

  /** The acknowledgement rule over the shards stored so far. */
  decision(): WriteAckDecision {
    return evaluateWriteAck({
      scheme: this.scheme, zones: this.zones, stripeCount: 1,
      stored: this.storedShards.map((s) => ({ stripe: 0, shard: s.shard, zone: s.zone })),
    });
  }

  private begin(target: ShardTarget): ShardTarget {
    this.attempts[target.shard]!++;
    this.running.add(target.shard);
    return target;
  }
}
