// The local cluster as real processes: three zone processes (meta replica + three data nodes
// each) on free ports, judged by the real `zonestore status` CLI.
// - all three zones, a leader and nine healthy data nodes;
// - SIGKILL the zone holding the meta leader: a new leader, and the dead zone's data nodes
//   DOWN, within a bounded time; restart it: healthy again;
// - `zonestore up` itself: healthy, found by `status --data-dir`, and Ctrl-C (SIGTERM) stops
//   every zone.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { collectClusterReport } from '../../../services/cli/status/cluster-report.ts';
import type { ClusterReport } from '../../../services/cli/status/cluster-health.ts';
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import { zoneHosts } from '../../../services/cli/zone/zone-hosts.ts';
import { ZONE_PORT_STRIDE, fixedZonePorts, planZones, plannedDataNodeIds } from '../../../services/cli/zone/zone-layout.ts';
import { takenAddresses } from '../../../services/cli/zone/zone-port-check.ts';
import { CLI_ENTRY, cliStatus, freePortPlan, runCli, waitFor } from './cluster-fixture.ts';

const TEST_TIMEOUT_MS = 120_000;
/** Short heartbeats so a dead zone shows within seconds (defaults: 1 s / 5 s). */
const REPORT_INTERVAL_MS = 250;
const REPORT_TIMEOUT_MS = 1_500;
const ZONE_ARGS = ['--tick-ms', '50', '--report-interval-ms', String(REPORT_INTERVAL_MS), '--report-timeout-ms', String(REPORT_TIMEOUT_MS)];
const HEALTHY_LIMIT_MS = 30_000;
/** Election (0.5–1 s at 50 ms ticks) + the new leader's grace (one timeout) + a sweep, with room for a loaded machine. */
const FAILOVER_LIMIT_MS = 20_000;
const UP_BANNER = 'The cluster is up';
const UP_LIMIT_MS = 60_000;
const UP_STOP_LIMIT_MS = 30_000;
const BASE_PORT_ATTEMPTS = 20;

const cleanups: Array<() => Promise<void> | void> = [];
// Runs even when a test times out: no child outlives the suite.
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function healthyWithAll(report: ClusterReport, zones: number, dataNodes: number): boolean {
  return report.healthy && report.zones.length === zones && report.dataNodes?.length === dataNodes && report.leader !== undefined;
}

test('three zone processes: healthy; losing the leader\'s zone is seen; it comes back', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { root, specs } = await freePortPlan(3, 3);
  const cluster = new LocalZoneCluster(specs, { extraArgs: ZONE_ARGS });
  cleanups.push(() => cluster.stopAll(), () => rmSync(root, { recursive: true, force: true }));
  const endpoints = cluster.metaApiAddresses;
  const expectedDataNodes = plannedDataNodeIds(specs);
  const logs = () => specs.map((s) => `--- ${s.zone}\n${cluster.process(s.zone)?.logTail().slice(-15).join('\n')}`).join('\n');
  try {
    const started = Date.now();
    await cluster.startAll();
    await waitFor('a healthy cluster', async () => (await collectClusterReport(endpoints, { expectedDataNodes })).healthy, HEALTHY_LIMIT_MS);
    t.diagnostic(`healthy ${Date.now() - started} ms after spawning the zones`);

    const first = await cliStatus(endpoints);
    assert.equal(first.code, 0, `status exit code, problems: ${first.report.problems.join('; ')}`);
    assert.deepEqual(first.report.zones, ['zone-1', 'zone-2', 'zone-3']);
    assert.ok(first.report.leader, 'a leader');
    assert.equal(first.report.replicas.filter((r) => r.reachable).length, 3);
    assert.equal(first.report.dataNodes?.length, 9);
    assert.ok(first.report.dataNodes.every((n) => n.health === 'up' && n.capacityBytes > 0), 'nine healthy data nodes with capacity');

    const leaderZone = first.report.leader.zone!;
    const oldLeader = first.report.leader.id;
    await cluster.kill(leaderZone, 'SIGKILL');
    const killedAt = Date.now();
    const degraded = await waitFor('a new leader and the dead zone\'s data nodes DOWN', async () => {
      const r = await collectClusterReport(endpoints);
      const deadNodes = r.dataNodes?.filter((n) => n.zone === leaderZone) ?? [];
      return r.leader && r.leader.id !== oldLeader && deadNodes.length === 3 && deadNodes.every((n) => n.health === 'down') ? r : undefined;
    }, FAILOVER_LIMIT_MS);
    t.diagnostic(`new leader ${degraded.leader?.id}; ${leaderZone}'s data nodes DOWN ${Date.now() - killedAt} ms after the kill`);

    const down = await cliStatus(endpoints);
    assert.equal(down.code, 1, 'status exits 1 while a zone is down');
    assert.ok(down.report.leader && down.report.leader.id !== oldLeader, `a new leader: ${JSON.stringify(down.report.leader)}`);
    assert.equal(down.report.replicas.find((r) => r.id === oldLeader)?.reachable, false, 'the dead replica does not answer');
    const byZone = (zone: string, health: string) => down.report.dataNodes?.filter((n) => n.zone === zone && n.health === health).length;
    assert.equal(byZone(leaderZone, 'down'), 3, 'the dead zone\'s data nodes are DOWN');
    for (const s of specs.filter((x) => x.zone !== leaderZone)) assert.equal(byZone(s.zone, 'up'), 3, `${s.zone} stays up`);

    await cluster.start(leaderZone);
    const restartedAt = Date.now();
    await waitFor('the restarted zone to be healthy', async () => (await collectClusterReport(endpoints, { expectedDataNodes })).healthy, HEALTHY_LIMIT_MS);
    t.diagnostic(`healthy again ${Date.now() - restartedAt} ms after the restarted zone was ready`);
    const back = await cliStatus(endpoints);
    assert.equal(back.code, 0, `status exit code, problems: ${back.report.problems.join('; ')}`);
    assert.ok(healthyWithAll(back.report, 3, 9));
  } catch (err) {
    t.diagnostic(logs());
    throw err;
  }
});

