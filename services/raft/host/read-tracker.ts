// Linearizable reads in flight. Reads queued in one event-loop turn share one ReadIndex
// request (one quorum heartbeat round instead of one per read); each request carries a
// context of this process's random epoch plus a sequence number, so an answer meant for an
// earlier incarnation of this node can never release a read.
import { randomBytes } from 'node:crypto';
import type { ReadState } from '../types.ts';
import { RaftHostError } from './raft-host-error.ts';

interface Reader {
  resolve(): void;
  reject(err: Error): void;
}

interface Request {
  readers: Reader[];
  deadline: number;
}

const CONTEXT_BYTES = 16;

export class ReadTracker {
  private readonly epoch = randomBytes(8);
  private seq = 0;
  private queued: Reader[] = [];
  private readonly inFlight = new Map<number, Request>();
  /** Confirmed reads waiting for the state machine to reach their index, in index order. */
  private waitingApply: Array<{ index: number; readers: Reader[] }> = [];

  enqueue(reader: Reader): void {
    this.queued.push(reader);
  }

  get hasQueued(): boolean {
    return this.queued.length > 0;
  }

  /** Turns queued reads into one request; `send` returns false when no leader is known. */
  flush(deadline: number, send: (context: Uint8Array) => boolean): void {
    if (this.queued.length === 0) return;
    const readers = this.queued;
    this.queued = [];
    const seq = ++this.seq;
    const ctx = new Uint8Array(CONTEXT_BYTES);
    ctx.set(this.epoch, 0);
    new DataView(ctx.buffer).setFloat64(8, seq);
    if (!send(ctx)) {
      const err = new RaftHostError('NotLeader', 'no leader known to confirm a read');
      for (const r of readers) r.reject(err);
      return;
    }
    this.inFlight.set(seq, { readers, deadline });
  }

  /** The leader confirmed the read with context `rs.context` at `rs.index`. */
  confirmed(rs: ReadState, applied: number): void {
    const seq = this.seqOf(rs.context);
    if (seq === undefined) return;
    const req = this.inFlight.get(seq);
    if (!req) return;
    this.inFlight.delete(seq);
    if (rs.index <= applied) {
      for (const r of req.readers) r.resolve();
      return;
    }
    this.waitingApply.push({ index: rs.index, readers: req.readers });
    if (this.waitingApply.length > 1) this.waitingApply.sort((a, b) => a.index - b.index);
  }

  applied(index: number): void {
    let n = 0;
    while (n < this.waitingApply.length && this.waitingApply[n]!.index <= index) {
      for (const r of this.waitingApply[n]!.readers) r.resolve();
      n++;
    }
    if (n > 0) this.waitingApply = this.waitingApply.slice(n);
  }

  expire(now: number): void {
    for (const [seq, req] of this.inFlight) {
      if (req.deadline > now) continue;
      this.inFlight.delete(seq);
      const err = new RaftHostError('ReadTimeout', 'read index not confirmed in time');
      for (const r of req.readers) r.reject(err);
    }
  }

  rejectAll(err: Error): void {
    const all = [...this.queued, ...[...this.inFlight.values()].flatMap((r) => r.readers), ...this.waitingApply.flatMap((w) => w.readers)];
    this.queued = [];
    this.inFlight.clear();
    this.waitingApply = [];
    for (const r of all) r.reject(err);
  }

  private seqOf(ctx: Uint8Array): number | undefined {
    if (ctx.length !== CONTEXT_BYTES) return undefined;
    for (let i = 0; i < 8; i++) if (ctx[i] !== this.epoch[i]) return undefined;
    return new DataView(ctx.buffer, ctx.byteOffset, CONTEXT_BYTES).getFloat64(8);
  }
}
