// The checker's entry point: a whole history, split by key (a history is linearizable exactly
// when each key's is, since keys are independent registers), each key searched within a bound,
// and every failing key narrowed to a short window for the report.
import { describeOp, type HistoryOp } from './register-op.ts';
import { prepareKeyOps, UNOBSERVED_VALUE, type RegisterState } from './register-model.ts';
import { narrowViolation, type ViolationWindow } from './violation-window.ts';
import { searchLinearization, type SearchVerdict } from './wgl-search.ts';

/** Default placements per key before the verdict is "unknown": seconds of work, not minutes. */
export const DEFAULT_MAX_STEPS_PER_KEY = 2_000_000;

export interface CheckOptions {
  maxStepsPerKey?: number;
  /** Narrow each violation to a window (costs a few more searches); on by default. */
  narrow?: boolean;
}

export interface KeyVerdict {
  key: string;
  verdict: SearchVerdict;
  /** Ops the search considered (after dropping certain failures and unanswered reads). */
  ops: number;
  steps: number;
  /** The most ops a partial linearization placed: how far the search got. */
  deepest: number;
  window?: ViolationWindow;
}

export interface CheckResult {
  /** 'violation' if any key fails; else 'unknown' if any key hit the search limit. */
  verdict: SearchVerdict;
  keys: KeyVerdict[];
}

export function checkHistory(history: readonly HistoryOp[], opts: CheckOptions = {}): CheckResult {
  const maxSteps = opts.maxStepsPerKey ?? DEFAULT_MAX_STEPS_PER_KEY;
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    let list = byKey.get(op.key);
    if (!list) byKey.set(op.key, (list = []));
    list.push(op);
  }
  const keys: KeyVerdict[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const ops = prepareKeyOps(byKey.get(key)!);
    const r = searchLinearization(ops, null, maxSteps);
    const verdict: KeyVerdict = { key, verdict: r.verdict, ops: ops.length, steps: r.steps, deepest: r.deepest };
    if (r.verdict === 'violation' && opts.narrow !== false) verdict.window = narrowViolation(ops, maxSteps);
    keys.push(verdict);
  }
  const verdict: SearchVerdict = keys.some((k) => k.verdict === 'violation') ? 'violation'
    : keys.some((k) => k.verdict === 'unknown') ? 'unknown' : 'linearizable';
  return { verdict, keys };
}

function showState(s: RegisterState): string {
  if (s === null) return '∅';
  return s === UNOBSERVED_VALUE ? '(an earlier value)' : JSON.stringify(s);
}

/** The text verdict: one line per key that is not linearizable, each window op on its own line. */
export function describeCheck(result: CheckResult): string {
  const lines: string[] = [];
  const ok = result.keys.filter((k) => k.verdict === 'linearizable').length;
  lines.push(`linearizability: ${result.verdict} (${ok}/${result.keys.length} keys linearizable)`);
  for (const k of result.keys) {
    if (k.verdict === 'unknown') {
      lines.push(`  ${k.key}: unknown (search limit: ${k.steps} placements over ${k.ops} ops, deepest ${k.deepest})`);
    } else if (k.verdict === 'violation') {
      lines.push(`  ${k.key}: VIOLATION over ${k.ops} ops`);
      const w = k.window;
      if (w) {
        lines.push(`    culprit: ${describeOp(w.culprit)}`);
        lines.push(`    window [${w.from.toFixed(1)}, ${w.to.toFixed(1)}], starting from ${w.initialStates.map(showState).join(' or ')}:`);
        for (const op of w.ops) lines.push(`      ${op === w.culprit ? '→' : ' '} ${describeOp(op)}`);
      }
    }
  }
  return lines.join('\n');
}
