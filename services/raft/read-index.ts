import type { NodeId } from './types.ts';

/** One linearizable read waiting for a quorum to confirm the leader is still the leader. */
export interface PendingRead {
  /** The leader's commit index when the read arrived: the read is served at it. */
  index: number;
  /** Who asked: the leader itself or a follower that forwarded the read. */
  from: NodeId;
  context: Uint8Array;
  round: number;
  acks: Set<NodeId>;
}

/**
 * The leader's ReadIndex queue (§6.4 of the Raft dissertation). Each read gets a round number
 * carried in heartbeat contexts; a quorum echoing round r confirms every read up to r, because
 * those heartbeats were sent after all of them arrived.
 */
export class ReadIndexQueue {
  private queue: PendingRead[] = [];
  private nextRound = 1;

  add(index: number, from: NodeId, context: Uint8Array, self: NodeId): PendingRead {
    const read: PendingRead = { index, from, context, round: this.nextRound++, acks: new Set([self]) };
    this.queue.push(read);
    return read;
  }

  /** Record that `from` answered the heartbeat of `round`; returns that read's acks. */
  ack(round: number, from: NodeId): Set<NodeId> | undefined {
    const read = this.queue.find((r) => r.round === round);
    if (!read) return undefined;
    read.acks.add(from);
    return read.acks;
  }

  /** Remove and return every read up to and including `round`. */
  release(round: number): PendingRead[] {
    let n = 0;
    while (n < this.queue.length && this.queue[n].round <= round) n++;
    return this.queue.splice(0, n);
  }

  lastRound(): number | undefined {
    return this.queue.length > 0 ? this.queue[this.queue.length - 1].round : undefined;
  }

  size(): number {
    return this.queue.length;
  }

  reset(): void {
    this.queue = [];
  }
}

export function encodeRound(round: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, round);
  return b;
}

export function decodeRound(ctx: Uint8Array | undefined): number | undefined {
  if (!ctx || ctx.length !== 8) return undefined;
  const v = new DataView(ctx.buffer, ctx.byteOffset, 8).getFloat64(0);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
