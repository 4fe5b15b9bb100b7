// Preloaded into the zone processes in --profile mode (NODE_OPTIONS=--import <this>): the first
// SIGUSR2 starts V8's sampling profiler, the next writes a .cpuprofile and stops it, so the runner
// profiles exactly the cells it wants rather than start-up and prefill (plain --cpu-prof would).
// Plain JavaScript, unlike the rest: NODE_OPTIONS preloads run before tsx is registered, and also
// in tsx's loader thread, where there are no signals to catch.
import { writeFileSync, renameSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.ZONESTORE_GATEWAY_BENCH_PROFILE_DIR;
if (dir && isMainThread) {
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
        process.stderr.write(`zone-profiler-hook: stop failed: ${err.message}\n`);
        return;
      }
      const file = join(dir, `${process.pid}-${written++}.cpuprofile`);
      // Write, then rename: the runner polls for the name and must never read half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  });
  // Tells the runner SIGUSR2 is safe to send: without this handler it would kill the zone.
  writeFileSync(join(dir, `${process.pid}.hooked`), '');
}
