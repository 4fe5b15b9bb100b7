// One run of one scenario over one or more targets: prepare each target's bucket and pools,
// then the measured phase cut into rounds whose slices alternate between the targets (A B A B),
// so drift in a shared machine's load hits every target alike; then cleanup. Returns what each
// target accumulated; turning that into figures is report-build.ts's.
import type { BenchTarget } from './bench-target.ts';
import { cleanupBucket, prepareBucket, type PreparedBucket } from './bucket-session.ts';
import { runSlice, type WorkerState } from './load-loop.ts';
import { OpRecorder } from './op-recorder.ts';
import { ProgressDisplay } from './progress-display.ts';
import { requiredCapabilities, type ScenarioConfig } from './scenario-config.ts';
import { bodyBytesNeeded, createDriver, type ScenarioDriver } from './scenario-driver.ts';
import { touch } from './s3-operations.ts';
import { seededBytes, seededRandom, workerSeed } from './seeded-random.ts';
import { ServerSampler } from './server-sampler.ts';

/** Warm-up requests (socket opening) before a slice: short, since a HEAD is cheap. */
const WARM_UP_TIMEOUT_MS = 15_000;

export interface RunPlan {
  scenario: ScenarioConfig;
  concurrency: number;
  /** Measured time per target (split over the rounds); or… */
  durationMs?: number;
  /** …operations per target (split over the rounds). */
  ops?: number;
  rounds: number;
  seed: number;
  bucket: string;
  /** Every key of the run starts with it. */
  prefix: string;
  /** The pools are already there from an earlier run with the same bucket, prefix and seed. */
  reusePools?: boolean;
}

export interface TargetOutcome {
  target: BenchTarget;
  recorder: OpRecorder;
  sampler: ServerSampler;
  /** The scenario ran out of work before its time or budget (delete). */
  exhausted: boolean;
  cleanup: string;
}

export interface RunIo {
  log(line: string): void;
  progress: boolean;
  /** Every server process of the run (all targets, also those not in this run), for "others" CPU. */
  allServerPids?: () => number[];
  /** Around the measured phase (after preparation, before cleanup): e.g. a profiler's toggles. */
  onPhaseStart?(): void;
  onPhaseEnd?(): void;
}

export async function runBench(targets: readonly BenchTarget[], plan: RunPlan, io: RunIo): Promise<TargetOutcome[]> {
  if (plan.durationMs === undefined && plan.ops === undefined) throw new Error('a run needs a duration or an operation count');
  const needs = requiredCapabilities(plan.scenario.name);
  for (const t of targets) {
    const missing = needs.filter((c) => !t.capabilities.has(c));
    if (missing.length > 0) throw new Error(`${t.label} cannot serve ${plan.scenario.name} (no ${missing.join(', ')})`);
  }
  const body = seededBytes(bodyBytesNeeded(plan.scenario), plan.seed);
  const allPids = io.allServerPids ?? (() => targets.flatMap((t) => t.servers().map((s) => s.pid)));
  const sessions: Array<{ target: BenchTarget; driver: ScenarioDriver; prepared: PreparedBucket; outcome: TargetOutcome; workers: WorkerState[] }> = [];
  for (const [i, target] of targets.entries()) {
    const prepared = await prepareBucket(target, plan.bucket, plan.prefix, needs);
    const driver = createDriver(plan.scenario, { target, bucket: plan.bucket, prefix: plan.prefix }, body, plan.seed);
    if (!plan.reusePools) await driver.prepare(io.log);
    sessions.push({
      target, driver, prepared,
      outcome: { target, recorder: new OpRecorder(), sampler: new ServerSampler(target.servers(), allPids), exhausted: false, cleanup: '' },
      workers: Array.from({ length: plan.concurrency }, (_, w) => ({ random: seededRandom(workerSeed(plan.seed, i, w)), seq: 0 })),
    });
  }

  const sliceMs = plan.durationMs === undefined ? undefined : plan.durationMs / plan.rounds;
  const sliceOps = plan.ops === undefined ? undefined : Math.ceil(plan.ops / plan.rounds);
  const total = plan.durationMs ?? plan.ops!;
  const progress = new ProgressDisplay(total * targets.length, io.progress);
  let doneBefore = 0;
  const phaseStart = performance.now();
  progress.start();
  io.onPhaseStart?.();
  try {
    for (let round = 0; round < plan.rounds; round++) {
      for (const s of sessions) {
        if (s.outcome.exhausted) continue;
        await warmUp(s.target, plan.concurrency, plan.bucket, `${plan.prefix}warm-up`);
        const sliceStart = performance.now();
        const rec = s.outcome.recorder;
        const opsBefore = rec.total.ops + rec.errorCount;
        progress.slice(s.target.label, `${round + 1}/${plan.rounds}`, {
          read: () => ({ ops: rec.total.ops, bytes: rec.total.bytes, errors: rec.errorCount }),
          done: () => doneBefore + (sliceMs !== undefined ? performance.now() - sliceStart : rec.total.ops + rec.errorCount - opsBefore),
        });
        s.outcome.sampler.startSlice();
        const r = await runSlice({ concurrency: plan.concurrency, durationMs: sliceMs, opBudget: sliceOps, phaseStart }, s.driver.op, rec, s.workers)
          .finally(() => {
            s.outcome.sampler.endSlice();
            progress.endSlice();
          });
        s.outcome.exhausted ||= r.exhausted;
        doneBefore += sliceMs ?? sliceOps!;
      }
    }
  } finally {
    io.onPhaseEnd?.();
    progress.stop();
  }
  for (const s of sessions) {
    s.outcome.cleanup = await cleanupBucket(s.target, plan.bucket, plan.prefix, s.prepared)
      .catch((err: unknown) => `cleanup failed: ${(err as Error).message}`);
  }
  return sessions.map((s) => s.outcome);
}

/** Opens `concurrency` sockets to each of the target's gateways, untimed, before a slice. */
async function warmUp(target: BenchTarget, concurrency: number, bucket: string, key: string): Promise<void> {
  await Promise.all(target.clients().flatMap((c) => Array.from({ length: concurrency }, () =>
    touch(c, bucket, key, WARM_UP_TIMEOUT_MS).catch(() => {}))));
}
