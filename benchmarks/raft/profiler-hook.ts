// Preloaded into kv nodes (`node --import tsx --import <this>`) in --profile mode. SIGUSR2
// starts V8's sampling profiler, the next SIGUSR2 stops it and writes a .cpuprofile (the same
// format `node --cpu-prof` writes). Why not plain --cpu-prof: it only writes on a clean exit of
// a process we don't own, and it would mix start-up, tsx compilation and every cell; toggling
// lets the runner profile exactly the measured window of one cell.
import { Session } from 'node:inspector';
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const PROFILE_DIR_ENV = 'ZONESTORE_BENCH_PROFILE_DIR';

/** Name of the n-th profile a process writes (the runner polls for it). */
export function profileFileName(pid: number, n: number): string {
  return `${pid}-${n}.cpuprofile`;
}

const profileDir = process.env[PROFILE_DIR_ENV];
if (profileDir) installToggle(profileDir);

function installToggle(dir: string): void {
  const session = new Session();
  session.connect();
  let profiling = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (err, result) => {
      if (err) {
        process.stderr.write(`profiler-hook: stop failed: ${err.message}\n`);
        return;
      }
      const file = join(dir, profileFileName(process.pid, written++));
      // write-then-rename so the runner never reads a half-written profile
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  });
}
