// One chaos run against a running cluster: the seeded fault schedule and the workload at the
// same time on one clock, then everything healed, the final state observed through every
// gateway, and the checkers' verdicts (linearizability, RPO, write RTO per fault, redundancy
// after repair). The cluster is the caller's (started and stopped around the run), so a test
// can hand in any cluster that can carry out faults.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkHistory, type CheckResult, type HistoryOp } from '../linearizability/index.ts';
import { DEFAULT_TIMING, planNemesis, type ClusterTopology, type NemesisSchedule, type NemesisTiming } from '../nemesis/nemesis-schedule.ts';
import type { ScenarioName } from '../nemesis/nemesis-fault.ts';
import { observeFinalState } from '../workload/final-state.ts';
import { HistoryRecorder } from '../workload/history-recorder.ts';
import { checkRpo, type RpoResult } from '../workload/rpo-check.ts';
import { writeRto, type FaultRto, type FaultWindow } from '../workload/rto-check.ts';
import { runS3Workload, workloadS3Client, type S3Credentials } from '../workload/s3-workload.ts';
import { driveNemesis, type ExecutedFault, type FaultExecutor } from './nemesis-driver.ts';
import { waitForRedundancy, type RedundancyCheck, type RedundancyOutcome } from './redundancy-wait.ts';

/** What a run needs of a cluster. */
export interface RunnableCluster extends FaultExecutor {
  readonly topology: ClusterTopology;
  /** One S3 endpoint per zone. */
  readonly endpoints: readonly string[];
  readonly credentials: S3Credentials;
  /** The zone hosting the meta leader now (undefined when there is none). */
  metaLeaderZone(timeoutMs?: number): Promise<string | undefined>;
  /** Heals every fault still in place (restarts, resumes, reconnects). */
  healAll(): Promise<void>;
  waitHealthy(timeoutMs: number): Promise<void>;
}

