// The image's entry, built the way deploy/Dockerfile builds it (esbuild, one ES module, packages
// external), into a fresh folder under node_modules/.cache so its imports resolve against this
// checkout's node_modules. Tests spawn `node <bundle> zone …` exactly as the container runs it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SERVER_ENTRY = join(REPO_ROOT, 'services', 'cli', 'roles', 'server-main.ts');
const BUNDLE_TIMEOUT_MS = 60_000;

export interface ServerBundle {
  file: string;
  remove(): void;
}

export function buildServerBundle(): ServerBundle {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'zonestore-server-'));
  const file = join(dir, 'zonestore.mjs');
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [
    SERVER_ENTRY, '--bundle', '--platform=node', '--format=esm', '--target=node20', '--packages=external',
    '--log-level=warning', `--outfile=${file}`,
  ], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: BUNDLE_TIMEOUT_MS });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
