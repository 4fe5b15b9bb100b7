// A tiny synchronous in-memory network for rule-by-rule tests of RaftNode: every node's
// Ready is "persisted" to an in-memory disk and its messages are delivered unless a link is cut.
import { RaftNode, type RaftConfig } from '../../../../services/raft/node.ts';
import { EntryType, type Entry, type HardState, type Message, type NodeId, type Snapshot } from '../../../../services/raft/types.ts';

export function seededRandom(seed: number) {
  let s = seed >>> 0 || 1;
  return {
    int(n: number): number {
      s ^= s << 13; s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5; s >>>= 0;
      return s % n;
    },
  };
}

export interface Disk {
  hardState: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
  applied: number;
}

export class TestNetwork {
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly disks = new Map<NodeId, Disk>();
  readonly applied = new Map<NodeId, Entry[]>();
  private cut = new Set<string>();
  private queue: Message[] = [];
  private rand;

  constructor(readonly ids: NodeId[], seed = 1, private readonly extra: Partial<RaftConfig> = {}) {
    this.rand = seededRandom(seed);
    for (const id of ids) this.start(id, { voters: ids });
  }

  start(id: NodeId, opts: Partial<RaftConfig> = {}): RaftNode {
    const disk = this.disks.get(id);
    const node = new RaftNode({
      id, voters: this.ids, random: this.rand, ...this.extra, ...opts,
      restore: disk ? { ...disk, entries: [...disk.entries] } : undefined,
    });
    if (!disk) this.disks.set(id, { hardState: { term: 0, vote: '', commit: 0 }, entries: [], applied: 0 });
    if (!this.applied.has(id)) this.applied.set(id, []);
    this.nodes.set(id, node);
    return node;
  }

  /** Lose the process (not the disk); `start` brings it back. */
  crash(id: NodeId): void {
    this.nodes.delete(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) if (other !== id) { this.cut.add(`${id}>${other}`); this.cut.add(`${other}>${id}`); }
  }

  heal(): void {
    this.cut.clear();
  }

  node(id: NodeId): RaftNode {
    return this.nodes.get(id)!;
  }

  leader(): RaftNode | undefined {
    return [...this.nodes.values()].find((n) => n.role === 'leader');
  }

  /** Drain every Ready and deliver every message until quiet. */
  settle(maxRounds = 200): void {
    for (let round = 0; round < maxRounds; round++) {
      let busy = false;
      for (const [id, n] of this.nodes) {
        while (n.hasReady()) {
          busy = true;
          const rd = n.ready();
          const disk = this.disks.get(id)!;
          if (rd.snapshot) {
            disk.snapshot = rd.snapshot;
            disk.entries = disk.entries.filter((e) => e.index > rd.snapshot!.meta.index);
            this.applied.set(id, []);
            disk.applied = rd.snapshot.meta.index;
          }
          if (rd.entries.length > 0) {
            const first = rd.entries[0].index;
            disk.entries = disk.entries.filter((e) => e.index < first).concat(rd.entries);
          }
          if (rd.hardState) disk.hardState = rd.hardState;
          for (const m of rd.messages) if (!this.cut.has(`${m.from}>${m.to}`)) this.queue.push(m);
          for (const e of rd.committed) {
            this.applied.get(id)!.push(e);
            disk.applied = e.index;
          }
          n.advance(rd);
        }
      }
      const msgs = this.queue;
      this.queue = [];
      for (const m of msgs) {
        busy = true;
        this.nodes.get(m.to)?.step(m);
      }
      if (!busy) return;
    }
  }

  tick(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const n of this.nodes.values()) n.tick();
      this.settle();
    }
  }

  /** Tick until some node leads (bounded). */
  elect(maxTicks = 100): RaftNode {
    for (let i = 0; i < maxTicks; i++) {
      const l = this.leader();
      if (l) return l;
      this.tick();
    }
    throw new Error('no leader elected');
  }

  appliedData(id: NodeId): string[] {
    return this.applied.get(id)!.filter((e) => e.type === EntryType.Normal && e.data.length > 0).map((e) => new TextDecoder().decode(e.data));
  }
}

export const enc = (s: string) => new TextEncoder().encode(s);
