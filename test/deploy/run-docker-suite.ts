// .ci/run's entry for the Docker suite (test/deploy/*.test.ts): starts (or finds) a Docker
// engine, runs the suite against it, stops the engine. When no engine can be had (not root,
// packages not installable, dockerd refusing to start) it says so plainly and exits 0: the
// suite did not run, and the line says why.
//
//   node --import tsx test/deploy/run-docker-suite.ts
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineUnavailable, startDockerEngine } from './docker-engine.ts';
import { REPO_ROOT } from '../integration/deploy/server-bundle.ts';

/** Image build (first run: npm ci in the image) plus the cluster scenarios. */
const SUITE_TIMEOUT_MS = 20 * 60_000;

let engine;
try {
  engine = await startDockerEngine();
} catch (err) {
  if (!(err instanceof EngineUnavailable)) throw err;
  process.stdout.write(`docker suite: NOT RUN — cannot start a Docker engine here: ${err.message}\n`);
  process.exit(0);
}
process.stdout.write(`docker suite: Docker engine at ${engine.host}\n`);
const dir = join(REPO_ROOT, 'test', 'deploy');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f));
let code = 1;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-timeout=${SUITE_TIMEOUT_MS}`, ...files], {
      cwd: REPO_ROOT, env: engine.env, stdio: 'inherit',
    });
    const timer = setTimeout(() => {
      process.stdout.write(`docker suite: over ${SUITE_TIMEOUT_MS / 60_000} min, stopping it\n`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    }, SUITE_TIMEOUT_MS);
    child.once('exit', (c, signal) => {
      clearTimeout(timer);
      resolve(c ?? (signal ? 1 : 1));
    });
  });
} finally {
  await engine.stop();
}
process.exit(code);
