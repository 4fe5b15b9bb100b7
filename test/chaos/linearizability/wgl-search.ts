// The search for a linearization of one key's history: Wing & Gong's algorithm with Lowe's
// memoisation (the form Porcupine uses). Call and return events sit in one time-ordered list;
// the search repeatedly places the earliest call whose op the register accepts, lifts the op out
// of the list and starts again from the head; meeting a return event means the op it ends was
// not placed in time, so the last choice is undone. A (placed set, state) pair already explored
// is never explored again, which keeps the search polynomial on the histories real clients make.
//
// Ops with unknown outcomes have no return event: they may be placed anywhere after their call,
// and the search is done once every determinate op is placed. They wait in a list of their own
// and are tried only after every determinate candidate at that point, so the search first
// explores "it did not happen (yet)" — what most timed-out writes look like. Two of them with the
// same call (two deletes, two puts of never-observed values) are interchangeable once both are
// invoked, so of each such class only the earliest unplaced one is ever tried.
import { type PreparedOp, type RegisterState, stepRegister } from './register-model.ts';
import { PlacedSet } from './placed-set.ts';

export type SearchVerdict = 'linearizable' | 'violation' | 'unknown';

export interface SearchOutcome {
  verdict: SearchVerdict;
  /** Ops placed (successful lifts), the unit of the work bound. */
  steps: number;
  /** The most determinate ops any partial linearization placed (for reports). */
  deepest: number;
  /** Candidates looked at (placed or not), in units of steps: what the search cost. */
  cost: number;
}

/**
 * Candidates a search may look at per allowed placement. Placements alone do not bound the
 * time: each one may scan many candidates the register refuses, and a history with a violation
 * (or many unknown outcomes) can scan for minutes within its placement bound.
 */
export const SCANS_PER_STEP = 20;

interface Entry {
  /** Index into the ops (and the placed set). */
  readonly index: number;
  readonly isCall: boolean;
  readonly time: number;
  /** A call's return event, if it has one. */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

interface Frame {
  /** The call placed at this point of the search. */
  entry: Entry;
  /** The register before it. */
  state: RegisterState;
  /** The first pending return's time when it was placed: how far unknown-outcome calls may reach. */
  horizon: number;
}

/**
 * Searches for a linearization of `ops` (one key, prepared) starting from `initial`; gives up
 * with 'unknown' after `maxSteps` placements.
 */
export function searchLinearization(ops: readonly PreparedOp[], initial: RegisterState, maxSteps: number): SearchOutcome {
  const known = ops.flatMap((p, index) => (p.determinate ? [index] : []));
  const unknown = ops.flatMap((p, index) => (p.determinate ? [] : [index]));
  const determinate = buildList(ops, known, true);
  const indeterminate = buildList(ops, unknown, false);
  const classes = new InterchangeableCalls(ops, unknown);
  const placed = new PlacedSet(ops.length);
  const seen = new Set<string>();
  const stack: Frame[] = [];
  const determinateCount = known.length;
  let state = initial;
  let remaining = determinateCount;
  let steps = 0;
  let deepest = 0;
  // Where the scan is: determinate calls up to the first return, then unknown-outcome calls
  // invoked by that return's time (the horizon).
  let inIndeterminate = false;
  let cursor = determinate.next;
  let horizon = Infinity;
  let scans = 0;
  const maxScans = maxSteps * SCANS_PER_STEP;
  const outcome = (verdict: SearchVerdict): SearchOutcome => ({ verdict, steps, deepest, cost: Math.max(steps, scans / SCANS_PER_STEP) });

  while (remaining > 0) {
    if (++scans > maxScans) return outcome('unknown');
    if (!inIndeterminate && (cursor === null || !cursor.isCall)) {
      horizon = cursor ? cursor.time : Infinity;
      inIndeterminate = true;
      cursor = indeterminate.next;
      continue;
    }
    if (cursor !== null && (!inIndeterminate || cursor.time <= horizon)) {
      const p = ops[cursor.index]!;
      const next = stepRegister(state, p);
      // An unknown-outcome op that would change nothing (its condition fails) is as good as
      // never run, which leaving it unplaced already covers.
      if (next !== undefined && (p.determinate || (next !== state && classes.isNext(cursor.index)))) {
        placed.add(cursor.index);
        const memo = placed.key(next);
        if (!seen.has(memo)) {
          seen.add(memo);
          if (++steps > maxSteps) return outcome('unknown');
          stack.push({ entry: cursor, state, horizon });
          state = next;
          lift(cursor);
          if (p.determinate) deepest = Math.max(deepest, determinateCount - --remaining);
          else classes.placed(cursor.index);
          inIndeterminate = false;
          cursor = determinate.next;
          continue;
        }
        placed.remove(cursor.index);
      }
      cursor = cursor.next;
      continue;
    }
    // Every candidate at this point failed: the pending return's op can no longer be placed.
    const top = stack.pop();
    if (!top) return outcome('violation');
    unlift(top.entry);
    placed.remove(top.entry.index);
    const wasDeterminate = ops[top.entry.index]!.determinate;
    if (wasDeterminate) remaining++;
    else classes.unplaced(top.entry.index);
    state = top.state;
    horizon = top.horizon;
    inIndeterminate = !wasDeterminate;
    cursor = top.entry.next;
  }
  return outcome('linearizable');
}

/**
 * Unknown-outcome ops grouped by identical call; within a class they are placed strictly in
 * invocation order, so "the next one" is a counter per class.
 */
class InterchangeableCalls {
  /** Per op index: its class, and its position within the class (by invocation). */
  private readonly classOf: Int32Array;
  private readonly rank: Int32Array;
  private readonly placedCount: number[] = [];

