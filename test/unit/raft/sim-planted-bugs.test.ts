// The simulator must not be vacuous: with a planted bug switched on it has to find a violation,
// and the same harness must stay green with the switch off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFailure, runSimulation, type SimResult } from './sim/run-simulation.ts';
import { runFigure8 } from './sim/scenario-figure8.ts';
import { optionsForSeed, replayCommand, type SimOptions } from './sim/sim-options.ts';
import type { ViolationKind } from './sim/violation.ts';

const SAFETY: readonly ViolationKind[] = [
  'election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety', 'durability', 'linearizability',
];

/** Run seeds in order until one breaks an invariant; undefined if none of them does. */
function firstViolation(seeds: number, options: (seed: number) => SimOptions): SimResult | undefined {
  for (let seed = 0; seed < seeds; seed++) {
    const r = runSimulation(options(seed));
    if (r.violation) return r;
  }
  return undefined;
}

function expectCaught(r: SimResult | undefined, what: string, kinds: readonly ViolationKind[] = SAFETY): SimResult {
  assert.ok(r, `${what}: no seed found a violation`);
  assert.ok(kinds.includes(r.violation!.kind), `${what}: unexpected kind\n${formatFailure(r)}`);
  return r;
}

test('Figure 8 script: committing a previous-term entry by counting is caught', () => {
  const r = runFigure8(true);
  assert.ok(r.violation, `no violation; trace:\n${r.trace.join('\n')}`);
  assert.ok(SAFETY.includes(r.violation.kind), r.violation.message);
});

test('Figure 8 script: with the correct commit rule the same schedule is safe and converges', () => {
  const r = runFigure8(false);
  assert.equal(r.violation, undefined, `${r.violation?.message}\n${r.trace.join('\n')}`);
});

test('commitPreviousTermByCounting: random search finds a violation (clockless walk, 3 nodes)', (t) => {
  const options = (seed: number): SimOptions => ({
    ...optionsForSeed(seed), nodes: 3, faults: 'walk', membership: false, bug: 'commitPreviousTermByCounting',
  });
  const r = expectCaught(firstViolation(3000, options), 'commitPreviousTermByCounting');
  t.diagnostic(`seed ${r.options.seed}: ${r.violation!.message} — ${replayCommand(r.options)}`);
  const clean = runSimulation({ ...r.options, bug: undefined });
  assert.equal(clean.violation, undefined, formatFailure(clean));
});

test('skipVoteLogCheck: timed runs with faults find a violation', (t) => {
  const r = expectCaught(firstViolation(200, (seed) => ({ ...optionsForSeed(seed), bug: 'skipVoteLogCheck' })), 'skipVoteLogCheck');
  t.diagnostic(`seed ${r.options.seed}: ${r.violation!.message} — ${replayCommand(r.options)}`);
  const clean = runSimulation({ ...r.options, bug: undefined });
  assert.equal(clean.violation, undefined, formatFailure(clean));
});

test('skipVoteLogCheck: the clockless walk finds a violation too', (t) => {
  const options = (seed: number): SimOptions => ({ ...optionsForSeed(seed), faults: 'walk', bug: 'skipVoteLogCheck' });
  const r = expectCaught(firstViolation(200, options), 'skipVoteLogCheck (walk)');
  t.diagnostic(`seed ${r.options.seed}: ${r.violation!.message} — ${replayCommand(r.options)}`);
});

test('reads served from local state without ReadIndex are caught by the linearizability checker', (t) => {
  const options = (seed: number): SimOptions => ({ ...optionsForSeed(seed), faults: 'partitions', localReads: true });
  const r = expectCaught(firstViolation(100, options), 'local reads', ['linearizability']);
  t.diagnostic(`seed ${r.options.seed} — ${replayCommand(r.options)}`);
});
