// The short chaos runs CI makes: three scenarios for 20 s each, fixed seeds, each on a fresh
// chaos cluster (zone processes behind fault proxies), through `runChaosOnNewCluster` — what
// `zonestore chaos` runs. Every check must hold: linearizable history, no lost or corrupt
// acknowledged write, exact listings, writes recovering after every fault, full redundancy
// after repair. The long campaign is `zonestore chaos --seeds …` (README, RESULTS.md).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeChaosRun } from '../../chaos/run/chaos-report.ts';
import { runChaosOnNewCluster } from '../../chaos/run/run-on-new-cluster.ts';
import type { ScenarioName } from '../../chaos/nemesis/nemesis-fault.ts';

const DURATION_MS = 20_000;
/** Cluster start (≤ 90 s bound), the run, healing, final reads, repair wait: generous but finite. */
const RUN_TIMEOUT_MS = 240_000;
const RUNS: ReadonlyArray<{ scenario: ScenarioName; seed: number }> = [
  { scenario: 'zone-kill', seed: 101 },
  { scenario: 'partition', seed: 102 },
  { scenario: 'mixed', seed: 103 },
];
const out = mkdtempSync(join(tmpdir(), 'zs-chaos-runs-'));

after(() => rmSync(out, { recursive: true, force: true }));

for (const { scenario, seed } of RUNS) {
  test(`chaos ${scenario}, seed ${seed}, ${DURATION_MS / 1000} s: every check holds`, { timeout: RUN_TIMEOUT_MS }, async (t) => {
    const { result } = await runChaosOnNewCluster({
      scenario, seed, durationMs: DURATION_MS, fastTiming: true, outDir: join(out, `${scenario}-${seed}`),
      repairTimeoutMs: 60_000, log: (line) => t.diagnostic(line),
    });
    const text = describeChaosRun(result);
    assert.ok(result.ok, text);
    // The run did what it is for: faults were carried out and writes went on around them.
    assert.ok(result.faults.length >= 1 && result.faults.every((f) => f.applied), text);
    assert.ok((result.counts['put:ok'] ?? 0) > 20, text);
    assert.ok(result.redundancy.judged && result.redundancy.ok, text);
  });
}
