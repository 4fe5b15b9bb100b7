// What `zonestore bench <scenario>` does once its flags are parsed: start or reach the targets,
// run the scenario over them, report, and stop everything it started (also on Ctrl-C).
import { randomBytes } from 'node:crypto';
import { ZoneProfiler } from '../../../benchmarks/gateway/zone-profiles.ts';
import { planFromFlags, scenarioDetails, type BenchFlags } from './bench-options.ts';
import { commandLine, writeOutputs } from './bench-report-output.ts';
import { runBench } from './bench-run.ts';
import { splitEndpoint, type BenchClientOptions, type Credentials } from './bench-s3-client.ts';
import { endpointTarget, startLocalTarget, startS3rverTarget, type BenchTarget } from './bench-target.ts';
import { describeMachine } from './machine-description.ts';
import { REPORT_VERSION, targetReport, type BenchReport } from './report-build.ts';
import type { ScenarioName } from './scenario-config.ts';
import { describeSizeSpec } from './size-spec.ts';
import { TargetRegistry } from './target-registry.ts';

const log = (line: string): void => { process.stderr.write(line + '\n'); };

// The SDK warns at the first client that its releases after January 2027 need Node 22; the
// project pins Node 20 and the notice would sit in the middle of every run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type TargetSpec = { kind: 'local' } | { kind: 's3rver' } | { kind: 'url'; endpoint: string; credentials?: Credentials };

function parseTargetSpec(text: string): TargetSpec {
  if (text === 'local') return { kind: 'local' };
  if (text === 's3rver') return { kind: 's3rver' };
  return { kind: 'url', ...splitEndpoint(text) };
}

export async function benchAction(scenario: ScenarioName, flags: BenchFlags): Promise<void> {
  const registry = new TargetRegistry(log);
  let profiler: ZoneProfiler | undefined;
  try {
    if (flags.local && flags.endpoint) throw new Error('give --local or --endpoint, not both');
    const specs = [flags.endpoint ? parseTargetSpec(flags.endpoint) : { kind: 'local' as const }, ...(flags.vs ?? []).map(parseTargetSpec)];
    if (specs.filter((s) => s.kind === 'local').length > 1) throw new Error('the local cluster can be a target once');
    const plan = planFromFlags(scenario, flags, specs.length);
    const fallback = flags.accessKey && flags.secret ? { accessKeyId: flags.accessKey, secretAccessKey: flags.secret } : undefined;
    const clientOpts: BenchClientOptions = { region: flags.region, checksums: flags.checksums, requestTimeoutMs: plan.scenario.opTimeoutMs };
    profiler = flags.profile && specs.some((s) => s.kind === 'local') ? ZoneProfiler.create() : undefined;

    const targets: BenchTarget[] = [];
    for (const spec of specs) {
      if (spec.kind === 'local') {
        log('starting the local three-zone cluster (temp dir, free ports)…');
        targets.push(registry.add(await startLocalTarget(clientOpts, flags.gateways, profiler?.env())));
      } else if (spec.kind === 's3rver') {
        log('starting s3rver…');
        targets.push(registry.add(await startS3rverTarget(clientOpts)));
      } else {
        const credentials = spec.credentials ?? fallback;
        if (!credentials) throw new Error(`${spec.endpoint}: no credentials (put them in the URL, or give --access-key and --secret)`);
        targets.push(registry.add(endpointTarget(spec.endpoint, credentials, clientOpts)));
      }
    }
    const machine = describeMachine();
    const startedAt = new Date().toISOString();
    const seed = flags.seed;
    const bucket = flags.bucket ?? `zonestore-bench-${randomBytes(4).toString('hex')}`;
    const local = targets.find((t) => t.kind === 'zonestore-local');
    const zonePids = local?.servers().map((s) => s.pid) ?? [];
    let profiled: number[] = [];
    log(`${scenario}: ${targets.map((t) => t.label).join(' vs ')}, bucket ${bucket}`);
    const outcomes = await runBench(targets, { ...plan, seed, bucket, prefix: `run-${startedAt.replace(/[:.]/g, '')}/` }, {
      log, progress: flags.progress,
      onPhaseStart: () => { if (profiler) profiled = profiler.toggle(zonePids); },
      onPhaseEnd: () => { if (profiler) profiler.toggle(profiled); },
    });
    if (profiler && flags.profile) {
      const names = new Map(local!.servers().map((s) => [s.pid, s.name]));
      const files = await profiler.collect(profiled, flags.profile, (pid) => `${scenario}-${names.get(pid)}`);
      log(`CPU profiles: ${[...files.values()].join(', ') || 'none written'}`);
    }
    const report: BenchReport = {
      tool: 'zonestore bench', reportVersion: REPORT_VERSION, command: commandLine('zonestore bench', process.argv.slice(3)),
      startedAt, finishedAt: new Date().toISOString(), machine, loadAverageAtEnd: describeMachine().loadAverage,
      scenario: {
        name: scenario, size: describeSizeSpec(plan.scenario.size), concurrency: plan.concurrency,
        ...(plan.durationMs !== undefined ? { durationS: plan.durationMs / 1000 } : { ops: plan.ops }),
        rounds: plan.rounds, seed, keys: plan.scenario.keys, details: scenarioDetails(plan.scenario),
      },
      targets: outcomes.map(targetReport),
    };
    writeOutputs(report, flags, log);
  } catch (err) {
    log(`zonestore bench: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await registry.stopAll();
    profiler?.remove();
  }
}
