// The operations of a history as the linearizability checker sees them: one key of an object
// store treated as a register holding a value or nothing. Values are unique per write (the
// workload makes them so), which is what lets a read name the write it observed; an ETag is
// therefore as good as the value it hashes, so If-Match is recorded with the value it expects.

/** What a client asked for. `exists` is one key's slice of a listing (present or not). */
export type RegisterCall =
  | { readonly f: 'put'; readonly value: string }
  | { readonly f: 'put-if-absent'; readonly value: string }
  | { readonly f: 'put-if-match'; readonly value: string; readonly expected: string }
  | { readonly f: 'delete' }
  | { readonly f: 'get' }
  | { readonly f: 'exists' };

/**
 * What came back. `failed` means the operation certainly had no effect (refused before it could
 * change anything); `indeterminate` (timeouts, 5xx, cut connections) means it may or may not
 * have taken effect, at any moment after its invocation.
 */
export type RegisterResult =
  | { readonly type: 'ok' }
  | { readonly type: 'read'; readonly value: string | null }
  | { readonly type: 'exists'; readonly present: boolean }
  | { readonly type: 'precondition-failed' }
  | { readonly type: 'no-such-key' }
  | { readonly type: 'failed'; readonly reason?: string }
  | { readonly type: 'indeterminate'; readonly reason?: string };

export interface HistoryOp {
  /** Unique within the history; reports name ops by it. */
  readonly id: number;
  /** The client (process) that issued it: one op at a time per client. */
  readonly client: number;
  readonly key: string;
  readonly call: RegisterCall;
  readonly result: RegisterResult;
  /** When the request was sent (ms on one clock for the whole history). */
  readonly invoke: number;
  /** When the answer arrived; null when the outcome is unknown (treated as +∞). */
  readonly complete: number | null;
}

/** Writes change the register; the rest only observe it. */
export function isWrite(call: RegisterCall): boolean {
  return call.f === 'put' || call.f === 'put-if-absent' || call.f === 'put-if-match' || call.f === 'delete';
}

/** The value a write leaves when it takes effect (null for delete), undefined for reads. */
export function writtenValue(call: RegisterCall): string | null | undefined {
  switch (call.f) {
    case 'put': case 'put-if-absent': case 'put-if-match': return call.value;
    case 'delete': return null;
    default: return undefined;
  }
}

function showValue(v: string | null): string {
  return v === null ? '∅' : JSON.stringify(v);
}

export function describeCall(call: RegisterCall): string {
  switch (call.f) {
    case 'put': return `put ${showValue(call.value)}`;
    case 'put-if-absent': return `put-if-absent ${showValue(call.value)}`;
    case 'put-if-match': return `put-if-match(${showValue(call.expected)}) ${showValue(call.value)}`;
    case 'delete': return 'delete';
    case 'get': return 'get';
    case 'exists': return 'exists';
  }
}

export function describeResult(r: RegisterResult): string {
  switch (r.type) {
    case 'ok': return 'ok';
    case 'read': return `→ ${showValue(r.value)}`;
    case 'exists': return r.present ? '→ present' : '→ absent';
    case 'precondition-failed': return '→ PreconditionFailed';
    case 'no-such-key': return '→ NoSuchKey';
    case 'failed': return `→ failed${r.reason ? ` (${r.reason})` : ''}`;
    case 'indeterminate': return `→ ?${r.reason ? ` (${r.reason})` : ''}`;
  }
}

/** One line per op: `#12 c3 k1 put "v7" ok [10.0, 25.3]`. */
export function describeOp(op: HistoryOp): string {
  const end = op.complete === null ? '∞' : op.complete.toFixed(1);
  return `#${op.id} c${op.client} ${op.key} ${describeCall(op.call)} ${describeResult(op.result)} [${op.invoke.toFixed(1)}, ${end}]`;
}
