// `zonestore bench mixed` end to end, as a user runs it: the real CLI as a child process starts
// its own local cluster, runs 5 s of mixed GET/PUT, writes the JSON report and stops every zone.
// Checks the report's shape, zero errors, and that the cluster is gone afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from '../../../services/cli/bench/report-build.ts';

const CLI = fileURLToPath(new URL('../../../services/cli/main.ts', import.meta.url));
/** Cluster start (up to a minute on a loaded machine), pool, 5 s measured, teardown (zones drain ≤ 15 s). */
const RUN_LIMIT_MS = 240_000;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      // SIGTERM first: the CLI stops its zones on it; the zones also exit when their parent dies.
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      reject(new Error(`zonestore ${args.join(' ')}: no exit within ${RUN_LIMIT_MS} ms\n${stdout}\n${stderr}`));
    }, RUN_LIMIT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname, () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
}

test('bench mixed for 5 s against the local cluster: a complete JSON report, zero errors, nothing left running', { timeout: RUN_LIMIT_MS + 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-bench-it-'));
  try {
    const file = join(dir, 'report.json');
    const r = await runCli(['bench', 'mixed', '--duration', '5', '--concurrency', '4', '--size', '1KiB-256KiB', '--json', file, '--no-progress']);
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /p99\.9 ms/, 'the summary table is printed');
    const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
    assert.equal(report.tool, 'zonestore bench');
    assert.equal(report.scenario.name, 'mixed');
    assert.equal(report.scenario.durationS, 5);
    assert.equal(report.scenario.concurrency, 4);
    assert.ok(report.machine.cores >= 1 && report.machine.node.startsWith('v'));
    assert.equal(report.targets.length, 1);
    const t = report.targets[0]!;
    assert.equal(t.kind, 'zonestore-local');
    assert.equal(t.endpoints.length, 3, 'spread over the three zones\' gateways');
    assert.equal(t.errorCount, 0, JSON.stringify(t.errorSamples));
    assert.deepEqual(t.errors, {});
    assert.ok(t.total.ops > 0 && t.total.opsPerSec > 0 && t.total.mibPerSec > 0);
    assert.ok(t.total.seconds >= 5 && t.total.seconds < 30, `${t.total.seconds} s measured`);
    assert.deepEqual(Object.keys(t.byKind).sort(), ['get', 'put']);
    assert.equal(t.byKind.get!.ops + t.byKind.put!.ops, t.total.ops);
    const l = t.total.latencyMs;
    assert.ok(l.p50 > 0 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, JSON.stringify(l));
    assert.deepEqual(t.servers.map((s) => s.name), ['zone-1', 'zone-2', 'zone-3']);
    for (const s of t.servers) assert.ok(s.cpuPercent > 0 && s.peakRssMiB > 10, JSON.stringify(s));
    assert.ok(t.clientCpuPercent > 0);
    assert.ok(t.timeline.length >= 4 && t.timeline.every((p) => p.tS >= 0 && p.opsPerSec >= 0));
    for (const e of t.endpoints) assert.ok(await refused(e), `${e} still answers after the run`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
