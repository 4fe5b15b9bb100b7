import { Role, type Entry, type NodeId } from '../../../../services/raft/types.ts';
import { encodePut } from './kv-state-machine.ts';
import type { RegisterOp } from './linearizability.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { SimHost } from './sim-host.ts';

/** Shape of the client load; every limit keeps the history small enough to check quickly. */
export interface WorkloadLimits {
  clients: number;
  keys: number;
  /** Most operations recorded in one run. */
  maxOps: number;
  /** Chance per tick that an idle client starts an operation. */
  rate: number;
  /** Chance per tick of a batch of unchecked writes to the leader (log volume for compaction, repair). */
  backgroundRate: number;
  /** Chance an operation is a put (else a get). */
  putRatio: number;
  /** Ticks a client waits before abandoning an operation (its outcome stays unknown). */
  timeoutTicks: number;
  /**
   * Planted host bug: serve gets straight from the local state machine, skipping ReadIndex.
   * Exists to prove the linearizability checker catches stale reads.
   */
  localReads?: boolean;
}

interface ClientSlot {
  op: RegisterOp | null;
  since: number;
}

interface PendingAt {
  op: RegisterOp;
  host: NodeId;
  incarnation: number;
}

/** Most uncommitted entries on a leader before background writes pause. */
const MAX_BACKGROUND_BACKLOG = 16;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Clients of a KV register built on the Raft library: puts go through `propose` on the node a
 * client believes leads; gets go through `readIndex` on any node and are served from that
 * node's state machine once it has applied the read index. Every invoke and completion is
 * recorded for the linearizability checker. A put completes when its proposer applies its
 * (index, term); it fails for certain when another entry is applied there; if the proposer
 * dies first its outcome stays unknown (pending).
 */
export class ClientWorkload {
  readonly ops: RegisterOp[] = [];
  private seq = 0;
  private nextId = 0;
  private bulk = 0;
  private readonly clients: ClientSlot[];
  /** Puts waiting for their index to be applied, by "host#index". */
  private readonly puts = new Map<string, PendingAt & { term: number }>();
  private readonly reads = new Map<string, PendingAt>();
  completed = 0;
  private stopped = false;
  failed = 0;
  abandoned = 0;

  constructor(
    private readonly limits: WorkloadLimits,
    private readonly random: SeededRandom,
  ) {
    this.clients = Array.from({ length: limits.clients }, () => ({ op: null, since: 0 }));
  }

  /** Start operations for idle clients and abandon ones that waited too long. */
  step(hosts: readonly SimHost[], tick: number): void {
    for (const c of this.clients) {
      if (c.op && tick - c.since > this.limits.timeoutTicks) {
        c.op = null;
        this.abandoned++;
      }
      if (c.op || this.stopped || this.nextId >= this.limits.maxOps || !this.random.chance(this.limits.rate)) continue;
      const live = hosts.filter((h) => h.alive);
      if (live.length === 0) return;
      const key = String.fromCharCode(97 + this.random.int(this.limits.keys));
      c.op = this.random.chance(this.limits.putRatio) ? this.put(live, key) : this.get(live, key);
      c.since = tick;
    }
  }

  /** Fire-and-forget writes outside the checked history: they make logs long and divergent. */
  background(hosts: readonly SimHost[]): void {
    if (this.stopped || !this.random.chance(this.limits.backgroundRate)) return;
    const leaders = hosts.filter((h) => h.node?.role === Role.Leader);
    if (leaders.length === 0) return;
    const leader = this.random.pick(leaders);
    // Flow control, as a real client has: never pile up more than a few dozen uncommitted entries.
    const st = leader.node!.status();
    if (st.lastIndex - st.commit > MAX_BACKGROUND_BACKLOG) return;
    const n = 1 + this.random.int(3);
    const batch = Array.from({ length: n }, () => encodePut({ op: 'put', key: 'bulk', value: `bulk${this.bulk++}` }));
    leader.node!.propose(batch);
  }

