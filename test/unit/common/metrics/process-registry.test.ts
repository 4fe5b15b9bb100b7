// The process registry's metric names, types and labels (docs/metrics.md lists the same), and the
// values sources and recorders put there — through prom-client's own registry, no sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dataNodeSources, processRegistry, raftObserverFor, raftSources, recordChunkRead, recordChunkWrite, recordGatewayRequest,
  recordKmsCall, repairSources, setAccessLogDeliveryLag,
} from '../../../../services/common/metrics/index.ts';

/** Every zonestore metric: name → [type, label names]. */
const EXPECTED: Record<string, [string, string[]]> = {
  zonestore_gateway_requests_total: ['counter', ['operation', 'status']],
  zonestore_gateway_request_duration_seconds: ['histogram', ['operation', 'status']],
  zonestore_gateway_received_bytes_total: ['counter', ['operation']],
  zonestore_gateway_sent_bytes_total: ['counter', ['operation']],
  zonestore_raft_term: ['gauge', ['replica']],
  zonestore_raft_is_leader: ['gauge', ['replica']],
  zonestore_raft_has_leader: ['gauge', ['replica']],
  zonestore_raft_commit_index: ['gauge', ['replica']],
  zonestore_raft_applied_index: ['gauge', ['replica']],
  zonestore_raft_voters: ['gauge', ['replica']],
  zonestore_raft_leader_changes_total: ['counter', ['replica']],
  zonestore_raft_proposal_duration_seconds: ['histogram', ['replica', 'outcome']],
  zonestore_data_node_capacity_bytes: ['gauge', ['node']],
  zonestore_data_node_used_bytes: ['gauge', ['node']],
  zonestore_data_node_chunks: ['gauge', ['node']],
  zonestore_chunk_read_duration_seconds: ['histogram', ['node', 'outcome']],
  zonestore_chunk_write_duration_seconds: ['histogram', ['node', 'outcome']],
  zonestore_chunk_read_damage_total: ['counter', ['node']],
  zonestore_scrub_passes_total: ['counter', ['node']],
  zonestore_scrub_checked_chunks_total: ['counter', ['node']],
  zonestore_scrub_checked_bytes_total: ['counter', ['node']],
  zonestore_scrub_corrupt_chunks_total: ['counter', ['node']],
  zonestore_scrub_missing_chunks_total: ['counter', ['node']],
  zonestore_scrub_last_pass_timestamp_seconds: ['gauge', ['node']],
  zonestore_repair_queue_length: ['gauge', ['zone']],
  zonestore_degraded_objects: ['gauge', ['zone']],
  zonestore_degraded_shards: ['gauge', ['zone']],
  zonestore_repair_last_pass_timestamp_seconds: ['gauge', ['zone']],
  zonestore_repair_passes_total: ['counter', ['zone']],
  zonestore_repair_failed_passes_total: ['counter', ['zone']],
  zonestore_repair_rebuilt_shards_total: ['counter', ['zone']],
  zonestore_repair_rebuilt_bytes_total: ['counter', ['zone']],
  zonestore_repair_checked_objects_total: ['counter', ['zone']],
  zonestore_kms_requests_total: ['counter', ['operation', 'outcome']],
  zonestore_access_log_delivery_lag_seconds: ['gauge', []],
};

async function values(name: string): Promise<Array<{ labels: Partial<Record<string, string | number>>; value: number; metricName?: string }>> {
  const m = processRegistry.getSingleMetric(name);
  assert.ok(m, `${name} is registered`);
  return (await m.get()).values as Array<{ labels: Partial<Record<string, string | number>>; value: number; metricName?: string }>;
}

test('every zonestore metric is registered with its type and labels, and follows Prometheus naming', async () => {
  const all = await processRegistry.getMetricsAsJSON();
  const ours = all.filter((m) => m.name.startsWith('zonestore_'));
  assert.deepEqual(ours.map((m) => m.name).sort(), Object.keys(EXPECTED).sort());
  for (const [name, [type, labels]] of Object.entries(EXPECTED)) {
    const m = processRegistry.getSingleMetric(name) as unknown as { labelNames: string[] };
    assert.equal(all.find((x) => x.name === name)!.type, type, name);
    assert.deepEqual([...m.labelNames].sort(), [...labels].sort(), name);
    if (type === 'counter') assert.match(name, /_total$/, `${name}: counters end in _total`);
    else assert.doesNotMatch(name, /_total$/, `${name}: only counters end in _total`);
    if (/duration|latency/.test(name)) assert.match(name, /_seconds$/, `${name}: times are in seconds`);
  }
  assert.ok(all.some((m) => m.name === 'process_cpu_seconds_total'), 'default process metrics are there');
});

test('gateway requests: counted by operation and status, latency observed, bytes summed; a dropped connection is 499', async () => {
  recordGatewayRequest({ operation: 'PutObject', status: 200, seconds: 0.02, bytesReceived: 1000, bytesSent: 300 });
  recordGatewayRequest({ operation: 'PutObject', status: 200, seconds: 0.03, bytesReceived: 24, bytesSent: 300 });
  recordGatewayRequest({ operation: 'GetObject', status: 0, seconds: 1, bytesReceived: 0, bytesSent: 10 });
  const count = await values('zonestore_gateway_requests_total');
  assert.equal(count.find((v) => v.labels.operation === 'PutObject' && v.labels.status === '200')?.value, 2);
  assert.equal(count.find((v) => v.labels.operation === 'GetObject' && v.labels.status === '499')?.value, 1);
  const inBytes = await values('zonestore_gateway_received_bytes_total');
  assert.equal(inBytes.find((v) => v.labels.operation === 'PutObject')?.value, 1024);
  const hist = await values('zonestore_gateway_request_duration_seconds');
  const sum = hist.find((v) => v.metricName === 'zonestore_gateway_request_duration_seconds_sum' && v.labels.operation === 'PutObject');
  assert.ok(Math.abs(sum!.value - 0.05) < 1e-9);
  const le = hist.find((v) => v.metricName === 'zonestore_gateway_request_duration_seconds_bucket' && v.labels.operation === 'PutObject' && v.labels.le === 0.025);
  assert.equal(le?.value, 1);
});

