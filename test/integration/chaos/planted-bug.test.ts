// The harness catches a planted bug (issue #8). The same procedure runs on two real clusters:
// the chaos workload on every gateway; mid-run a burst of PUTs to fresh keys through zone-1's
// gateway, and zone-1 SIGKILLed the moment the first of them is acknowledged; zone-1 restarted;
// the final state read through every gateway. A correct cluster (the control) commits before it
// acknowledges, so its history is linearizable and no write is lost. A cluster started with
// ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS acknowledges before the manifest commits, and the kill
// comes well inside the commit delay: the acknowledged burst write can never commit, so the RPO
// check must report it lost and the linearizability checker must find its key violated — by
// construction, not by luck of timing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { collectClusterReport } from '../../../services/cli/status/cluster-report.ts';
import { plannedDataNodeIds } from '../../../services/cli/zone/zone-layout.ts';
import { UNSAFE_ACK_BEFORE_COMMIT_ENV } from '../../../services/gateway/debug/unsafe-flags.ts';
import { CLUSTER_HEALTHY_LIMIT_MS, FAST_ZONE_ARGS, type S3Cluster, startS3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { checkHistory, type CheckResult, describeCheck, type HistoryOp } from '../../chaos/linearizability/index.ts';
import { observeFinalState } from '../../chaos/workload/final-state.ts';
import { HistoryRecorder } from '../../chaos/workload/history-recorder.ts';
import { valueName } from '../../chaos/workload/object-values.ts';
import { checkRpo, describeRpo, type RpoResult } from '../../chaos/workload/rpo-check.ts';
import { runRegisterCall } from '../../chaos/workload/s3-register-client.ts';
import { runS3Workload, workloadS3Client } from '../../chaos/workload/s3-workload.ts';
import { waitFor } from '../cluster/cluster-fixture.ts';

/** The planted bug's commit delay: far longer than from an acknowledgement to the kill (a few ms). */
const ACK_BEFORE_COMMIT_MS = 400;
/** Each test: its cluster's start (bounded by the fixture) and the procedure. */
const TEST_TIMEOUT_MS = CLUSTER_HEALTHY_LIMIT_MS + 45_000;
const BUCKET = 'planted';
const PREFIX = 'reg/';
const VICTIM = 'zone-1';
const VICTIM_INDEX = 0;
const WORKLOAD_MS = 5_000;
/** When, into the workload, the burst goes out and the victim dies. */
const BURST_AT_MS = 1_500;
const BURST_SIZE = 4;
/** How long the victim stays down before its restart. */
const DOWN_MS = 1_000;
const OP_TIMEOUT_MS = 3_000;
const HEALTHY_AGAIN_MS = 20_000;
const CLIENTS = 3;
/** Client ids: the workload's are 0..CLIENTS-1; then the burst's, then the final reads'. */
const BURST_CLIENT0 = 10;
const FINAL_CLIENT = 20;

const clusters: S3Cluster[] = [];
/** What a gateway started with a planted bug logs (services/gateway/gateway.ts). */
const UNSAFE_WARNING = 'UNSAFE TEST-ONLY FAULT ON';

function warnedUnsafe(c: S3Cluster, zone: string): boolean {
  return readFileSync(c.cluster.logFile(zone), 'utf8').includes(UNSAFE_WARNING);
}

after(async () => {
  await Promise.all(clusters.map((c) => c.stop()));
});

interface Procedure {
  /** The burst's first acknowledged PUT, and how long after its acknowledgement the kill was sent. */
  firstAck: HistoryOp;
  ackToKillMs: number;
  burstKeys: string[];
  counts: Record<string, number>;
  lin: CheckResult;
  rpo: RpoResult;
}

async function startCluster(env: NodeJS.ProcessEnv): Promise<S3Cluster> {
  const c = await startS3Cluster({ zoneArgs: FAST_ZONE_ARGS, env });
  clusters.push(c);
  const s3 = workloadS3Client(c.endpoints[1]!, c.credentials);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }), { abortSignal: AbortSignal.timeout(OP_TIMEOUT_MS) });
  } finally {
    s3.destroy();
  }
  return c;
}

