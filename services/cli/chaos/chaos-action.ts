// What `zonestore chaos` does: one run per seed, each on a fresh cluster, its verdict printed
// and its report written; then the campaign's summary (and, with --results, its section of
// benchmarks/RESULTS.md). Exit code 1 when any run failed.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCampaign, summarizeCampaign } from '../../../test/chaos/run/campaign-summary.ts';
import type { ChaosRunResult } from '../../../test/chaos/run/chaos-run.ts';
import { runChaosOnNewCluster } from '../../../test/chaos/run/run-on-new-cluster.ts';
import { describeMachine, machineLine } from '../bench/machine-description.ts';
import { writeMarkedSection } from '../bench/results-file.ts';
import type { ChaosFlags } from './chaos-options.ts';
import { chaosMarkers, chaosSection } from './chaos-section.ts';

const RESULTS_FILE = fileURLToPath(new URL('../../../benchmarks/RESULTS.md', import.meta.url));

export async function chaosAction(flags: ChaosFlags): Promise<number> {
  const seeds = flags.seeds ?? [flags.seed];
  const started = Date.now();
  const results: ChaosRunResult[] = [];
  for (const seed of seeds) {
    const dir = resolve(join(flags.out, `${flags.scenario}-seed-${seed}`));
    process.stdout.write(`\n=== chaos ${flags.scenario} seed ${seed} (${(flags.duration / 1000).toFixed(0)} s) → ${dir}\n`);
    const { result, files } = await runChaosOnNewCluster({
      scenario: flags.scenario, seed, durationMs: flags.duration, clients: flags.clients, keyCount: flags.keys,
      network: flags.network, fastTiming: flags.fastTiming, repairTimeoutMs: flags.repairTimeout,
      outDir: dir, keepCluster: flags.keep, log: (line) => process.stdout.write(`  ${line}\n`),
    });
    results.push(result);
    process.stdout.write(`${result.ok ? 'PASS' : 'FAIL'} seed ${seed}: ${result.ok ? 'every check holds' : result.problems.join('; ')}\n`);
    process.stdout.write(`  report: ${files.verdict}, ${files.timeline}\n`);
  }
  const summary = summarizeCampaign(results);
  process.stdout.write(`\n${describeCampaign(summary)}\n`);
  if (flags.results) {
    const args = process.argv.slice(2).join(' ');
    writeMarkedSection(RESULTS_FILE, chaosSection({
      scenario: flags.scenario, command: `zonestore ${args}`, machine: machineLine(describeMachine()),
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + 'Z', durationMs: flags.duration, seeds, summary,
      wallMs: Date.now() - started,
    }), chaosMarkers(flags.scenario));
    process.stdout.write(`wrote the chaos-${flags.scenario} section of ${RESULTS_FILE}\n`);
  }
  return summary.passed === summary.runs ? 0 : 1;
}
