// Records a run's operations as the checker's history: one clock for every client (ms since the
// recorder was made), the invocation taken before the request is sent and the completion after
// the answer is in, so an op's recorded window always contains its real effect. Details the
// checker does not need (endpoint, HTTP status, when a timed-out client gave up) sit beside it
// for reports and the timeline.
import type { HistoryOp, RegisterCall, RegisterResult } from '../linearizability/index.ts';

export interface OpDetail {
  /** The gateway the request went to. */
  endpoint?: string;
  /** For an indeterminate op: when the client stopped waiting (its completion is +∞ for the checker). */
  gaveUpAt?: number;
  /** The error code or reason, for failures and unknown outcomes. */
  error?: string;
}

export interface PendingOp {
  readonly id: number;
  readonly client: number;
  readonly key: string;
  readonly call: RegisterCall;
  readonly invoke: number;
}

export class HistoryRecorder {
  private readonly t0 = performance.now();
  private readonly done: HistoryOp[] = [];
  private readonly details = new Map<number, OpDetail>();
  private nextId = 0;
  private open = 0;

  /** ms since the recorder was made (the history's clock). */
  now(): number {
    return performance.now() - this.t0;
  }

  begin(client: number, key: string, call: RegisterCall): PendingOp {
    this.open++;
    return { id: this.nextId++, client, key, call, invoke: this.now() };
  }

  /** One request that stands for an op on each of `keys` (a listing): one shared invocation. */
  beginMany(client: number, keys: readonly string[], call: RegisterCall): PendingOp[] {
    const invoke = this.now();
    this.open += keys.length;
    return keys.map((key) => ({ id: this.nextId++, client, key, call, invoke }));
  }

  end(p: PendingOp, result: RegisterResult, detail: OpDetail = {}): HistoryOp {
    const at = this.now();
    this.open--;
    const unknown = result.type === 'indeterminate';
    const op: HistoryOp = { id: p.id, client: p.client, key: p.key, call: p.call, result, invoke: p.invoke, complete: unknown ? null : at };
    this.done.push(op);
    this.details.set(op.id, unknown ? { ...detail, gaveUpAt: at } : detail);
    return op;
  }

  /** Several ops that share one request (a listing's per-key presence): the same window. */
  endMany(ps: readonly PendingOp[], results: readonly RegisterResult[], detail: OpDetail = {}): void {
    const at = this.now();
    ps.forEach((p, i) => {
      this.open--;
      const result = results[i]!;
      const unknown = result.type === 'indeterminate';
      this.done.push({ id: p.id, client: p.client, key: p.key, call: p.call, result, invoke: p.invoke, complete: unknown ? null : at });
      this.details.set(p.id, unknown ? { ...detail, gaveUpAt: at } : detail);
    });
  }

  /** Ops begun and not ended (must be 0 when a run is over: every client waits for its last op). */
  get inFlight(): number {
    return this.open;
  }

  /** The history so far, by id. */
  history(): HistoryOp[] {
    return [...this.done].sort((a, b) => a.id - b.id);
  }

  detail(id: number): OpDetail | undefined {
    return this.details.get(id);
  }
}
