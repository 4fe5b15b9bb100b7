// Pieces of the local-cluster tests: a three-zone plan on free ports in a fresh temp dir, the
// real `zonestore` CLI run as a child process (bounded), and bounded waiting.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../services/common/free-ports.ts';
import { zoneHosts } from '../../../services/cli/zone/zone-hosts.ts';
import { planZones, type ZonePorts, type ZoneSpec } from '../../../services/cli/zone/zone-layout.ts';
import type { ClusterReport } from '../../../services/cli/status/cluster-health.ts';

export const CLI_ENTRY = fileURLToPath(new URL('../../../services/cli/main.ts', import.meta.url));
/** One CLI run: tsx start-up plus a few RPCs with their own short deadlines. */
export const CLI_TIMEOUT_MS = 30_000;

/** A plan of `zones` zones with meta on free ports and data nodes on port 0. */
export async function freePortPlan(zones: number, dataNodesPerZone: number): Promise<{ root: string; specs: ZoneSpec[] }> {
  const root = mkdtempSync(join(tmpdir(), 'zs-cluster-it-'));
  const hosts = await zoneHosts(zones);
  // One batch per distinct host, so a shared 127.0.0.1 never hands out a port twice.
  const pool = new Map<string, number[]>();
  for (const host of new Set(hosts)) pool.set(host, await freePorts(2 * hosts.filter((h) => h === host).length, host));
  const ports: ZonePorts[] = hosts.map((host) => {
    const [metaApi, metaRaft] = pool.get(host)!.splice(0, 2) as [number, number];
    return { metaApi, metaRaft, dataNodes: Array.from({ length: dataNodesPerZone }, () => 0) };
  });
  return { root, specs: planZones({ root, hosts, ports }) };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, killed (and rejected) after `timeoutMs`. */
export function runBounded(command: string, args: string[], o: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: no exit within ${o.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, o.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `zonestore <args>`; killed (and rejected) after CLI_TIMEOUT_MS. */
export function runCli(args: string[]): Promise<CliResult> {
  return runBounded(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { timeoutMs: CLI_TIMEOUT_MS });
}

/** `zonestore status --json` against these meta addresses: the report and the exit code. */
export async function cliStatus(endpoints: readonly string[]): Promise<{ code: number | null; report: ClusterReport }> {
  const r = await runCli(['status', '--json', ...endpoints.flatMap((e) => ['--endpoint', e])]);
  try {
    return { code: r.code, report: JSON.parse(r.stdout) as ClusterReport };
  } catch {
    throw new Error(`status printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, pauseMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
