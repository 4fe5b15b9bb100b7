// Histories that are linearizable by construction, for the checker's properties: clients issue
// ops one after another with random timings, each op takes effect at one random instant inside
// its [invoke, complete] window on a real sequential map, and its result is what the map said
// at that instant. Some ops time out (their effect, if any, may land long after the client gave
// up), a few fail outright (no effect). Everything comes from one seed.
import type { HistoryOp, RegisterCall, RegisterResult } from '../../chaos/linearizability/index.ts';
import { SeededRandom } from '../raft/sim/seeded-random.ts';

export interface RegisterHistoryOptions {
  clients: number;
  keys: number;
  opsPerClient: number;
  /** Chance an op's outcome is lost (a timeout). */
  indeterminate: number;
  /** Chance an op fails certainly (no effect). */
  failed: number;
}

interface Planned {
  id: number;
  client: number;
  key: string;
  f: RegisterCall['f'];
  invoke: number;
  /** When it takes effect on the map; undefined for a lost op that never does. */
  at: number | undefined;
  complete: number | null;
  outcome: 'done' | 'lost' | 'failed';
}

const CALLS: RegisterCall['f'][] = ['put', 'put', 'get', 'get', 'get', 'delete', 'exists', 'put-if-absent', 'put-if-match'];

export function sequentialRegisterHistory(seed: number, o: RegisterHistoryOptions): HistoryOp[] {
  const rnd = new SeededRandom(seed);
  const planned: Planned[] = [];
  for (let client = 0; client < o.clients; client++) {
    let t = rnd.int(20);
    for (let i = 0; i < o.opsPerClient; i++) {
      const invoke = t + rnd.int(5);
      const span = 1 + rnd.int(15);
      const roll = rnd.float();
      const outcome = roll < o.indeterminate ? 'lost' : roll < o.indeterminate + o.failed ? 'failed' : 'done';
      // A lost op's effect may land after the client timed out and moved on, or never.
      const at = outcome === 'failed' ? undefined
        : outcome === 'lost' ? (rnd.chance(0.5) ? invoke + rnd.int(3 * span) : undefined)
          : invoke + rnd.int(span + 1);
      const complete = outcome === 'lost' ? null : invoke + span;
      planned.push({ id: planned.length, client, key: `k${rnd.int(o.keys)}`, f: rnd.pick(CALLS), invoke, at, complete, outcome });
      t = (complete ?? invoke + span) + 1;
    }
  }
  const state = new Map<string, string>();
  const written: string[] = [];
  const ops: HistoryOp[] = [];
  // Effects happen in instant order; equal instants in id order (any fixed order is a valid one).
  const byInstant = [...planned].sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || a.id - b.id);
  for (const p of byInstant) {
    const current = state.get(p.key) ?? null;
    const value = `v${p.id}`;
    let call: RegisterCall;
    switch (p.f) {
      case 'put': case 'put-if-absent': call = { f: p.f, value }; break;
      case 'put-if-match': {
        const expected = current !== null && rnd.chance(0.7) ? current : written.length ? rnd.pick(written) : 'v-none';
        call = { f: 'put-if-match', value, expected };
        break;
      }
      default: call = { f: p.f };
    }
    let result: RegisterResult;
    if (p.outcome === 'failed') result = { type: 'failed', reason: 'AccessDenied' };
    else {
      result = p.at === undefined ? { type: 'ok' } : apply(state, p.key, call, current);
      if (p.at !== undefined && (call.f === 'put' || call.f === 'put-if-absent' || call.f === 'put-if-match')) written.push(value);
      if (p.outcome === 'lost') result = { type: 'indeterminate', reason: 'timeout' };
    }
    ops.push({ id: p.id, client: p.client, key: p.key, call, result, invoke: p.invoke, complete: p.outcome === 'lost' ? null : p.complete });
  }
  return ops.sort((a, b) => a.id - b.id);
}

function apply(state: Map<string, string>, key: string, call: RegisterCall, current: string | null): RegisterResult {
  switch (call.f) {
    case 'put': state.set(key, call.value); return { type: 'ok' };
    case 'delete': state.delete(key); return { type: 'ok' };
    case 'get': return { type: 'read', value: current };
    case 'exists': return { type: 'exists', present: current !== null };
    case 'put-if-absent':
      if (current !== null) return { type: 'precondition-failed' };
      state.set(key, call.value);
      return { type: 'ok' };
    case 'put-if-match':
      if (current === null) return { type: 'no-such-key' };
      if (current !== call.expected) return { type: 'precondition-failed' };
      state.set(key, call.value);
      return { type: 'ok' };
  }
}

/**
 * Turns one get into a stale read that no linearization explains: it returns the value of an
 * acknowledged write w1 that an acknowledged write w2 followed in real time, with w2 acknowledged
 * before the get began. Returns the changed history and the get's id, or undefined if the
 * history has no such triple.
 */
export function injectStaleRead(history: readonly HistoryOp[], seed: number): { history: HistoryOp[]; staleGet: number } | undefined {
  const rnd = new SeededRandom(seed);
  const acked = (op: HistoryOp) => op.complete !== null && op.result.type === 'ok';
  const candidates: { get: HistoryOp; value: string }[] = [];
  for (const g of history) {
    if (g.call.f !== 'get' || g.complete === null || g.result.type !== 'read') continue;
    for (const w2 of history) {
      if (w2.key !== g.key || !acked(w2) || w2.call.f === 'get' || w2.call.f === 'exists' || w2.complete! >= g.invoke) continue;
      for (const w1 of history) {
        if (w1.key !== g.key || !acked(w1) || !('value' in w1.call) || w1.complete! >= w2.invoke) continue;
        candidates.push({ get: g, value: w1.call.value });
      }
    }
  }
  if (candidates.length === 0) return undefined;
  const { get, value } = rnd.pick(candidates);
  return { history: history.map((op) => (op === get ? { ...op, result: { type: 'read', value } } : op)), staleGet: get.id };
}
