// deploy/prometheus/ through Debian's promtool (package `prometheus`, installed when missing):
// the alert rules are valid (`promtool check rules`), behave as their unit tests say
// (`promtool test rules zonestore-alerts.test.yml`), and the scrape configs are valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrometheusPackage, PROMTOOL } from '../../integration/metrics/prometheus-package.ts';

const DIR = fileURLToPath(new URL('../../../deploy/prometheus/', import.meta.url));
const PROMTOOL_TIMEOUT_MS = 60_000;

const skipReason = ensurePrometheusPackage();
if (skipReason) console.log(`# promtool tests skipped: ${skipReason}`);

function promtool(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { cwd: DIR, encoding: 'utf8', timeout: PROMTOOL_TIMEOUT_MS });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('promtool check rules: the alert rules are valid', { skip: skipReason }, () => {
  const r = promtool('check', 'rules', 'zonestore-alerts.yml');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS: \d+ rules found/);
});

test('promtool test rules: every alert fires on its situation and not on a healthy cluster', { skip: skipReason }, () => {
  const r = promtool('test', 'rules', 'zonestore-alerts.test.yml');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS/);
});

test('the alerts the issue names are all there', { skip: skipReason }, () => {
  const text = readFileSync(join(DIR, 'zonestore-alerts.yml'), 'utf8');
  for (const name of ['ZonestoreLeaderMissing', 'ZonestoreZoneDown', 'ZonestoreQuorumAtRisk', 'ZonestoreDegradedObjects',
    'ZonestoreRepairStalled', 'ZonestoreDiskAlmostFull', 'ZonestoreHighErrorRate', 'ZonestoreAccessLogDeliveryLag']) {
    assert.match(text, new RegExp(`alert: ${name}\\n`), name);
  }
});

test('promtool check config: the local and compose scrape configs are valid', { skip: skipReason }, () => {
  assert.equal(promtool('check', 'config', 'prometheus-local.yml').code, 0);
  // The compose file names the rules where its container mounts them: check a copy pointing here.
  const tmp = mkdtempSync(join(tmpdir(), 'zs-promconf-'));
  try {
    copyFileSync(join(DIR, 'zonestore-alerts.yml'), join(tmp, 'zonestore-alerts.yml'));
    const compose = readFileSync(join(DIR, 'prometheus-compose.yml'), 'utf8').replace('/etc/prometheus/zonestore-alerts.yml', join(tmp, 'zonestore-alerts.yml'));
    writeFileSync(join(tmp, 'prometheus.yml'), compose);
    const r = promtool('check', 'config', join(tmp, 'prometheus.yml'));
    assert.equal(r.code, 0, r.out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
