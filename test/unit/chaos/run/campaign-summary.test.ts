import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultGroup, percentile, rtoMarkdown, rtoStats } from '../../../chaos/run/campaign-summary.ts';

test('percentile is nearest-rank', () => {
  const v = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
  assert.equal(percentile(v, 50), 500);
  assert.equal(percentile(v, 90), 900);
  assert.equal(percentile(v, 100), 1000);
  assert.equal(percentile([42], 50), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('zone faults on the leader\'s zone are grouped apart', () => {
  assert.equal(faultGroup({ kind: 'zone-kill', zone: 'zone-2' }, 'zone-2'), 'zone-kill (leader\'s zone)');
  assert.equal(faultGroup({ kind: 'zone-kill', zone: 'zone-2' }, 'zone-1'), 'zone-kill (follower zone)');
  assert.equal(faultGroup({ kind: 'network', fault: { kind: 'isolate', zone: 'zone-1' } }, 'zone-1'), 'network isolate');
  assert.equal(faultGroup({ kind: 'bitrot', zone: 'zone-1', node: 'n', chunks: 2, seed: 1 }, undefined), 'bitrot');
});

test('RTO stats per group, and their Markdown table', () => {
  const stats = rtoStats([
    { seed: 1, scenario: 'zone-kill', group: 'a', ms: 3_000 },
    { seed: 2, scenario: 'zone-kill', group: 'a', ms: 1_000 },
    { seed: 3, scenario: 'zone-kill', group: 'a', ms: 2_000 },
    { seed: 3, scenario: 'zone-kill', group: 'b', ms: 500 },
  ]);
  assert.deepEqual(stats, [
    { group: 'a', count: 3, medianMs: 2_000, p90Ms: 3_000, maxMs: 3_000 },
    { group: 'b', count: 1, medianMs: 500, p90Ms: 500, maxMs: 500 },
  ]);
  assert.match(rtoMarkdown({ runs: 3, passed: 3, failed: [], linearizabilityViolations: 0, lostWrites: 0, corruptReads: 0, redundancyFailures: 0, rto: stats }), /\| a \| 3 \| 2\.00 s \| 3\.00 s \| 3\.00 s \|/);
});