test('raft: gauges read the registered replica at scrape time, and stop when it is removed', async () => {
  let status = { term: 3, isLeader: true, leader: 'meta-1', commit: 40, applied: 39, voters: 3 };
  const remove = raftSources.add('meta-1', () => status);
  raftSources.add('meta-2', () => ({ term: 3, isLeader: false, leader: '', commit: 38, applied: 38, voters: 3 }));
  assert.deepEqual((await values('zonestore_raft_is_leader')).map((v) => [v.labels.replica, v.value]), [['meta-1', 1], ['meta-2', 0]]);
  assert.deepEqual((await values('zonestore_raft_has_leader')).map((v) => [v.labels.replica, v.value]), [['meta-1', 1], ['meta-2', 0]]);
  status = { ...status, term: 4, commit: 41 };
  assert.equal((await values('zonestore_raft_term')).find((v) => v.labels.replica === 'meta-1')?.value, 4);
  assert.equal((await values('zonestore_raft_commit_index')).find((v) => v.labels.replica === 'meta-1')?.value, 41);
  remove();
  assert.deepEqual((await values('zonestore_raft_term')).map((v) => v.labels.replica), ['meta-2']);
  const observer = raftObserverFor('meta-2');
  observer.leaderChanged();
  observer.leaderChanged();
  observer.proposalFinished(0.004, true);
  observer.proposalFinished(10, false);
  assert.equal((await values('zonestore_raft_leader_changes_total')).find((v) => v.labels.replica === 'meta-2')?.value, 2);
  const counts = (await values('zonestore_raft_proposal_duration_seconds')).filter((v) => v.metricName?.endsWith('_count'));
  assert.deepEqual(counts.map((v) => [v.labels.outcome, v.value]).sort(), [['applied', 1], ['failed', 1]]);
});

test('data nodes: capacity, use and scrub counters come from the registered node; chunk latencies by outcome', async () => {
  const remove = dataNodeSources.add('zone-1-data-1', {
    usage: async () => ({ capacityBytes: 1000, usedBytes: 900, chunkCount: 7, readDamageFound: 1 }),
    scrub: () => ({ passesCompleted: 2, chunksChecked: 14, bytesChecked: 1800, corruptFound: 1, missingFound: 0, lastPassFinishedUnixMs: 5000 }),
  });
  assert.equal((await values('zonestore_data_node_used_bytes'))[0]?.value, 900);
  assert.equal((await values('zonestore_data_node_capacity_bytes'))[0]?.value, 1000);
  assert.equal((await values('zonestore_scrub_corrupt_chunks_total'))[0]?.value, 1);
  assert.equal((await values('zonestore_scrub_checked_chunks_total'))[0]?.value, 14);
  assert.equal((await values('zonestore_scrub_last_pass_timestamp_seconds'))[0]?.value, 5);
  // Counters taken from the scrubber's totals are not added up across scrapes.
  assert.equal((await values('zonestore_scrub_corrupt_chunks_total'))[0]?.value, 1);
  recordChunkWrite('zone-1-data-1', 0.01, true);
  recordChunkRead('zone-1-data-1', 0.002, false);
  const reads = (await values('zonestore_chunk_read_duration_seconds')).filter((v) => v.metricName?.endsWith('_count'));
  assert.deepEqual(reads.map((v) => [v.labels.node, v.labels.outcome, v.value]), [['zone-1-data-1', 'error', 1]]);
  remove();
  assert.deepEqual(await values('zonestore_data_node_used_bytes'), []);
});

test('repair, KMS and access-log lag', async () => {
  const remove = repairSources.add('zone-2', () => ({
    queued: 3, passes: 5, failedPasses: 1, rebuiltShards: 4, rebuiltBytes: 4096, objectsChecked: 50,
    degradedShards: 2, degradedObjects: 1, lastPassFinishedUnixMs: 10_000,
  }));
  assert.equal((await values('zonestore_repair_queue_length'))[0]?.value, 3);
  assert.equal((await values('zonestore_degraded_objects'))[0]?.value, 1);
  assert.equal((await values('zonestore_repair_rebuilt_bytes_total'))[0]?.value, 4096);
  assert.equal((await values('zonestore_repair_last_pass_timestamp_seconds'))[0]?.labels.zone, 'zone-2');
  remove();
  recordKmsCall('GenerateDataKey', 'ok');
  recordKmsCall('Decrypt', 'NotFoundException');
  const kms = await values('zonestore_kms_requests_total');
  assert.deepEqual(kms.map((v) => [v.labels.operation, v.labels.outcome, v.value]).sort(),
    [['Decrypt', 'NotFoundException', 1], ['GenerateDataKey', 'ok', 1]]);
  assert.equal((await values('zonestore_access_log_delivery_lag_seconds'))[0]?.value, 0);
  setAccessLogDeliveryLag(42);
  assert.equal((await values('zonestore_access_log_delivery_lag_seconds'))[0]?.value, 42);
  setAccessLogDeliveryLag(-1);
  assert.equal((await values('zonestore_access_log_delivery_lag_seconds'))[0]?.value, 0);
});
