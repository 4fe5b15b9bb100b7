// Stopping a service child process the same way everywhere: SIGTERM for a clean stop, SIGKILL
// if it has not exited within the grace period (a test or launcher never waits forever).
import type { ChildProcess } from 'node:child_process';

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Send `signal` (default SIGKILL) if still running; resolves with how it exited. */
export function killChild<T>(child: ChildProcess, exited: Promise<T>, signal: NodeJS.Signals = 'SIGKILL'): Promise<T> {
  if (isRunning(child)) child.kill(signal);
  return exited;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
export async function stopChild<T>(child: ChildProcess, exited: Promise<T>, graceMs: number): Promise<T> {
  if (!isRunning(child)) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
