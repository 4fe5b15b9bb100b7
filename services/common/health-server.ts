// The health endpoints of a service process (every `zonestore gateway|meta|data|zone` role):
//   GET /livez   200 while the process serves at all (a liveness probe restarts it otherwise)
//   GET /readyz  200 with the checks as JSON when every check passes, else 503 with the reasons;
//                503 from the moment shutdown begins, so load balancers stop sending traffic
//                before the servers drain.
//   GET /metrics Prometheus text: zonestore_ready{role,check} per readiness check (1 passing),
//                then the process registry (common/metrics/: process and Node.js metrics and
//                every zonestore metric of what the process hosts); what the Helm chart's
//                ServiceMonitor and deploy/prometheus/ scrape.
// On its own port, so no S3 bucket or key name can shadow it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { processMetricsText, PROMETHEUS_TEXT_CONTENT_TYPE } from './metrics/index.ts';

/** One readiness check: resolves with a failure reason, or undefined when fine. */
export type ReadinessCheck = () => Promise<string | undefined>;

/** A check that takes longer than this counts as failed (a probe must answer promptly). */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export interface HealthServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  checks: Record<string, ReadinessCheck>;
  /** The `role` label of every metric. */
  role?: string;
}

export class HealthServer {
  private draining = false;
  private checks: Record<string, ReadinessCheck> = {};

  private constructor(private readonly server: Server, readonly address: string) {}

  /** Replaces the readiness checks (a process swaps in its real ones once started). */
  setChecks(checks: Record<string, ReadinessCheck>): void {
    this.checks = checks;
  }

  static async start(o: HealthServerOptions): Promise<HealthServer> {
    let self: HealthServer | undefined;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
      } else if (path === '/livez') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (path === '/metrics') {
        void Promise.all([readiness(self?.checks ?? o.checks, self?.draining ?? false), processMetricsText()]).then(([{ results }, processText]) => {
          res.writeHead(200, { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE }).end(metricsText(o.role ?? '', results) + processText);
        }, () => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
        });
      } else if (path === '/readyz') {
        void readiness(self?.checks ?? o.checks, self?.draining ?? false).then(({ ready, results }) => {
          res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ ready, checks: results })}\n`);
        });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    self = new HealthServer(server, `${a.address}:${a.port}`);
    self.checks = o.checks;
    return self;
  }

  /** Readiness fails from now on (shutdown began); liveness still answers. */
  drain(): void {
    this.draining = true;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function readiness(checks: Record<string, ReadinessCheck>, draining: boolean): Promise<{ ready: boolean; results: Record<string, string> }> {
  if (draining) return { ready: false, results: { shutdown: 'shutting down' } };
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`), READINESS_CHECK_TIMEOUT_MS);
    });
    const reason = await Promise.race([check().catch((err: unknown) => (err as Error)?.message ?? String(err)), timeout]);
    clearTimeout(timer);
    return [name, reason ?? 'ok'] as const;
  }));
  return { ready: entries.every(([, r]) => r === 'ok'), results: Object.fromEntries(entries) };
}

function metricsText(role: string, results: Record<string, string>): string {
  const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const lines = [
    '# HELP zonestore_ready Whether this process passes its readiness checks (1) or not (0).',
    '# TYPE zonestore_ready gauge',
    `zonestore_ready{role="${esc(role)}"} ${Object.values(results).every((r) => r === 'ok') ? 1 : 0}`,
    '# HELP zonestore_readiness_check Each readiness check: 1 passing, 0 failing.',
    '# TYPE zonestore_readiness_check gauge',
    ...Object.entries(results).map(([check, r]) => `zonestore_readiness_check{role="${esc(role)}",check="${esc(check)}"} ${r === 'ok' ? 1 : 0}`),
  ];
  return `${lines.join('\n')}\n`;
}
