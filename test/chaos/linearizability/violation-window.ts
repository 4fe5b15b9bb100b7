// Narrowing a non-linearizable key history to a short window a person can read. Two cuts, each
// of which keeps the window a proof on its own:
// - the end: the earliest completion T such that the history cut at T (ops done by T kept,
//   ops still running at T turned into unknown outcomes, later ops dropped) already fails. Any
//   linearization of the whole history would give one of every such cut, so failure is
//   monotone in T and a binary search finds it; the op completing at T is the culprit.
// - the start: the latest quiet moment t before the culprit (every op begun by t had ended by
//   t, so everything before t precedes everything after it in real time) from which the rest
//   fails whatever the register held at t, among the states the earlier writes could have left.
import { isWrite, type HistoryOp } from './register-op.ts';
import { possibleFinalStates, possibleLastWrites, UNOBSERVED_VALUE, type PreparedOp, type RegisterState } from './register-model.ts';
import { searchLinearization } from './wgl-search.ts';

export interface ViolationWindow {
  /** The op whose completion made the history impossible to explain. */
  culprit: HistoryOp;
  /**
   * Every op of the window by invocation (ops still running at the culprit's end included),
   * after the earlier writes that may have left the register's starting state.
   */
  ops: HistoryOp[];
  /** The window's start (a quiet moment, or the first invocation) and end (the culprit's completion). */
  from: number;
  to: number;
  /** The register states at `from` under which the window was shown to fail. */
  initialStates: RegisterState[];
}

/** Quiet moments tried, latest first, before settling for the whole prefix. */
const MAX_CUTS_TRIED = 200;
/** All the narrowing searches of one key together, in multiples of one search's bound. */
const NARROWING_BUDGET_FACTOR = 4;
/** Earlier writes shown ahead of a window as the source of its starting state. */
const MAX_CONTEXT_WRITES = 8;

/**
 * `ops` is a prepared key history already known to be a violation. Each search is bounded by
 * `maxSteps` and all of them together by a few times that; a search that runs out counts as
 * "not shown to fail", which only makes the window wider.
 */
export function narrowViolation(ops: readonly PreparedOp[], maxSteps: number): ViolationWindow {
  let budget = NARROWING_BUDGET_FACTOR * maxSteps;
  const fails = (window: readonly PreparedOp[], start: RegisterState): boolean => {
    if (budget <= 0) return false;
    const r = searchLinearization(window, start, Math.min(maxSteps, budget));
    budget -= r.cost;
    return r.verdict === 'violation';
  };
  const ends = [...new Set(ops.filter((p) => p.determinate).map((p) => p.complete))].sort((a, b) => a - b);
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fails(cutAt(ops, ends[mid]!), null)) hi = mid;
    else lo = mid + 1;
  }
  const end = ends[lo]!;
  const prefix = cutAt(ops, end);
  const culprit = prefix.find((p) => p.determinate && p.complete === end)!.op;
  for (const quiet of quietMoments(prefix, culprit.invoke).slice(0, MAX_CUTS_TRIED)) {
    const window = prefix.filter((p) => !p.determinate || p.invoke > quiet);
    const before = prefix.filter((p) => p.invoke <= quiet);
    const starts = startingStates(before, window);
    if (starts.every((s) => fails(window, s))) {
      const context = possibleLastWrites(before).filter((p) => p.determinate).sort((a, b) => a.invoke - b.invoke).slice(-MAX_CONTEXT_WRITES);
      return { culprit, ops: [...originals(context), ...originals(window)], from: quiet, to: end, initialStates: [...possibleFinalStates(before)] };
    }
  }
  return { culprit, ops: originals(prefix), from: Math.min(...prefix.map((p) => p.invoke)), to: end, initialStates: [null] };
}

/** The history as it stood at time `t`: running writes become unknown, running reads vanish. */
export function cutAt(ops: readonly PreparedOp[], t: number): PreparedOp[] {
  const out: PreparedOp[] = [];
  for (const p of ops) {
    if (p.invoke > t) continue;
    if (p.determinate && p.complete <= t) out.push(p);
    else if (isWrite(p.call)) out.push({ ...p, complete: Infinity, determinate: false });
  }
  return out;
}

/** Completion times t < `before` at which every determinate op begun by t had ended, latest first. */
function quietMoments(ops: readonly PreparedOp[], before: number): number[] {
  const det = ops.filter((p) => p.determinate).sort((a, b) => a.invoke - b.invoke);
  const out: number[] = [];
  const candidates = [...new Set(det.map((p) => p.complete))].filter((t) => t < before).sort((a, b) => a - b);
  let i = 0;
  let maxEnd = -Infinity;
  for (const t of candidates) {
    while (i < det.length && det[i]!.invoke <= t) maxEnd = Math.max(maxEnd, det[i++]!.complete);
    if (maxEnd <= t) out.push(t);
  }
  return out.reverse();
}

/**
 * What the register may hold when the window starts, with every value the window never
 * mentions folded into one stand-in (they all behave alike inside it).
 */
function startingStates(before: readonly PreparedOp[], window: readonly PreparedOp[]): RegisterState[] {
  const mentioned = new Set<string>();
  for (const { op } of window) {
    if (op.result.type === 'read' && op.result.value !== null) mentioned.add(op.result.value);
    if (op.call.f === 'put-if-match') mentioned.add(op.call.expected);
  }
  const out = new Set<RegisterState>();
  for (const s of possibleFinalStates(before)) out.add(s === null || mentioned.has(s) ? s : UNOBSERVED_VALUE);
  return [...out];
}

function originals(ops: readonly PreparedOp[]): HistoryOp[] {
  return ops.map((p) => p.op).sort((a, b) => a.invoke - b.invoke || a.id - b.id);
}
