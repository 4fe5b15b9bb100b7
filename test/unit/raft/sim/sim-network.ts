import type { Message, NodeId } from '../../../../services/raft/types.ts';
import type { SeededRandom } from './seeded-random.ts';

/** How unreliable the simulated links are; probabilities are per message. */
export interface NetworkFaults {
  dropRate: number;
  duplicateRate: number;
  /** Delivery delay in ticks is uniform in [minDelay, maxDelay]; spread reorders messages. */
  minDelay: number;
  maxDelay: number;
  /**
   * Chance a message may overtake earlier ones on its link. Otherwise a link is FIFO, like the
   * real transport's one ordered stream per peer (reordering everything would starve pipelined
   * replication, which is a throughput matter, not a safety one).
   */
  reorderRate: number;
}

export const RELIABLE: NetworkFaults = { dropRate: 0, duplicateRate: 0, minDelay: 0, maxDelay: 1, reorderRate: 0 };

interface InFlight {
  msg: Message;
  deliverAt: number;
  seq: number;
  /** Delivery group: the link for in-order messages, a group of its own for a reordered one. */
  lane: string;
}

/** Most messages in flight at once; beyond it the oldest are lost (a bounded, lossy network). */
const MAX_IN_FLIGHT = 2000;

/** Copies a message so the receiver never shares mutable arrays with the sender's log. */
export function cloneMessage(m: Message): Message {
  return { ...m, entries: m.entries.map((e) => ({ ...e })) };
}

/**
 * Links between simulated nodes: delays, drops, duplicates and reorders messages, and cuts
 * directed links (a symmetric partition cuts both directions). A cut applies at delivery too,
 * so messages already in flight across a new partition are lost.
 */
export class SimNetwork {
  faults: NetworkFaults = RELIABLE;
  private queue: InFlight[] = [];
  private readonly cut = new Set<string>();
  /** Latest delivery time scheduled on each link, to keep in-order messages in order. */
  private readonly linkTail = new Map<string, number>();
  private seq = 0;
  sent = 0;
  dropped = 0;
  duplicated = 0;
  delivered = 0;

  constructor(private readonly random: SeededRandom) {}

  private static link(from: NodeId, to: NodeId): string {
    return `${from}>${to}`;
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(SimNetwork.link(from, to));
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(SimNetwork.link(from, to));
  }

  /** Cut both directions between every node of `side` and every node outside it. */
  isolate(side: readonly NodeId[], all: readonly NodeId[]): void {
    for (const a of side) {
      for (const b of all) {
        if (side.includes(b)) continue;
        this.cutLink(a, b);
        this.cutLink(b, a);
      }
    }
  }

  healAll(): void {
    this.cut.clear();
  }

  cutLinks(): string[] {
    return [...this.cut].sort();
  }

  /** Returns whether the message (or a copy) is on its way. */
  send(msg: Message, now: number): boolean {
    this.sent++;
    if (this.isCut(msg.from, msg.to) || this.random.chance(this.faults.dropRate)) {
      this.dropped++;
      return false;
    }
    const copies = this.random.chance(this.faults.duplicateRate) ? 2 : 1;
    if (copies === 2) this.duplicated++;
    const link = SimNetwork.link(msg.from, msg.to);
    for (let i = 0; i < copies; i++) {
      let deliverAt = now + this.random.between(this.faults.minDelay, this.faults.maxDelay);
      const seq = this.seq++;
      let lane = link;
      if (this.random.chance(this.faults.reorderRate)) lane = `#${seq}`;
      else {
        deliverAt = Math.max(deliverAt, this.linkTail.get(link) ?? 0);
        this.linkTail.set(link, deliverAt);
      }
      this.queue.push({ msg: cloneMessage(msg), deliverAt, seq, lane });
    }
    if (this.queue.length > MAX_IN_FLIGHT) {
      this.dropped += this.queue.length - MAX_IN_FLIGHT;
      this.queue.splice(0, this.queue.length - MAX_IN_FLIGHT);
    }
    return true;
  }

  /**
   * Remove and return every message due by `now` whose link is up: in order within a link,
   * links interleaved at random, reordered messages anywhere.
   */
  takeDue(now: number): Message[] {
    const lanes = new Map<string, InFlight[]>();
    const rest: InFlight[] = [];
    for (const f of this.queue) {
      if (f.deliverAt > now) rest.push(f);
      else if (this.isCut(f.msg.from, f.msg.to)) this.dropped++;
      else {
        let lane = lanes.get(f.lane);
        if (!lane) lanes.set(f.lane, (lane = []));
        lane.push(f);
      }
    }
    this.queue = rest;
    const heads = [...lanes.values()].map((l) => l.sort((a, b) => a.deliverAt - b.deliverAt || a.seq - b.seq));
    const out: Message[] = [];
    while (heads.length > 0) {
      const i = this.random.int(heads.length);
      out.push(heads[i].shift()!.msg);
      if (heads[i].length === 0) heads.splice(i, 1);
    }
    this.delivered += out.length;
    return out;
  }

  /** Messages matching `pred` currently in flight (scripted scenarios pick from these). */
  inFlight(pred: (m: Message) => boolean = () => true): Message[] {
    return this.queue.filter((f) => pred(f.msg)).map((f) => f.msg);
  }

  /** Remove in-flight messages matching `pred` and return them (scripted delivery or drop). */
  extract(pred: (m: Message) => boolean): Message[] {
    const out: Message[] = [];
    this.queue = this.queue.filter((f) => {
      if (!pred(f.msg)) return true;
      out.push(f.msg);
      return false;
    });
    return out;
  }

  size(): number {
    return this.queue.length;
  }
}