  constructor(ops: readonly PreparedOp[], indices: readonly number[]) {
    this.classOf = new Int32Array(ops.length).fill(-1);
    this.rank = new Int32Array(ops.length);
    const ids = new Map<string, number>();
    const sizes: number[] = [];
    const sorted = [...indices].sort((a, b) => ops[a]!.invoke - ops[b]!.invoke || a - b);
    for (const i of sorted) {
      const sig = JSON.stringify(ops[i]!.call);
      let id = ids.get(sig);
      if (id === undefined) {
        ids.set(sig, (id = sizes.length));
        sizes.push(0);
        this.placedCount.push(0);
      }
      this.classOf[i] = id;
      this.rank[i] = sizes[id]!++;
    }
  }

  isNext(i: number): boolean {
    return this.rank[i] === this.placedCount[this.classOf[i]!];
  }

  placed(i: number): void {
    this.placedCount[this.classOf[i]!]!++;
  }

  unplaced(i: number): void {
    this.placedCount[this.classOf[i]!]!--;
  }
}

/**
 * A time-ordered event list behind a head sentinel: calls and returns of determinate ops, or
 * just the calls of the others. Equal times count as overlapping (calls before returns), since
 * real-time order needs a strict gap.
 */
function buildList(ops: readonly PreparedOp[], indices: readonly number[], withReturns: boolean): Entry {
  const events: Entry[] = [];
  for (const index of indices) {
    const p = ops[index]!;
    const call: Entry = { index, isCall: true, time: p.invoke, match: null, prev: null, next: null };
    events.push(call);
    if (withReturns) {
      call.match = { index, isCall: false, time: p.complete, match: null, prev: null, next: null };
      events.push(call.match);
    }
  }
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1) || a.index - b.index);
  const head: Entry = { index: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

function unlink(e: Entry): void {
  e.prev!.next = e.next;
  if (e.next) e.next.prev = e.prev;
}

function relink(e: Entry): void {
  e.prev!.next = e;
  if (e.next) e.next.prev = e;
}

// Lifts and unlifts happen in stack order, so each relink finds its neighbours as it left them.
function lift(call: Entry): void {
  unlink(call);
  if (call.match) unlink(call.match);
}

function unlift(call: Entry): void {
  if (call.match) relink(call.match);
  relink(call);
}
