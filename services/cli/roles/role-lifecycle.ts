// The shared life of a role process: health endpoints up first, `READY {json}` on stdout once
// it serves, and on SIGTERM/SIGINT (PID 1 in a container gets no default handlers, so both are
// handled explicitly) one graceful stop: readiness fails at once so load balancers stop sending
// new requests, the role's own steps run (hand Raft leadership away, drain requests in flight,
// stop servers in reverse order of start), then the logs are flushed and the process exits 0.
// A stop that overruns its budget exits 1 rather than hang past the orchestrator's grace period.
import type { Logger } from 'pino';
import { pino } from 'pino';
import { HealthServer, type ReadinessCheck } from '../../common/health-server.ts';
import { serveUntilSignalled } from '../../common/process-lifecycle.ts';

/**
 * The whole stop must end within this: under Kubernetes' default 30 s grace period and
 * docker's 10 s stop timeout, with the gateway's own 5 s drain inside it.
 */
export const ROLE_STOP_BUDGET_MS = 9_000;

export function roleLogger(role: string, zone: string, id?: string): Logger {
  // Synchronous writes to stderr: nothing logged is lost when the process exits.
  return pino({ level: process.env.LOG_LEVEL ?? 'info', base: { role, zone, ...(id && { id }) } }, pino.destination({ fd: 2, sync: true }));
}

export interface RunningRole {
  /** Printed after READY; addresses and ids. */
  info: Record<string, unknown>;
  checks: Record<string, ReadinessCheck>;
  /** The role's graceful stop (after readiness already fails). */
  stop(): Promise<void>;
}

export async function serveRole(o: {
  role: string; log: Logger; listenHost: string; healthPort: number; start: () => Promise<RunningRole>;
}): Promise<void> {
  let role: RunningRole | undefined;
  // A signal while starting (an orchestrator giving up on a slow start): exit at once. As PID 1
  // without a handler the signal would be ignored until the orchestrator's SIGKILL.
  const early = (signal: NodeJS.Signals): void => {
    o.log.info({ signal }, 'signalled while starting: exiting');
    o.log.flush();
    process.exit(0);
  };
  process.once('SIGTERM', early).once('SIGINT', early);
  const health = await HealthServer.start({
    host: o.listenHost, port: o.healthPort, role: o.role,
    // Not ready until the role has started: the checks are swapped in below.
    checks: { started: async () => (role ? undefined : 'starting') },
  });
  try {
    role = await o.start();
  } catch (err) {
    await health.stop();
    throw err;
  }
  process.off('SIGTERM', early).off('SIGINT', early);
  const running = role;
  health.setChecks(running.checks);
  serveUntilSignalled({
    log: o.log,
    ready: { ...running.info, health: health.address, pid: process.pid },
    stop: async () => {
      health.drain();
      const budget = setTimeout(() => {
        o.log.error({ budgetMs: ROLE_STOP_BUDGET_MS }, 'graceful stop overran its budget: exiting');
        o.log.flush();
        process.exit(1);
      }, ROLE_STOP_BUDGET_MS);
      budget.unref();
      try {
        await running.stop();
      } finally {
        clearTimeout(budget);
        await health.stop();
        o.log.info('stopped');
        o.log.flush();
      }
    },
  });
}
