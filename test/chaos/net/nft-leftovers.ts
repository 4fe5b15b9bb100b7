// The safety net for tables whose owner never called stop: a failed test's teardown, an uncaught
// error, a Ctrl-C. While any of this process's tables exist, an 'exit' handler (and SIGINT /
// SIGTERM / SIGHUP handlers, which would otherwise end the process without 'exit') deletes them
// synchronously. A signal handler that is the only listener re-raises the signal once the tables
// are gone, so the process still dies the way it would have; with other listeners (a harness
// shutting down gracefully) it leaves the decision to them. SIGKILL cannot be caught: a table
// then stays until deleted by hand (`nft delete table ip <name>`; names start with
// zonestore_chaos_ and carry the pid).
import { runNftSync } from './nft-exec.ts';
import { deleteTableArgs } from './nft-rules.ts';

/** Per table at exit: one bounded `nft delete table`. */
const EXIT_DELETE_TIMEOUT_MS = 2_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const liveTables = new Set<string>();

function deleteLeftoverTables(): void {
  for (const table of liveTables) runNftSync(deleteTableArgs(table), EXIT_DELETE_TIMEOUT_MS);
  liveTables.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  deleteLeftoverTables();
  const alone = process.listenerCount(signal) === 1;
  uninstall();
  if (alone) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', deleteLeftoverTables);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  process.off('exit', deleteLeftoverTables);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Call once the table exists. */
export function trackTable(table: string): void {
  if (liveTables.size === 0) install();
  liveTables.add(table);
}

/** Call once the table is gone. */
export function untrackTable(table: string): void {
  if (liveTables.delete(table) && liveTables.size === 0) uninstall();
}