async function killDuringWorkload(c: S3Cluster, seed: number, t: TestContext): Promise<Procedure> {
  const recorder = new HistoryRecorder();
  const workload = runS3Workload({
    endpoints: c.endpoints, credentials: c.credentials, bucket: BUCKET, keyPrefix: PREFIX,
    keyCount: 4, clients: CLIENTS, durationMs: WORKLOAD_MS, seed, opTimeoutMs: OP_TIMEOUT_MS, recorder,
  });
  // Whatever happens below, the workload's clients are awaited (each op is bounded).
  workload.catch(() => {});
  const burstKeys = Array.from({ length: BURST_SIZE }, (_, i) => `${PREFIX}burst-${i}`);
  let firstAck: HistoryOp | undefined;
  let ackToKillMs = 0;
  let killed: Promise<number | string> | undefined;
  const s3 = workloadS3Client(c.endpoints[VICTIM_INDEX]!, c.credentials);
  try {
    await sleep(BURST_AT_MS);
    await Promise.all(burstKeys.map(async (key, i) => {
      const call = { f: 'put', value: valueName(BURST_CLIENT0 + i, 0, 64) } as const;
      const p = recorder.begin(BURST_CLIENT0 + i, key, call);
      const r = await runRegisterCall({ s3, bucket: BUCKET, timeoutMs: OP_TIMEOUT_MS }, key, call);
      const op = recorder.end(p, r.result, { endpoint: c.endpoints[VICTIM_INDEX], error: r.error });
      // The first acknowledgement kills the zone at once (the rest of the burst meets a dead gateway).
      if (r.result.type === 'ok' && !killed) {
        firstAck = op;
        killed = c.cluster.kill(VICTIM, 'SIGKILL');
        ackToKillMs = recorder.now() - op.complete!;
      }
    }));
  } finally {
    s3.destroy();
  }
  killed ??= c.cluster.kill(VICTIM, 'SIGKILL');
  await killed;
  assert.ok(firstAck, `seed ${seed}: no PUT of the burst was acknowledged by ${VICTIM}: ${JSON.stringify(recorder.history().filter((op) => op.client >= BURST_CLIENT0).map((op) => op.result))}`);
  await sleep(DOWN_MS);
  // The gateway comes back on a new port (the plan gives gateways port 0): the final reads use it.
  const back = await c.cluster.start(VICTIM);
  const endpoints = c.endpoints.map((e, i) => (i === VICTIM_INDEX ? back.gateway.url : e));
  const run = await workload;
  await waitFor('the cluster healthy again', async () => (await collectClusterReport(c.cluster.metaApiAddresses, {
    expectedDataNodes: plannedDataNodeIds(c.cluster.specs),
  })).healthy, HEALTHY_AGAIN_MS);

  const history = recorder.history();
  assert.equal(recorder.inFlight, 0);
  const keys = [...run.keys, ...burstKeys];
  const final = await observeFinalState({
    endpoints, credentials: c.credentials, bucket: BUCKET, keyPrefix: PREFIX,
    keys, recorder, client: FINAL_CLIENT, timeoutMs: OP_TIMEOUT_MS,
  });
  t.diagnostic(`seed ${seed}: ${history.length} ops; first burst ack #${firstAck.id} at ${firstAck.complete!.toFixed(0)} ms, kill ${ackToKillMs.toFixed(1)} ms later; ${JSON.stringify(run.counts)}`);
  return {
    firstAck, ackToKillMs, burstKeys, counts: run.counts,
    lin: checkHistory(recorder.history()), rpo: checkRpo(history, keys, final),
  };
}

test('control: the same kill on a correct cluster loses nothing and stays linearizable', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const c = await startCluster({ ...process.env, [UNSAFE_ACK_BEFORE_COMMIT_ENV]: '' });
  try {
    const seed = 8_101;
    const r = await killDuringWorkload(c, seed, t);
    assert.equal(warnedUnsafe(c, 'zone-2'), false);
    assert.equal(r.lin.verdict, 'linearizable', `seed ${seed}\n${describeCheck(r.lin)}`);
    assert.ok(r.rpo.ok, `seed ${seed}\n${describeRpo(r.rpo)}`);
    // The acknowledged burst write is there after the zone came back.
    assert.equal(r.rpo.keys.find((k) => k.key === r.firstAck.key)?.observed, (r.firstAck.call as { value: string }).value);
  } finally {
    // Its CPU goes back to the next test; `after` stops it again harmlessly.
    await c.stop();
  }
});

test(`planted bug: with ${UNSAFE_ACK_BEFORE_COMMIT_ENV}=${ACK_BEFORE_COMMIT_MS} the checkers report the acknowledged writes the kill lost`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const c = await startCluster({ ...process.env, [UNSAFE_ACK_BEFORE_COMMIT_ENV]: String(ACK_BEFORE_COMMIT_MS) });
  const seed = 8_102;
  assert.ok(warnedUnsafe(c, 'zone-2'), `a gateway with the flag on logs "${UNSAFE_WARNING}"`);
  const r = await killDuringWorkload(c, seed, t);
  // The precondition that makes the loss certain: the kill beat the late commit by far.
  assert.ok(r.ackToKillMs < ACK_BEFORE_COMMIT_MS / 2, `kill sent ${r.ackToKillMs} ms after the acknowledgement`);
  const lost = r.rpo.problems.filter((p) => p.kind === 'lost-write');
  assert.ok(lost.some((p) => p.key === r.firstAck.key && p.lost.some((op) => op.id === r.firstAck.id)),
    `seed ${seed}: the acknowledged ${r.firstAck.key} must be reported lost\n${describeRpo(r.rpo)}`);
  assert.equal(r.lin.verdict, 'violation', `seed ${seed}\n${describeCheck(r.lin)}`);
  assert.equal(r.lin.keys.find((k) => k.key === r.firstAck.key)?.verdict, 'violation', describeCheck(r.lin));
  t.diagnostic(`${describeRpo(r.rpo)}\n${describeCheck(r.lin)}`);
});
