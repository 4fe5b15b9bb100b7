// Debian packages a test needs, installed when missing and we may (CI runs as root): the same
// move test/clients/aws-cli.test.ts makes for awscli, shared by the suites that need a tool.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** apt-get install (and, if that fails, update + install) on a slow mirror, at most. */
export const APT_TIMEOUT_MS = 240_000;

/**
 * Makes sure one of `binaries` exists, installing Debian's `pkg` if none does and we are root.
 * Returns undefined when a binary is there, otherwise why not (for a test's up-front skip).
 * Synchronous so a test file can compute its skip reason before declaring its tests.
 */
export function ensureDebianPackage(pkg: string, binaries: readonly string[]): string | undefined {
  const found = (): boolean => binaries.some((b) => existsSync(b));
  if (found()) return undefined;
  if (process.platform !== 'linux') return `${binaries[0]} is missing and Debian's ${pkg} installs only on Linux`;
  if (process.getuid?.() !== 0) return `${binaries[0]} is missing and installing Debian's ${pkg} needs root`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '-q', '--no-install-recommends', pkg];
  const deadline = Date.now() + APT_TIMEOUT_MS;
  let last = '';
  // Stale or empty package lists make the first install fail; refresh them once and retry.
  for (const args of [install, ['update', '-q'], install]) {
    const timeout = deadline - Date.now();
    if (timeout <= 0) return `apt-get: no time left within ${APT_TIMEOUT_MS} ms to install ${pkg}`;
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    last = `apt-get ${args.join(' ')} exited ${r.signal ?? r.status}: ${(r.stderr || r.stdout || String(r.error ?? '')).slice(-500)}`;
    if (args[0] === 'install' && r.status === 0) break;
    if (args[0] === 'update' && r.status !== 0) break;
  }
  return found() ? undefined : `could not install Debian's ${pkg}: ${last}`;
}