/** A base port whose whole layout is free right now (a small race remains until `up` binds). */
async function freeBasePort(zones: number, root: string): Promise<number> {
  const hosts = await zoneHosts(zones);
  for (let i = 0; i < BASE_PORT_ATTEMPTS; i++) {
    const base = 20_000 + ZONE_PORT_STRIDE * Math.floor(Math.random() * 3_000);
    // Gateways take base, base+1, base+2: zone 0's range, which no zone uses.
    const specs = planZones({ root, hosts, ports: hosts.map((_, z) => fixedZonePorts(base, z + 1, 3, base + z)) });
    if ((await takenAddresses(specs)).length === 0) return base;
  }
  throw new Error(`no free port range in ${BASE_PORT_ATTEMPTS} tries`);
}

test('zonestore up: healthy, found by `status --data-dir`, and SIGTERM stops every zone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'zs-up-it-'));
  const basePort = await freeBasePort(3, root);
  const up: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'up', '--data-dir', root, '--base-port', String(basePort), '--gateway-port', String(basePort)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => up.once('close', (code, signal) => resolve(signal ?? code ?? -1)));
  cleanups.push(async () => {
    if (up.exitCode === null && up.signalCode === null) {
      up.kill('SIGTERM');
      const timer = setTimeout(() => up.kill('SIGKILL'), UP_STOP_LIMIT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  });
  const output: string[] = [];
  const bannerSeen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${UP_BANNER}" within ${UP_LIMIT_MS} ms`)), UP_LIMIT_MS);
    createInterface({ input: up.stdout! }).on('line', (l) => {
      output.push(l);
      if (l.startsWith(UP_BANNER)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`up exited (${how}) before it was up`));
    });
  });
  createInterface({ input: up.stderr! }).on('line', (l) => output.push(l));
  try {
    const started = Date.now();
    await bannerSeen;
    t.diagnostic(`up printed its banner ${Date.now() - started} ms after spawn`);
    const endpoint = output.find((l) => l.startsWith('S3 endpoint:'));
    assert.match(endpoint ?? '', /^S3 endpoint: +http:\/\/127\.0\.0\.\d+:\d+ /, 'prints the S3 endpoint');
    assert.ok(output.some((l) => /^Access key: +ZS[A-Z2-7]{18}$/.test(l)), 'prints the access key');
    assert.ok(output.some((l) => /^Secret key: +\S{40}$/.test(l)), 'prints the secret key');

    const status = await runCli(['status', '--data-dir', root]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /cluster {2}healthy/);
    assert.match(status.stdout, /data nodes \(9\)/);

    up.kill('SIGTERM');
    const how = await waitFor('up to exit', async () => (up.exitCode !== null || up.signalCode !== null ? exited : undefined), UP_STOP_LIMIT_MS);
    assert.equal(how, 0, output.join('\n'));
    const hosts = await zoneHosts(3);
    const specs = planZones({ root, hosts, ports: hosts.map((_, z) => fixedZonePorts(basePort, z + 1, 3, basePort + z)) });
    assert.deepEqual(await takenAddresses(specs), [], 'every zone stopped and released its ports');
  } catch (err) {
    t.diagnostic(output.slice(-40).join('\n'));
    throw err;
  }
});
