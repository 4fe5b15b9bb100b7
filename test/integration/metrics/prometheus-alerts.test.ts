// A real Prometheus (Debian's package, installed when missing) scrapes a real three-zone local
// cluster every second with deploy/prometheus/zonestore-alerts.yml loaded; SIGKILL one zone
// process and its ZonestoreZoneDown alert fires (after the rule's `for: 30s`) as
// Prometheus's HTTP API (/api/v1/alerts) reports it, while the other zones raise no zone-down.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../services/common/free-ports.ts';
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import type { ZoneReady } from '../../../services/cli/zone/zone-launcher.ts';
import { freePortPlan, waitFor } from '../cluster/cluster-fixture.ts';
import { ensurePrometheusPackage, PROMETHEUS } from './prometheus-package.ts';

const SUITE_TIMEOUT_MS = 240_000;
const PROMETHEUS_READY_MS = 30_000;
const TARGETS_UP_MS = 60_000;
/** The rule's `for: 30s`, plus scrape and evaluation steps and a loaded machine's slack. */
const ALERT_FIRES_MS = 90_000;
const HTTP_TIMEOUT_MS = 5_000;
const RULES = fileURLToPath(new URL('../../../deploy/prometheus/zonestore-alerts.yml', import.meta.url));
const ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', '250', '--report-timeout-ms', '1500'];

const skipReason = ensurePrometheusPackage();
if (skipReason) console.log(`# Prometheus alert test skipped: ${skipReason}`);

let cluster: LocalZoneCluster | undefined;
let root: string | undefined;
let zones: ZoneReady[] = [];
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let prometheusLog = '';

interface PromAlert { labels: Record<string, string>; state: string }

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${prometheusUrl}${path}`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  const body = await res.json() as { status: string; data: T };
  assert.equal(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
  return body.data;
}

before(async () => {
  if (skipReason) return;
  const plan = await freePortPlan(3, 3);
  root = plan.root;
  cluster = new LocalZoneCluster(plan.specs, { extraArgs: ZONE_ARGS });
  zones = await cluster.startAll();

  const dir = join(root, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'zonestore-alerts.yml'), readFileSync(RULES));
  const targets = zones.map((z) => `      - targets: ['${new URL(z.gateway.url).host}']\n        labels: { zone: ${z.zone} }`).join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1s',
    'rule_files:', `  - ${join(dir, 'zonestore-alerts.yml')}`,
    'scrape_configs:', '  - job_name: zonestore-zone', '    metrics_path: /_zonestore/metrics', '    static_configs:', targets, '',
  ].join('\n'));
  const [port] = await freePorts(1, '127.0.0.1');
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  prometheus.stderr!.on('data', (d: Buffer) => { prometheusLog = (prometheusLog + d.toString()).slice(-4000); });
  await waitFor('Prometheus ready', async () => (await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).ok, PROMETHEUS_READY_MS, 250)
    .catch((err: Error) => { throw new Error(`${err.message}\n${prometheusLog}`); });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((r) => prometheus!.once('exit', r));
    prometheus.kill('SIGKILL');
    await exited;
  }
  await cluster?.stopAll();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('killing a zone process fires ZonestoreZoneDown for that zone through Prometheus', { skip: skipReason, timeout: SUITE_TIMEOUT_MS }, async (t) => {
  await waitFor('all three zones scraped up', async () => {
    const r = await api<{ result: Array<{ metric: { zone: string }; value: [number, string] }> }>(
      `/api/v1/query?query=${encodeURIComponent('up{job="zonestore-zone"}')}`);
    return r.result.length === 3 && r.result.every((s) => s.value[1] === '1');
  }, TARGETS_UP_MS, 500);
  const rules = await api<{ groups: Array<{ rules: Array<{ name: string; health: string }> }> }>('/api/v1/rules');
  const loaded = rules.groups.flatMap((g) => g.rules);
  assert.ok(loaded.some((r) => r.name === 'ZonestoreZoneDown'), 'the zone-down rule is loaded');
  assert.ok(loaded.every((r) => r.health !== 'err'), `no rule fails to evaluate: ${JSON.stringify(loaded.filter((r) => r.health === 'err'))}`);
  const before = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
  assert.deepEqual(before.alerts.filter((a) => a.labels.alertname === 'ZonestoreZoneDown'), [], 'no zone down while all run');

  const victim = zones[2]!.zone;
  await cluster!.kill(victim, 'SIGKILL');
  const killedAt = Date.now();
  const firing = await waitFor(`ZonestoreZoneDown firing for ${victim}`, async () => {
    const { alerts } = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
    const down = alerts.filter((a) => a.labels.alertname === 'ZonestoreZoneDown');
    return down.some((a) => a.state === 'firing') ? down : undefined;
  }, ALERT_FIRES_MS, 1000);
  t.diagnostic(`ZonestoreZoneDown firing ${Date.now() - killedAt} ms after the kill`);
  assert.deepEqual(firing.map((a) => [a.labels.zone, a.labels.severity, a.state]), [[victim, 'critical', 'firing']]);
  // Two of three meta replicas left: the quorum-at-risk rule sees it too (pending or firing).
  const { alerts } = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
  assert.ok(alerts.some((a) => a.labels.alertname === 'ZonestoreQuorumAtRisk'), `quorum at risk raised: ${JSON.stringify(alerts.map((a) => a.labels.alertname))}`);
});
