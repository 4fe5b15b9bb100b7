// GET /_zonestore/metrics: the gateway's own metrics (gateway-metrics.ts) as Prometheus text.
// Unauthenticated, like most exporters: it names sandboxed buckets and request counts only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';

export async function handleMetricsRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  req.resume();
  const metrics = ctx.services.metrics;
  const body = Buffer.from(metrics ? await metrics.text() : '', 'utf8');
  res.writeHead(200, { 'content-type': metrics?.contentType ?? 'text/plain; version=0.0.4', 'content-length': String(body.length) });
  res.end(body);
}
