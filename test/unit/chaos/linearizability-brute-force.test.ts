// The checker against the definition itself: on small random histories (arbitrary results, so
// about half are not linearizable) it must agree with a brute-force search over every order of
// every subset that real time allows. This pins the search's shortcuts (memo, the interchangeable
// unknown-outcome calls, unobserved values folded into one, unknown writes nobody could see
// dropped) to the plain meaning in both directions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkHistory, describeOp, type HistoryOp, type RegisterCall, type RegisterResult } from '../../chaos/linearizability/index.ts';

type State = string | null;

/** What `op` leaves from `s`, or undefined if its recorded result is impossible there. */
function apply(s: State, op: HistoryOp): State | undefined {
  const c = op.call;
  const r = op.result;
  if (r.type === 'indeterminate') {
    if (c.f === 'put') return c.value;
    if (c.f === 'delete') return null;
    if (c.f === 'put-if-absent') return s === null ? c.value : s;
    if (c.f === 'put-if-match') return s === c.expected ? c.value : s;
    return s;
  }
  if (c.f === 'put') return c.value;
  if (c.f === 'delete') return null;
  if (c.f === 'get') return r.type === 'read' && r.value === s ? s : undefined;
  if (c.f === 'exists') return r.type === 'exists' && r.present === (s !== null) ? s : undefined;
  if (c.f === 'put-if-absent') return r.type === 'ok' ? (s === null ? c.value : undefined) : s !== null ? s : undefined;
  if (r.type === 'ok') return s === c.expected ? c.value : undefined;
  if (r.type === 'no-such-key') return s === null ? s : undefined;
  return s !== null && s !== c.expected ? s : undefined;
}

function bruteForce(history: readonly HistoryOp[]): boolean {
  const ops = history.filter((o) => o.result.type !== 'failed' && !(o.result.type === 'indeterminate' && (o.call.f === 'get' || o.call.f === 'exists')));
  const end = (o: HistoryOp) => (o.complete === null ? Infinity : o.complete);
  const search = (left: HistoryOp[], s: State): boolean => {
    if (left.every((o) => o.complete === null)) return true; // unknown outcomes may never happen
    for (const o of left) {
      // o can go next unless some other op still to place ended strictly before o began.
      if (left.some((q) => q !== o && end(q) < o.invoke)) continue;
      const next = apply(s, o);
      if (next !== undefined && search(left.filter((q) => q !== o), next)) return true;
    }
    return false;
  };
  return search(ops, null);
}

const VALUES = ['a', 'b', 'c'];
const callArb: fc.Arbitrary<RegisterCall> = fc.oneof(
  fc.constantFrom(...VALUES).map((value) => ({ f: 'put' as const, value })),
  fc.constantFrom(...VALUES).map((value) => ({ f: 'put-if-absent' as const, value })),
  fc.tuple(fc.constantFrom(...VALUES), fc.constantFrom(...VALUES)).map(([value, expected]) => ({ f: 'put-if-match' as const, value, expected })),
  fc.constant({ f: 'delete' as const }),
  fc.constant({ f: 'get' as const }),
  fc.constant({ f: 'exists' as const }),
);

function resultArb(call: RegisterCall): fc.Arbitrary<RegisterResult> {
  const unknown = fc.constant<RegisterResult>({ type: 'indeterminate' });
  const failed = fc.constant<RegisterResult>({ type: 'failed' });
  switch (call.f) {
    case 'get': return fc.oneof(fc.constantFrom<string | null>(null, ...VALUES).map((value): RegisterResult => ({ type: 'read', value })), unknown);
    case 'exists': return fc.oneof(fc.boolean().map((present): RegisterResult => ({ type: 'exists', present })), unknown);
    case 'put-if-absent': return fc.constantFrom<RegisterResult>({ type: 'ok' }, { type: 'precondition-failed' }, { type: 'indeterminate' }, { type: 'failed' });
    case 'put-if-match': return fc.constantFrom<RegisterResult>({ type: 'ok' }, { type: 'precondition-failed' }, { type: 'no-such-key' }, { type: 'indeterminate' });
    default: return fc.oneof(fc.constant<RegisterResult>({ type: 'ok' }), unknown, failed);
  }
}

const opArb = callArb.chain((call) => fc.record({
  call: fc.constant(call),
  result: resultArb(call),
  invoke: fc.integer({ min: 0, max: 12 }),
  span: fc.integer({ min: 0, max: 6 }),
}));

// Values repeat here (only three), unlike real runs: the definition does not need them unique,
// so neither may the checker.
const historyArb = fc.array(opArb, { minLength: 1, maxLength: 7 }).map((raw) => raw.map((o, id): HistoryOp => ({
  id, client: id, key: 'k', call: o.call, result: o.result, invoke: o.invoke,
  complete: o.result.type === 'indeterminate' ? null : o.invoke + o.span,
})));

test('property: the checker agrees with brute force on small histories', () => {
  let violations = 0;
  fc.assert(fc.property(historyArb, (history) => {
    const expected = bruteForce(history);
    if (!expected) violations++;
    const got = checkHistory(history, { narrow: false }).verdict;
    assert.equal(got, expected ? 'linearizable' : 'violation', history.map(describeOp).join('\n'));
  }), { numRuns: 3000 });
  assert.ok(violations > 300, `only ${violations} non-linearizable cases generated`);
});
