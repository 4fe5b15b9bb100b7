// The shared tail of every service process entry (kv node, meta replica, data node, zone):
// announce readiness on stdout, stop cleanly once on SIGTERM/SIGINT, and optionally stop when
// the launching process dies.
import type { Logger } from 'pino';

/** Set by launchers (tests, `zonestore up`) in a child's environment: exit with the parent. */
export const EXIT_WITH_PARENT_ENV = 'ZONESTORE_EXIT_WITH_PARENT';
const PARENT_CHECK_INTERVAL_MS = 1_000;

export interface ServeOptions {
  log: Logger;
  /** Printed as `READY <json>` on stdout: launchers wait for this line. */
  ready: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Wire signals and parent-death to one clean `stop()`, then announce readiness. */
export function serveUntilSignalled({ log, ready, stop }: ServeOptions): void {
  let stopping = false;
  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    stop().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'unclean stop');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (process.env[EXIT_WITH_PARENT_ENV] === '1') {
    // If the launcher dies without stopping us (SIGKILL, a crashed test runner), we are
    // re-parented; stop rather than linger holding ports.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown('parent exited');
    }, PARENT_CHECK_INTERVAL_MS).unref();
  }
  process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
}