  private put(live: SimHost[], key: string): RegisterOp | null {
    // Like a real client: ask any node, follow its leader hint once.
    let target = this.random.pick(live);
    const hint = target.node!.leader;
    if (target.node!.role !== Role.Leader && hint) {
      const h = live.find((x) => x.id === hint);
      if (h) target = h;
    }
    const op: RegisterOp = { id: this.nextId++, key, kind: 'put', value: '', invoke: 0, complete: undefined };
    op.value = `${key}${op.id}`;
    const invoke = this.seq++;
    const at = target.node!.propose([encodePut({ op: 'put', key, value: op.value })]);
    if (!at) return null; // refused outright: never invoked as far as the history goes
    op.invoke = invoke;
    this.ops.push(op);
    this.puts.set(`${target.id}#${at.index}`, { op, host: target.id, incarnation: target.incarnation, term: at.term });
    return op;
  }

  private get(live: SimHost[], key: string): RegisterOp | null {
    const target = this.random.pick(live);
    const op: RegisterOp = { id: this.nextId++, key, kind: 'get', value: null, invoke: this.seq++, complete: undefined };
    if (this.limits.localReads) {
      this.ops.push(op);
      op.value = target.kv.get(key);
      op.complete = this.seq++;
      this.completed++;
      return null; // answered on the spot: the client is free again
    }
    const ctx = `get${op.id}`;
    if (!target.node!.readIndex(encoder.encode(ctx))) return null;
    this.ops.push(op);
    this.reads.set(ctx, { op, host: target.id, incarnation: target.incarnation });
    return op;
  }

  /** A host applied `e`: resolve the put it proposed at that index, if any. */
  applied(host: SimHost, e: Entry): void {
    const k = `${host.id}#${e.index}`;
    const p = this.puts.get(k);
    if (!p) return;
    this.puts.delete(k);
    if (p.incarnation !== host.incarnation) return;
    if (e.term === p.term) this.finish(p.op, p.op.value);
    else this.fail(p.op);
  }

  /** A host may now answer the read it asked for with `context`. */
  readServable(host: SimHost, context: Uint8Array): void {
    const ctx = decoder.decode(context);
    const p = this.reads.get(ctx);
    if (!p || p.host !== host.id || p.incarnation !== host.incarnation) return;
    this.reads.delete(ctx);
    this.finish(p.op, host.kv.get(p.op.key));
  }

  /**
   * A host died: its clients see the connection drop and move on; what it was doing for them
   * has an unknown outcome (a put stays pending in the history, a read is simply lost).
   */
  crashed(host: SimHost): void {
    const lost = new Set<RegisterOp>();
    for (const [k, p] of this.puts) if (p.host === host.id) (this.puts.delete(k), lost.add(p.op));
    for (const [k, p] of this.reads) if (p.host === host.id) (this.reads.delete(k), lost.add(p.op));
    for (const c of this.clients) if (c.op && lost.has(c.op)) c.op = null;
  }

  private slotOf(op: RegisterOp): ClientSlot | undefined {
    return this.clients.find((c) => c.op === op);
  }

  private finish(op: RegisterOp, value: string | null): void {
    const slot = this.slotOf(op);
    if (!slot) return; // abandoned: the client never saw the answer
    op.value = value;
    op.complete = this.seq++;
    slot.op = null;
    this.completed++;
  }

  /** Certainly not applied: drop it from the history (a read of its value is then a violation). */
  private fail(op: RegisterOp): void {
    const slot = this.slotOf(op);
    if (slot) slot.op = null;
    const i = this.ops.indexOf(op);
    if (i >= 0) this.ops.splice(i, 1);
    this.failed++;
  }

  /** No new operations from here on (the drain before the final check). */
  stop(): void {
    this.stopped = true;
  }

  busy(): boolean {
    return this.clients.some((c) => c.op !== null);
  }
}
