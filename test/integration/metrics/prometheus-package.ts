// Debian's `prometheus` package (prometheus and promtool), installed by the tests that need it
// when missing, as test/clients/aws-cli.test.ts does with awscli (CI runs as root).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
const APT_TIMEOUT_MS = 300_000;

/** Undefined when both binaries are there (installing them if needed), else why they cannot be. */
export function ensurePrometheusPackage(): string | undefined {
  if (existsSync(PROMETHEUS) && existsSync(PROMTOOL)) return undefined;
  if (process.getuid?.() !== 0) return `${PROMTOOL} is missing and installing Debian's prometheus package needs root`;
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', timeout: APT_TIMEOUT_MS,
  });
  if (existsSync(PROMETHEUS) && existsSync(PROMTOOL)) return undefined;
  return `apt-get install prometheus failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(-500)}`;
}
