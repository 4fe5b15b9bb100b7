/**
 * A linearizability checker for a set of independent registers (one per key), in the style of
 * Wing & Gong with Lowe's memoisation: search for an order of the operations that respects real
 * time (an op that completed before another was invoked comes first) and register semantics
 * (a get returns the latest put). Keys are independent (P-compositionality), so each key's
 * history is searched on its own.
 */

export interface RegisterOp {
  id: number;
  key: string;
  kind: 'put' | 'get';
  /** put: the value written (unique per run); get: the value read, null if never written. */
  value: string | null;
  /** Position in the single run-wide event order (invoke and complete events are all distinct). */
  invoke: number;
  /** Undefined while pending: a put may then take effect at any later point, or never. */
  complete: number | undefined;
}

export interface LinearizabilityResult {
  ok: boolean;
  /** Present when not ok: the key and its (sorted) history, for the report. */
  key?: string;
  history?: RegisterOp[];
  /** True when the search budget ran out (treated as a failure: shrink the history). */
  exhausted?: boolean;
}

/** Most states explored per key before giving up. */
const SEARCH_BUDGET = 500_000;

export function checkLinearizable(ops: readonly RegisterOp[]): LinearizabilityResult {
  const byKey = new Map<string, RegisterOp[]>();
  for (const op of ops) {
    if (op.kind === 'get' && op.complete === undefined) continue; // a lost read constrains nothing
    let list = byKey.get(op.key);
    if (!list) byKey.set(op.key, (list = []));
    list.push(op);
  }
  for (const key of [...byKey.keys()].sort()) {
    const history = byKey.get(key)!.sort((a, b) => a.invoke - b.invoke);
    const r = checkRegister(history);
    if (r !== true) return { ok: false, key, history, exhausted: r === 'exhausted' };
  }
  return { ok: true };
}

function checkRegister(ops: RegisterOp[]): true | false | 'exhausted' {
  const n = ops.length;
  const completedTotal = ops.filter((o) => o.complete !== undefined).length;
  const done = new Array<boolean>(n).fill(false);
  const seen = new Set<string>();
  let budget = SEARCH_BUDGET;
  let mask = 0n;

  const search = (value: string | null, completedDone: number): boolean | 'exhausted' => {
    if (completedDone === completedTotal) return true;
    const memoKey = `${mask.toString(36)}|${value}`;
    if (seen.has(memoKey)) return false;
    seen.add(memoKey);
    if (--budget < 0) return 'exhausted';

    // Only ops invoked before the earliest pending completion can be linearized next.
    let minComplete = Infinity;
    for (let i = 0; i < n; i++) {
      const c = ops[i].complete;
      if (!done[i] && c !== undefined && c < minComplete) minComplete = c;
    }
    // A get that reads the current value can always go first: it changes no state and
    // removing it only relaxes the real-time constraints on the others.
    for (let i = 0; i < n && ops[i].invoke < minComplete; i++) {
      const op = ops[i];
      if (done[i] || op.kind !== 'get' || op.value !== value) continue;
      return take(i, value, completedDone);
    }
    for (let i = 0; i < n && ops[i].invoke < minComplete; i++) {
      const op = ops[i];
      if (done[i] || op.kind !== 'put') continue;
      const r = take(i, op.value, completedDone);
      if (r !== false) return r;
    }
    return false;
  };

  const take = (i: number, value: string | null, completedDone: number): boolean | 'exhausted' => {
    const bit = 1n << BigInt(i);
    done[i] = true;
    mask |= bit;
    const r = search(value, completedDone + (ops[i].complete !== undefined ? 1 : 0));
    done[i] = false;
    mask &= ~bit;
    return r;
  };

  const r = search(null, 0);
  return r === 'exhausted' ? 'exhausted' : r;
}

/** A short printable form of a register history (for violation reports). */
export function describeHistory(ops: readonly RegisterOp[]): string {
  return ops
    .map((o) => {
      const end = o.complete === undefined ? 'pending' : String(o.complete);
      return `  #${o.id} ${o.kind}(${o.key}) ${o.kind === 'put' ? '→' : '='} ${o.value} [${o.invoke}, ${end}]`;
    })
    .join('\n');
}
