// The chaos workload against a real three-zone cluster with no faults: clients on every gateway
// for a few seconds, then the final reads and listings. A healthy cluster must come out
// linearizable with RPO holding; and a write removed behind the history's back (an unrecorded
// delete, standing in for a lost write) must be reported by both checkers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3Client, type S3Cluster, startS3Cluster } from '../../clients/s3-cluster-fixture.ts';
import { checkHistory, describeCheck } from '../../chaos/linearizability/index.ts';
import { observeFinalState } from '../../chaos/workload/final-state.ts';
import { HistoryRecorder } from '../../chaos/workload/history-recorder.ts';
import { checkRpo, describeRpo } from '../../chaos/workload/rpo-check.ts';
import { runS3Workload } from '../../chaos/workload/s3-workload.ts';

const SUITE_TIMEOUT_MS = 30_000;
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
}, { timeout: SUITE_TIMEOUT_MS });

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
