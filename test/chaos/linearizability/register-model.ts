// The sequential specification of one key, and the preparation of a key's history for the
// search: what each operation requires of the register and what it leaves behind.
import { isWrite, writtenValue, type HistoryOp, type RegisterCall, type RegisterResult } from './register-op.ts';

/** The register: a value, or null when the key holds no object. */
export type RegisterState = string | null;

/**
 * Stands for every written value that no read returns and no If-Match expects: such values
 * behave alike in every op (only "absent or not" can tell them apart), so the search treats
 * them as one, and states that differ only in which of them is current meet in the memo.
 */
export const UNOBSERVED_VALUE = '\u0000unobserved';

/** An op ready for the search: its completion is +∞ when the outcome is unknown. */
export interface PreparedOp {
  readonly op: HistoryOp;
  /** The op's call, with a value no op ever observes replaced by UNOBSERVED_VALUE. */
  readonly call: RegisterCall;
  readonly invoke: number;
  readonly complete: number;
  readonly determinate: boolean;
}

/**
 * The state after `op` takes effect from `state`, or undefined if the op's recorded result is
 * impossible in `state`. An indeterminate write has no result to honour: it does what it would
 * do, and a conditional one whose condition fails changes nothing (so it could as well have
 * never run).
 */
export function stepRegister(state: RegisterState, p: PreparedOp): RegisterState | undefined {
  const { call } = p;
  const { result } = p.op;
  if (!p.determinate) return effectOf(state, call);
  switch (call.f) {
    case 'put':
    case 'delete':
      return result.type === 'ok' ? effectOf(state, call) : undefined;
    case 'get':
      return result.type === 'read' && result.value === state ? state : undefined;
    case 'exists':
      return result.type === 'exists' && result.present === (state !== null) ? state : undefined;
    case 'put-if-absent':
      if (result.type === 'ok') return state === null ? call.value : undefined;
      if (result.type === 'precondition-failed') return state !== null ? state : undefined;
      return undefined;
    case 'put-if-match':
      if (result.type === 'ok') return state === call.expected ? call.value : undefined;
      if (result.type === 'precondition-failed') return state !== null && state !== call.expected ? state : undefined;
      if (result.type === 'no-such-key') return state === null ? state : undefined;
      return undefined;
  }
}

function effectOf(state: RegisterState, call: RegisterCall): RegisterState {
  switch (call.f) {
    case 'put': return call.value;
    case 'delete': return null;
    case 'put-if-absent': return state === null ? call.value : state;
    case 'put-if-match': return state === call.expected ? call.value : state;
    default: return state;
  }
}

const RESULTS_BY_CALL: Record<RegisterCall['f'], readonly RegisterResult['type'][]> = {
  'put': ['ok'],
  'delete': ['ok'],
  'get': ['read'],
  'exists': ['exists'],
  'put-if-absent': ['ok', 'precondition-failed'],
  'put-if-match': ['ok', 'precondition-failed', 'no-such-key'],
};

/** Throws on an op no client could have recorded (a bug in the recorder, not in the store). */
export function validateOp(op: HistoryOp): void {
  const t = op.result.type;
  if (t === 'failed' || t === 'indeterminate') return;
  if (!RESULTS_BY_CALL[op.call.f].includes(t)) throw new Error(`op #${op.id}: ${op.call.f} cannot end in ${t}`);
  if (op.complete === null) throw new Error(`op #${op.id}: result ${t} without a completion time`);
  if (op.complete < op.invoke) throw new Error(`op #${op.id}: completes (${op.complete}) before it is invoked (${op.invoke})`);
}

/**
 * One key's ops as the search takes them. Certain failures are dropped (they never happened),
 * and so are reads with unknown answers (they constrain nothing). An indeterminate write whose
 * value no read ever saw is dropped too when nothing on the key could be explained by it (a
 * `present` listing or a refused condition): leaving it out then only removes orders that the
 * reads would reject anyway, and every such write kept doubles the search. (Not when asking
 * what the key may hold at the end: such a write may be it.)
 */
export function prepareKeyOps(ops: readonly HistoryOp[], opts: { pruneUnobserved?: boolean } = {}): PreparedOp[] {
  const prune = opts.pruneUnobserved ?? true;
  const live = ops.filter((op) => {
    validateOp(op);
    const t = op.result.type;
    if (t === 'failed') return false;
    return t !== 'indeterminate' || isWrite(op.call);
  });
  const observed = new Set<string>();
  let presenceMatters = false;
  for (const { call, result } of live) {
    if (result.type === 'read' && result.value !== null) observed.add(result.value);
    if (call.f === 'put-if-match') observed.add(call.expected);
    if ((result.type === 'exists' && result.present) || result.type === 'precondition-failed') presenceMatters = true;
  }
  const prepared: PreparedOp[] = [];
  for (const op of live) {
    const determinate = op.result.type !== 'indeterminate';
    if (prune && !determinate && !presenceMatters && op.call.f !== 'delete' && !observed.has((op.call as { value: string }).value)) continue;
    prepared.push({ op, call: canonicalCall(op.call, observed), invoke: op.invoke, complete: determinate ? op.complete! : Infinity, determinate });
  }
  return prepared;
}

function canonicalCall(call: RegisterCall, observed: ReadonlySet<string>): RegisterCall {
  if (call.f !== 'put' && call.f !== 'put-if-absent' && call.f !== 'put-if-match') return call;
  return observed.has(call.value) ? call : { ...call, value: UNOBSERVED_VALUE };
}

/**
 * The writes that may have been the last to take effect once all of `ops` are over, ignoring
 * what reads saw (so a superset): every write unless an acknowledged write began after it ended.
 */
export function possibleLastWrites(ops: readonly PreparedOp[]): PreparedOp[] {
  const writes = ops.filter((p) => isWrite(p.op.call) && (!p.determinate || p.op.result.type === 'ok'));
  let lastAckedInvoke = -Infinity;
  for (const p of writes) if (p.determinate) lastAckedInvoke = Math.max(lastAckedInvoke, p.invoke);
  return writes.filter((p) => p.complete >= lastAckedInvoke);
}

/**
 * The states the register may hold once all of `ops` are over (a superset, as above): the last
 * writes' values, and null also when no write was acknowledged at all. Used for a window's
 * starting states and for RPO.
 */
export function possibleFinalStates(ops: readonly PreparedOp[]): Set<RegisterState> {
  const out = new Set<RegisterState>();
  if (!ops.some((p) => p.determinate && isWrite(p.op.call) && p.op.result.type === 'ok')) out.add(null);
  for (const p of possibleLastWrites(ops)) out.add(writtenValue(p.op.call) as RegisterState); // the real value, not the stand-in
  return out;
}
