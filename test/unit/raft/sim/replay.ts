// Replays one simulation seed exactly and prints a trace summary; `--seeds A..B` sweeps a range.
//   npm run sim -- --seed N [--nodes 5] [--faults chaos] [--ticks 400] [--membership]
//                  [--bug commitPreviousTermByCounting|skipVoteLogCheck] [--local-reads]
//                  [--verbose [--messages]]
import { formatFailure, runSimulation, type SimResult } from './run-simulation.ts';
import { parseSimArgs, replayCommand } from './sim-options.ts';

function summary(r: SimResult): string {
  const s = r.stats;
  return [
    `seed ${r.options.seed}: ${r.options.nodes} nodes, faults ${r.options.faults}${r.options.membership ? ', membership changes' : ''}${r.options.bug ? `, planted bug ${r.options.bug}` : ''}`,
    `  ${s.config}`,
    `  ${s.ticks} ticks, ${s.leadersElected} leaders elected, ${s.committed} entries committed, recovery ${s.recoveryTicks} ticks`,
    `  ${s.crashes} crashes, ${s.partitions} partitions, ${s.compactions} compactions, ${s.snapshotsSent} snapshots sent, ${s.membershipChanges} membership changes`,
    `  messages: ${s.messages.sent} sent, ${s.messages.delivered} delivered, ${s.messages.dropped} dropped, ${s.messages.duplicated} duplicated, ${s.messages.malformed} malformed`,
    `  client ops: ${s.ops.recorded} recorded, ${s.ops.completed} completed, ${s.ops.failed} failed, ${s.ops.abandoned} abandoned`,
  ].join('\n');
}

const args = parseSimArgs(process.argv.slice(2));
let failures = 0;
const started = performance.now();
const totals = { committed: 0, leaders: 0, crashes: 0, snapshots: 0, membership: 0, ops: 0, completed: 0, maxRecovery: 0 };
for (const seed of args.seeds) {
  const options = args.optionsFor(seed);
  const verbose = args.verbose && args.seeds.length === 1;
  const r = runSimulation(options, verbose ? (line) => console.log(line) : undefined, verbose && process.argv.includes('--messages'));
  totals.committed += r.stats.committed;
  totals.leaders += r.stats.leadersElected;
  totals.crashes += r.stats.crashes;
  totals.snapshots += r.stats.snapshotsSent;
  totals.membership += r.stats.membershipChanges;
  totals.ops += r.stats.ops.recorded;
  totals.completed += r.stats.ops.completed;
  totals.maxRecovery = Math.max(totals.maxRecovery, r.stats.recoveryTicks);
  if (r.violation) {
    failures++;
    console.log(formatFailure(r));
    if (args.seeds.length === 1) console.log(summary(r));
  } else if (args.seeds.length === 1) {
    console.log(summary(r));
    if (!verbose) console.log(['trace tail:', ...r.trace.slice(-25)].join('\n'));
    console.log(`ok — ${replayCommand(options)}`);
  }
}
if (args.seeds.length > 1) {
  const ms = Math.round(performance.now() - started);
  console.log(`${args.seeds.length} seeds, ${failures} failed, ${ms} ms`);
  const t = totals;
  console.log(
    `totals: ${t.committed} entries committed, ${t.leaders} leaders, ${t.crashes} crashes, ${t.snapshots} snapshots sent, ` +
      `${t.membership} membership changes, ${t.ops} client ops (${t.completed} completed), slowest recovery ${t.maxRecovery} ticks`,
  );
}
process.exitCode = failures > 0 ? 1 : 0;
