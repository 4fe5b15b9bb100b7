// Short-hand for hand-written register histories in the checker's tests: `put('a', 0, 1)` is a
// put of "a" invoked at 0 and acknowledged at 1; an omitted completion means the outcome is
// unknown (a timeout).
import type { HistoryOp, RegisterCall, RegisterResult } from '../../chaos/linearizability/index.ts';

export class HistoryBuilder {
  readonly ops: HistoryOp[] = [];

  constructor(private readonly key = 'k') {}

  private add(call: RegisterCall, result: RegisterResult, invoke: number, complete: number | undefined, client: number, key: string): HistoryOp {
    const done = complete !== undefined && result.type !== 'indeterminate';
    const op: HistoryOp = {
      id: this.ops.length, client, key, call, invoke,
      result: done ? result : { type: 'indeterminate', reason: 'timeout' },
      complete: done ? complete : null,
    };
    this.ops.push(op);
    return op;
  }

  put(value: string, invoke: number, complete?: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'put', value }, { type: 'ok' }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  del(invoke: number, complete?: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'delete' }, { type: 'ok' }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  get(value: string | null, invoke: number, complete?: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'get' }, { type: 'read', value }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  exists(present: boolean, invoke: number, complete?: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'exists' }, { type: 'exists', present }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  /** `won`: the put created the object; false: PreconditionFailed. */
  putIfAbsent(value: string, won: boolean, invoke: number, complete?: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'put-if-absent', value }, won ? { type: 'ok' } : { type: 'precondition-failed' }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  putIfMatch(
    value: string, expected: string, outcome: 'ok' | 'precondition-failed' | 'no-such-key', invoke: number, complete?: number,
    o: { client?: number; key?: string } = {},
  ): HistoryOp {
    return this.add({ f: 'put-if-match', value, expected }, { type: outcome }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }

  /** A certain failure (e.g. 403): never took effect. */
  failedPut(value: string, invoke: number, complete: number, o: { client?: number; key?: string } = {}): HistoryOp {
    return this.add({ f: 'put', value }, { type: 'failed', reason: 'AccessDenied' }, invoke, complete, o.client ?? 0, o.key ?? this.key);
  }
}