export interface ChaosRunOptions {
  cluster: RunnableCluster;
  scenario: ScenarioName;
  seed: number;
  durationMs: number;
  clients?: number;
  keyCount?: number;
  opTimeoutMs?: number;
  timing?: NemesisTiming;
  /** Scans for missing or corrupt shards; absent: redundancy is not judged (and the verdict says so). */
  redundancy?: RedundancyCheck;
  /** How long repair gets to restore full redundancy after healing. */
  repairTimeoutMs?: number;
  healthyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunFault extends ExecutedFault {
  /** The zone hosting the meta leader just before the injection (zone faults only). */
  leaderZoneBefore?: string;
}

export interface ChaosRunResult {
  scenario: ScenarioName;
  seed: number;
  durationMs: number;
  schedule: NemesisSchedule;
  faults: RunFault[];
  windows: FaultWindow[];
  keys: string[];
  counts: Record<string, number>;
  /** The whole history (workload and final reads), and the workload's alone. */
  history: HistoryOp[];
  workloadOps: number;
  recorder: HistoryRecorder;
  linearizability: CheckResult;
  rpo: RpoResult;
  rto: FaultRto[];
  redundancy: RedundancyOutcome;
  /** Problems that fail the run, as one line each (empty: the run passed). */
  problems: string[];
  ok: boolean;
}

export const DEFAULT_CLIENTS = 6;
export const DEFAULT_KEYS = 6;
export const DEFAULT_CHAOS_OP_TIMEOUT_MS = 5_000;
export const DEFAULT_HEALTHY_TIMEOUT_MS = 60_000;
export const DEFAULT_REPAIR_TIMEOUT_MS = 90_000;
export const CHAOS_BUCKET = 'chaos';
const KEY_PREFIX = 'reg/';

export async function runChaos(o: ChaosRunOptions): Promise<ChaosRunResult> {
  const log = o.log ?? (() => {});
  const { cluster } = o;
  const clients = o.clients ?? DEFAULT_CLIENTS;
  const opTimeoutMs = o.opTimeoutMs ?? DEFAULT_CHAOS_OP_TIMEOUT_MS;
  const schedule = planNemesis({ seed: o.seed, scenario: o.scenario, durationMs: o.durationMs, topology: cluster.topology, timing: o.timing ?? DEFAULT_TIMING });
  await createBucket(cluster, opTimeoutMs);

  const recorder = new HistoryRecorder();
  const stop = new AbortController();
  const leaderBefore = new Map<number, string | undefined>();
  let nextFault = 0;
  const executor: FaultExecutor = {
    inject: async (fault) => {
      const id = schedule.faults[nextFault++]?.id ?? -1;
      if (fault.kind === 'zone-kill' || fault.kind === 'zone-pause') leaderBefore.set(id, await cluster.metaLeaderZone(2_000).catch(() => undefined));
      return cluster.inject(fault);
    },
    heal: (applied) => cluster.heal(applied),
  };
  const nemesis = driveNemesis({ schedule, executor, now: () => recorder.now(), signal: stop.signal, log });
  let workload;
  try {
    workload = await runS3Workload({
      endpoints: cluster.endpoints, credentials: cluster.credentials, bucket: CHAOS_BUCKET, keyPrefix: KEY_PREFIX,
      keyCount: o.keyCount ?? DEFAULT_KEYS, clients, durationMs: o.durationMs, seed: o.seed, opTimeoutMs, recorder,
    });
  } finally {
    // The schedule ends before the workload does (its cool-down); this only cuts it short on a crash.
    stop.abort();
  }
  const executed = await nemesis;
  const runEndMs = recorder.now();
  const faults: RunFault[] = executed.map((f) => ({ ...f, leaderZoneBefore: leaderBefore.get(f.id) }));
  const workloadHistory = recorder.history();
  log(`workload done: ${workloadHistory.length} ops; healing and checking`);

  await cluster.healAll();
  await cluster.waitHealthy(o.healthyTimeoutMs ?? DEFAULT_HEALTHY_TIMEOUT_MS);
  const final = await observeFinalState({
    endpoints: cluster.endpoints, credentials: cluster.credentials, bucket: CHAOS_BUCKET, keyPrefix: KEY_PREFIX,
    keys: workload.keys, recorder, client: clients, timeoutMs: opTimeoutMs,
  });
  const history = recorder.history();
  const linearizability = checkHistory(history);
  const rpo = checkRpo(workloadHistory, workload.keys, final);
  const windows: FaultWindow[] = faults.map((f) => ({ id: f.id, label: f.description, startMs: f.startMs, endMs: f.endMs }));
  const rto = writeRto(workloadHistory, windows, runEndMs);
  const redundancy = o.redundancy
    ? await waitForRedundancy(o.redundancy, o.repairTimeoutMs ?? DEFAULT_REPAIR_TIMEOUT_MS, log)
    : { judged: false as const };

  const problems = runProblems({ faults, linearizability, rpo, rto, redundancy });
  return {
    scenario: o.scenario, seed: o.seed, durationMs: o.durationMs, schedule, faults, windows, keys: workload.keys,
    counts: workload.counts, history, workloadOps: workloadHistory.length, recorder, linearizability, rpo, rto, redundancy,
    problems, ok: problems.length === 0,
  };
}

function runProblems(r: Pick<ChaosRunResult, 'faults' | 'linearizability' | 'rpo' | 'rto' | 'redundancy'>): string[] {
  const out: string[] = [];
  for (const f of r.faults) {
    if (f.injectError) out.push(`fault #${f.id} (${f.description}) could not be injected: ${f.injectError}`);
    if (f.healError) out.push(`fault #${f.id} (${f.description}) could not be healed: ${f.healError}`);
  }
  if (r.linearizability.verdict !== 'linearizable') out.push(`linearizability: ${r.linearizability.verdict}`);
  for (const p of r.rpo.problems) out.push(`RPO: ${p.kind}${'key' in p ? ` ${p.key}` : ''}${'endpoint' in p ? ` via ${p.endpoint}` : ''}`);
  for (const t of r.rto) if (!t.recovered) out.push(`fault #${t.fault.id} (${t.fault.label}): writes did not recover before the next fault or the end`);
  if (r.redundancy.judged && !r.redundancy.ok) out.push(`redundancy: ${r.redundancy.summary}`);
  return out;
}

/** The run's bucket, made through any gateway that answers (the cluster is healthy, but a first call may meet an election). */
async function createBucket(cluster: RunnableCluster, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; ; i++) {
    const s3 = workloadS3Client(cluster.endpoints[i % cluster.endpoints.length]!, cluster.credentials);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: CHAOS_BUCKET }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      return;
    } catch (err) {
      const code = (err as { name?: string }).name;
      if (code === 'BucketAlreadyOwnedByYou') return;
      if (Date.now() > deadline) throw new Error(`cannot create the run's bucket: ${(err as Error).message}`);
    } finally {
      s3.destroy();
    }
    await sleep(500);
  }
}
