// RPO after healing: every acknowledged write that nothing acknowledged later replaced must
// still be there, byte for byte, through every gateway, and every listing must hold exactly the
// keys that exist. Pure: judges the run's history against the final observations. A key's
// allowed final states are the values of the writes no acknowledged write followed in real time
// (those that may have been last), with unknown-outcome writes allowed too (they may have landed).
import { isWrite, type HistoryOp, possibleFinalStates, possibleLastWrites, prepareKeyOps, type RegisterState } from '../linearizability/index.ts';
import type { FinalState } from './final-state.ts';

export type RpoProblem =
  /** The key holds an older state than an acknowledged write left (or nothing). */
  | { kind: 'lost-write'; key: string; endpoint: string; observed: RegisterState; lost: HistoryOp[] }
  /** The key holds a value no write in the history wrote (or only one that certainly failed). */
  | { kind: 'phantom'; key: string; endpoint: string; observed: string }
  /** The bytes read are not exactly any write's. */
  | { kind: 'corrupt'; key: string; endpoint: string; observed: string }
  | { kind: 'unreadable'; key: string; endpoint: string; error: string }
  /** Gateways answer differently for the same key once everything is quiet. */
  | { kind: 'disagreement'; key: string; observed: Record<string, RegisterState> }
  | { kind: 'listing-missing' | 'listing-extra'; key: string; endpoint: string }
  | { kind: 'listing-failed'; endpoint: string; error: string };

export interface RpoKey {
  key: string;
  allowed: RegisterState[];
  /** The agreed final state, when every gateway read the same one. */
  observed?: RegisterState;
}

export interface RpoResult {
  ok: boolean;
  problems: RpoProblem[];
  keys: RpoKey[];
}

/**
 * `history` is the workload's (without the final reads), `keys` the run's whole key set (keys
 * never written must read as absent and be in no listing).
 */
export function checkRpo(history: readonly HistoryOp[], keys: readonly string[], final: FinalState): RpoResult {
  const problems: RpoProblem[] = [];
  const out: RpoKey[] = [];
  const present = new Map<string, boolean>();
  for (const key of keys) {
    const ops = prepareKeyOps(history.filter((op) => op.key === key), { pruneUnobserved: false });
    const allowed = possibleFinalStates(ops);
    const written = new Set(ops.filter((p) => isWrite(p.op.call) && 'value' in p.op.call).map((p) => (p.op.call as { value: string }).value));
    const observed: Record<string, RegisterState> = {};
    for (const r of final.reads.filter((x) => x.key === key)) {
      if (r.result.type !== 'read') {
        problems.push({ kind: 'unreadable', key, endpoint: r.endpoint, error: r.result.type === 'failed' || r.result.type === 'indeterminate' ? r.result.reason ?? r.result.type : r.result.type });
        continue;
      }
      const v = r.result.value;
      observed[r.endpoint] = v;
      if (r.corrupt) problems.push({ kind: 'corrupt', key, endpoint: r.endpoint, observed: v ?? '' });
      else if (allowed.has(v)) continue;
      else if (v !== null && !written.has(v)) problems.push({ kind: 'phantom', key, endpoint: r.endpoint, observed: v });
      else {
        const lost = possibleLastWrites(ops).filter((p) => p.determinate).map((p) => p.op);
        problems.push({ kind: 'lost-write', key, endpoint: r.endpoint, observed: v, lost });
      }
    }
    const states = new Set(Object.values(observed));
    if (states.size > 1) problems.push({ kind: 'disagreement', key, observed });
    const agreed = states.size === 1 ? [...states][0] : undefined;
    if (agreed !== undefined) present.set(key, agreed !== null);
    out.push({ key, allowed: [...allowed], ...(agreed !== undefined ? { observed: agreed } : {}) });
  }
  for (const l of final.listings) {
    if (!l.keys) {
      problems.push({ kind: 'listing-failed', endpoint: l.endpoint, error: l.error ?? 'failed' });
      continue;
    }
    for (const [key, exists] of present) {
      if (exists && !l.keys.has(key)) problems.push({ kind: 'listing-missing', key, endpoint: l.endpoint });
      if (!exists && l.keys.has(key)) problems.push({ kind: 'listing-extra', key, endpoint: l.endpoint });
    }
    for (const key of l.keys) if (!keys.includes(key)) problems.push({ kind: 'listing-extra', key, endpoint: l.endpoint });
  }
  return { ok: problems.length === 0, problems, keys: out };
}

const show = (s: RegisterState) => (s === null ? '∅' : JSON.stringify(s));

export function describeRpo(r: RpoResult): string {
  const lines = [`RPO: ${r.ok ? 'holds' : `${r.problems.length} problem(s)`} over ${r.keys.length} keys`];
  for (const p of r.problems) {
    switch (p.kind) {
      case 'lost-write':
        lines.push(`  LOST WRITE ${p.key} via ${p.endpoint}: read ${show(p.observed)}; acknowledged and possibly last: ${p.lost.map((op) => `#${op.id}`).join(', ') || '(none)'}`);
        break;
      case 'phantom': lines.push(`  PHANTOM ${p.key} via ${p.endpoint}: read ${show(p.observed)}, which no write that may have succeeded wrote`); break;
      case 'corrupt': lines.push(`  CORRUPT ${p.key} via ${p.endpoint}: ${p.observed}`); break;
      case 'unreadable': lines.push(`  UNREADABLE ${p.key} via ${p.endpoint}: ${p.error}`); break;
      case 'disagreement': lines.push(`  DISAGREEMENT ${p.key}: ${Object.entries(p.observed).map(([e, v]) => `${e} → ${show(v)}`).join(', ')}`); break;
      case 'listing-missing': lines.push(`  LISTING of ${p.endpoint} misses ${p.key}`); break;
      case 'listing-extra': lines.push(`  LISTING of ${p.endpoint} has ${p.key}, which does not exist`); break;
      case 'listing-failed': lines.push(`  LISTING of ${p.endpoint} failed: ${p.error}`); break;
    }
  }
  return lines.join('\n');
}
