// The chaos workload against a real three-zone cluster with no faults: clients on every gateway
// for a few seconds, then the final reads and listings. A healthy cluster must come out
// linearizable with RPO holding; and a write removed behind the history's back (an unrecorded
// delete, standing in for a lost write) must be reported by both checkers. Then the real SDK's
// failures through the fault proxy: a cut answer and a held request are recorded as unknown
// outcomes, and the history stays linearizable whether the write landed or not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { CLUSTER_HEALTHY_LIMIT_MS, s3Client, type S3Cluster, startS3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { checkHistory, describeCheck } from '../../chaos/linearizability/index.ts';
import { observeFinalState } from '../../chaos/workload/final-state.ts';
import { HistoryRecorder } from '../../chaos/workload/history-recorder.ts';
import { checkRpo, describeRpo } from '../../chaos/workload/rpo-check.ts';
import { runS3Workload, workloadS3Client } from '../../chaos/workload/s3-workload.ts';
import { FaultProxy } from '../../chaos/net/fault-proxy.ts';
import { DROP, RESET } from '../../chaos/net/link-mode.ts';
import { valueName } from '../../chaos/workload/object-values.ts';
import { runRegisterCall } from '../../chaos/workload/s3-register-client.ts';

/** Each test's bound; the cluster's start has the fixture's own (it waits for health that long). */
const SUITE_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = CLUSTER_HEALTHY_LIMIT_MS + 15_000;
const SEED = 8_001;
const BUCKET = 'chaos';
const PREFIX = 'run-1/';
const CLIENTS = 6;
const OP_TIMEOUT_MS = 5_000;
let c: S3Cluster | undefined;

before(async () => {
  c = await startS3Cluster();
  const s3 = s3Client(c.endpoints[0]!, c.credentials);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } finally {
    s3.destroy();
  }
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await c?.stop();
});

test('no faults: the workload\'s history is linearizable and every acknowledged write survives', { timeout: SUITE_TIMEOUT_MS }, async (t) => {
  const cluster = c!;
  const recorder = new HistoryRecorder();
  const started = Date.now();
  const run = await runS3Workload({
    endpoints: cluster.endpoints, credentials: cluster.credentials, bucket: BUCKET, keyPrefix: PREFIX,
    keyCount: 5, clients: CLIENTS, durationMs: 6_000, seed: SEED, opTimeoutMs: OP_TIMEOUT_MS, recorder,
  });
  const workloadHistory = recorder.history();
  t.diagnostic(`seed ${SEED}: ${workloadHistory.length} ops in ${Date.now() - started} ms: ${JSON.stringify(run.counts)}`);
  assert.equal(recorder.inFlight, 0);
  const final = await observeFinalState({
    endpoints: cluster.endpoints, credentials: cluster.credentials, bucket: BUCKET, keyPrefix: PREFIX,
    keys: run.keys, recorder, client: CLIENTS, timeoutMs: OP_TIMEOUT_MS,
  });

  const lin = checkHistory(recorder.history());
  assert.equal(lin.verdict, 'linearizable', `seed ${SEED}\n${describeCheck(lin)}`);
  const rpo = checkRpo(workloadHistory, run.keys, final);
  assert.ok(rpo.ok, `seed ${SEED}\n${describeRpo(rpo)}`);
  // The workload exercised what it is meant to: writes, reads of values, both condition outcomes, listings.
  const n = (k: string) => run.counts[k] ?? 0;
  assert.ok(n('put:ok') > 10 && n('get:read') > 10 && n('list:exists') > 3, JSON.stringify(run.counts));
  assert.ok(n('put-if-match:ok') + n('put-if-absent:ok') > 0, JSON.stringify(run.counts));
  assert.ok(n('put-if-match:precondition-failed') + n('put-if-absent:precondition-failed') > 0, JSON.stringify(run.counts));
  assert.ok(n('multipart:ok') > 0, `large puts by multipart upload: ${JSON.stringify(run.counts)}`);

  // A write lost behind the history's back: the checkers must notice.
  // (a key that cannot be absent: no delete may have come last)
  const victim = rpo.keys.find((k) => typeof k.observed === 'string' && !k.allowed.includes(null));
  assert.ok(victim, `seed ${SEED}: some key should surely exist at the end`);
  const s3 = s3Client(cluster.endpoints[1]!, cluster.credentials);
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: victim.key }));
  } finally {
    s3.destroy();
  }
  const again = await observeFinalState({
    endpoints: cluster.endpoints, credentials: cluster.credentials, bucket: BUCKET, keyPrefix: PREFIX,
    keys: run.keys, recorder, client: CLIENTS, timeoutMs: OP_TIMEOUT_MS,
  });
  const lost = checkRpo(workloadHistory, run.keys, again);
  assert.ok(lost.problems.some((p) => p.kind === 'lost-write' && p.key === victim.key), describeRpo(lost));
  assert.equal(checkHistory(recorder.history()).verdict, 'violation');
});

test('through the fault proxy: a reset answer and a held request are unknown outcomes, and the history stays linearizable', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const cluster = c!;
  const gateway = new URL(cluster.endpoints[0]!);
  const proxy = await FaultProxy.start({ listenHost: gateway.hostname, target: { host: gateway.hostname, port: Number(gateway.port) } });
  const viaProxy = workloadS3Client(`http://${proxy.address}`, cluster.credentials);
  const direct = workloadS3Client(cluster.endpoints[1]!, cluster.credentials);
  const recorder = new HistoryRecorder();
  const key = 'proxied/k';
  const run = async (client: number, s3: typeof direct, call: Parameters<typeof runRegisterCall>[2], timeoutMs = OP_TIMEOUT_MS) => {
    const p = recorder.begin(client, key, call);
    const r = await runRegisterCall({ s3, bucket: BUCKET, timeoutMs }, key, call);
    return recorder.end(p, r.result, { error: r.error });
  };
  try {
    assert.equal((await run(0, viaProxy, { f: 'put', value: valueName(0, 0, 64) })).result.type, 'ok');
    // The request reaches the gateway; its answer meets a reset: the write landed, unacknowledged.
    proxy.setMode('backward', RESET);
    const landed = await run(0, viaProxy, { f: 'put', value: valueName(0, 1, 64) });
    assert.equal(landed.result.type, 'indeterminate', JSON.stringify(landed.result));
    const seen = await run(1, direct, { f: 'get' });
    assert.deepEqual(seen.result, { type: 'read', value: valueName(0, 1, 64) });
    // The request is held at the proxy and the client gives up: it never reached the gateway.
    proxy.setMode('both', DROP);
    const held = await run(0, viaProxy, { f: 'put', value: valueName(0, 2, 64) }, 1_000);
    assert.deepEqual(held.result, { type: 'indeterminate', reason: 'timeout' });
    proxy.resetConnections();
    const after = await run(1, direct, { f: 'get' });
    assert.deepEqual(after.result, { type: 'read', value: valueName(0, 1, 64) });
    const lin = checkHistory(recorder.history());
    assert.equal(lin.verdict, 'linearizable', describeCheck(lin));
  } finally {
    viaProxy.destroy();
    direct.destroy();
    await proxy.stop();
  }
});
