// A real three-zone local cluster (what `zonestore up` runs) scraped over HTTP on each zone's
// gateway (/_zonestore/metrics): every zone process exports its meta replica's Raft metrics,
// its data nodes', its repair worker's and its gateway's request metrics in one registry; the
// requests made here are counted by operation and status. Then the Grafana dashboard and the
// alert rules only name metrics the cluster exports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import type { ZoneReady } from '../../../services/cli/zone/zone-launcher.ts';
import { DEFAULT_REGION } from '../../../services/gateway/gateway.ts';
import { freePortPlan, waitFor } from '../cluster/cluster-fixture.ts';
import { exportedMetrics, sampleValue, zonestoreNamesIn } from './exported-metrics.ts';

const SUITE_TIMEOUT_MS = 180_000;
const READY_LIMIT_MS = 60_000;
const SCRAPE_TIMEOUT_MS = 10_000;
const ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', '250', '--report-timeout-ms', '1500', '--repair-interval-ms', '1000'];

let cluster: LocalZoneCluster;
let root: string;
let zones: ZoneReady[];

before(async () => {
  const plan = await freePortPlan(3, 3);
  root = plan.root;
  cluster = new LocalZoneCluster(plan.specs, { extraArgs: ZONE_ARGS });
  zones = await cluster.startAll();
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await cluster?.stopAll();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function scrape(zone: ZoneReady): Promise<string> {
  const res = await fetch(`${zone.gateway.url}/_zonestore/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return res.text();
}

test('each zone process exports its replica, data nodes, repair worker and gateway in one scrape', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { credentials } = cluster.rootCredentials();
  const s3 = new S3Client({ endpoint: zones[0]!.gateway.url, region: DEFAULT_REGION, forcePathStyle: true, credentials });
  try {
    await waitFor('a bucket created (a leader elected)', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'metrics-it' }));
      return true;
    }, READY_LIMIT_MS, 500);
    const body = Buffer.alloc(300_000, 7);
    await s3.send(new PutObjectCommand({ Bucket: 'metrics-it', Key: 'k', Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: 'metrics-it', Key: 'sse', Body: 'secret', ServerSideEncryption: 'AES256' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'metrics-it', Key: 'k' }));
    assert.equal((await got.Body!.transformToByteArray()).length, body.length);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'metrics-it', Key: 'missing' })));
  } finally {
    s3.destroy();
  }

  // Exactly one leader across the zones, all on one term, every replica knowing it.
  const texts = await waitFor('every zone agreeing on one leader', async () => {
    const t = await Promise.all(zones.map(scrape));
    const leaders = t.map((x, i) => sampleValue(x, 'zonestore_raft_is_leader', { replica: zones[i]!.meta.id }));
    return leaders.filter((v) => v === 1).length === 1 && leaders.every((v) => v !== undefined) ? t : undefined;
  }, READY_LIMIT_MS, 500);
  for (const [i, zone] of zones.entries()) {
    const text = texts[i]!;
    const replica = { replica: zone.meta.id };
    const raftLines = text.split('\n').filter((l) => l.startsWith('zonestore_raft') && !l.includes('_bucket')).join('\n');
    assert.ok(sampleValue(text, 'zonestore_raft_term', replica)! >= 1, `${zone.zone}: a term\n${raftLines}`);
    assert.equal(sampleValue(text, 'zonestore_raft_has_leader', replica), 1, raftLines);
    assert.equal(sampleValue(text, 'zonestore_raft_voters', replica), 3, raftLines);
    assert.ok(sampleValue(text, 'zonestore_raft_commit_index', replica)! >= sampleValue(text, 'zonestore_raft_applied_index', replica)!, raftLines);
    assert.ok(sampleValue(text, 'zonestore_raft_applied_index', replica)! > 0, raftLines);
    assert.ok(sampleValue(text, 'zonestore_raft_leader_changes_total', replica)! >= 1, `${zone.zone}: saw the first leader\n${raftLines}`);
    for (const node of zone.dataNodes) {
      assert.ok(sampleValue(text, 'zonestore_data_node_capacity_bytes', { node: node.id })! > 0, `${node.id} capacity`);
      assert.ok(sampleValue(text, 'zonestore_data_node_used_bytes', { node: node.id }) !== undefined, `${node.id} used`);
      assert.ok(sampleValue(text, 'zonestore_scrub_passes_total', { node: node.id }) !== undefined, `${node.id} scrub`);
    }
    assert.ok(sampleValue(text, 'zonestore_repair_queue_length', { zone: zone.zone }) !== undefined, `${zone.zone} repair worker`);
    assert.ok(sampleValue(text, 'process_cpu_seconds_total') !== undefined);
    assert.equal(sampleValue(text, 'zonestore_access_log_delivery_lag_seconds') !== undefined, true);
  }
  const z1 = texts[0]!;
  const gatewayLines = z1.split('\n').filter((l) => l.startsWith('zonestore_gateway') && !l.includes('_bucket')).join('\n');
  assert.ok(sampleValue(z1, 'zonestore_gateway_requests_total', { operation: 'PutObject', status: '200' })! >= 1, gatewayLines);
  assert.ok(sampleValue(z1, 'zonestore_gateway_requests_total', { operation: 'GetObject', status: '404' })! >= 1);
  assert.ok(sampleValue(z1, 'zonestore_gateway_request_duration_seconds_count', { operation: 'GetObject', status: '200' })! >= 1);
  assert.ok(sampleValue(z1, 'zonestore_gateway_received_bytes_total', { operation: 'PutObject' })! >= 300_000, 'the PUT body counted in');
  assert.ok(sampleValue(z1, 'zonestore_gateway_sent_bytes_total', { operation: 'GetObject' })! >= 300_000, 'the GET body counted out');
  assert.ok(sampleValue(z1, 'zonestore_kms_requests_total', { operation: 'SseGenerateServiceDataKey', outcome: 'ok' })! >= 1, 'the SSE-S3 PUT asked the KMS for a data key');
  // The PUT wrote shards in process (zone-1's own nodes) and over gRPC (the others').
  const writes = (text: string, zone: ZoneReady): number => zone.dataNodes
    .map((n) => sampleValue(text, 'zonestore_chunk_write_duration_seconds_count', { node: n.id, outcome: 'ok' }) ?? 0).reduce((a, b) => a + b, 0);
  assert.ok(writes(z1, zones[0]!) >= 1, 'zone-1 nodes timed chunk writes (in process)');
  assert.ok(writes(texts[1]!, zones[1]!) >= 1, 'zone-2 nodes timed chunk writes (over gRPC)');
  const leaderText = texts.find((x, i) => sampleValue(x, 'zonestore_raft_is_leader', { replica: zones[i]!.meta.id }) === 1)!;
  assert.ok(sampleValue(leaderText, 'zonestore_raft_proposal_duration_seconds_count', { outcome: 'applied' })! >= 1, 'the leader timed proposals');
});

test('the Grafana dashboard and the alert rules name only metrics the cluster exports', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const { names } = exportedMetrics((await Promise.all(zones.map(scrape))).join('\n'));
  const dashboard = JSON.parse(readFileSync(fileURLToPath(new URL('../../../deploy/grafana/zonestore-dashboard.json', import.meta.url)), 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `dashboard panel "${p.title}"`, expr: t.expr })));
  assert.ok(exprs.length >= 20, `${exprs.length} dashboard expressions`);
  const rules = readFileSync(fileURLToPath(new URL('../../../deploy/prometheus/zonestore-alerts.yml', import.meta.url)), 'utf8');
  exprs.push({ where: 'zonestore-alerts.yml', expr: rules });
  for (const { where, expr } of exprs) {
    for (const name of zonestoreNamesIn(expr)) assert.ok(names.has(name), `${where}: ${name} is not exported by the cluster`);
  }
});
